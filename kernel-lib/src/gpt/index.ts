// The public surface of kernel-lib/src/gpt: a mini GPT in TensorFlow.js.
export * from "./config";
export * from "./ops";
export * from "./model";
export * from "./data";
export * from "./optim";
export * from "./train";
export * from "./safetensors";
export * from "./checkpoint";
export * from "./sample";
export * from "./attention";
export * from "./live";
export * from "./reference";
