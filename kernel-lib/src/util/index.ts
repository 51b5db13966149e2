export * from "./random";
export * from "./stats";
export * from "./paths";
