// The public surface of kernel-lib/src/bow.
export {};
