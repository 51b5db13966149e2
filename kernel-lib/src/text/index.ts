// The public surface of kernel-lib/src/text.
export * from "./split";
export * from "./corpora";
export * from "./tokenizer";
export * from "./char";
export * from "./word";
export * from "./bpe";
export * from "./bpe-train";
export * from "./gpt2";
export * from "./ngram";
export * from "./sampling";
export * from "./token-display";
export * from "./prepare-corpus";
