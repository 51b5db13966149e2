// The public surface of kernel-lib/src/attention: scaled dot-product attention, masks, RoPE,
// MHA / MQA / GQA with a KV cache, sizes, a tiny decoder for timing, the lesson's helpers.
export * from "./masks";
export * from "./sdpa";
export * from "./rope";
export * from "./kv-cache";
export * from "./sizes";
export * from "./mha";
export * from "./tiny-decoder";
export * from "./lesson";
export * from "./timing";
export * from "./presets";
export * from "./exercises";
export * from "./checkers";
