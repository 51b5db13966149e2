/**
 * Each lesson's glue, one folder per notebook (notebooks/NN-name.ipynb ↔ lessons/NN-name/): its
 * parameters, the helpers only it uses, its exercise data and its exercise checkers. The topic
 * folders (text, bow, word2vec, …) hold the mechanisms; a lesson imports them, never the reverse.
 */
export * from "./params";
export * from "./00-setup";
export * from "./00-tokens";
export * from "./00-ngrams";
export * from "./01-bag-of-words";
export * from "./02-word2vec";
export * from "./03-attention";
export * from "./04-mini-gpt";
export * from "./05-scaling-laws";
export * from "./06-post-training";
export * from "./07-grokking";
