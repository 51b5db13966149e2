export * from "./kernel-display";
export * from "./metrics";
export * from "./params";
export * from "./interrupt";
