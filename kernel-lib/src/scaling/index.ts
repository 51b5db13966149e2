// The public surface of kernel-lib/src/scaling.
export {};
