// The public surface of kernel-lib/src/gpt.
export {};
