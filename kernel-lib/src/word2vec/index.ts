// The public surface of kernel-lib/src/word2vec.
export {};
