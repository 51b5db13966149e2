// The public surface of kernel-lib/src/attention.
export {};
