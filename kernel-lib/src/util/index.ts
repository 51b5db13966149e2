export * from "./random";
export * from "./stats";
