// The public surface of kernel-lib/src/text.
export {};
