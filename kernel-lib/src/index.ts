/**
 * kernel-lib: the tested helper library behind the llm-lessons notebooks.
 * Notebooks use it as `import { … } from "kernel-lib"`.
 */
export * from "./util";
export * from "./runtime";
export * from "./tf";
export * from "./charts";
export * from "./text";
export * from "./bow";
export * from "./word2vec";
export * from "./attention";
export * from "./gpt";
export * from "./scaling";
export * from "./posttrain";
export * from "./grokking";
export * from "./lessons";
