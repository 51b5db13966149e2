// The public surface of kernel-lib/src/grokking: modular addition, the MLP that groks it, and the measures.
export * from "./data";
export * from "./mlp";
export * from "./fourier";
export * from "./train";
export * from "./transformer";
export * from "./summary";
