// The public surface of kernel-lib/src/scaling: power-law and Chinchilla fits, compute-optimal allocation.
export * from "./lbfgs";
export * from "./validate";
export * from "./powerlaw";
export * from "./chinchilla";
export * from "./compute";
export * from "./sweep";
export * from "./grid";
export * from "./isoflop";
