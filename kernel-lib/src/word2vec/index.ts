// The public surface of kernel-lib/src/word2vec: skip-gram with negative sampling on typed
// arrays, evaluation, save/load in the word2vec text format, 2-D maps.
export * from "./options";
export * from "./vocab";
export * from "./sampling";
export * from "./model";
export { SkipGramModel, type SkipGramStats, trainSkipGram, trainSkipGramSync } from "./train";
export { useSimd } from "./setup";
export * from "./evaluate";
export * from "./io";
export * from "./project";
export * from "./corpus";
export { sigmoid, tableSigmoid, type SgnsStepFn, sgnsStep, type CbowStepFn, cbowStep, matrixRows, trainSkipGramReference } from "./reference";
export * from "./evalsets";
