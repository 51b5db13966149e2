// The public surface of kernel-lib/src/tf.
export {};
