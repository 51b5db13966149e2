// The public surface of kernel-lib/src/attention: scaled dot-product attention, masks, RoPE,
// MHA / MQA / GQA with a KV cache, sizes, a tiny decoder and its timings.
export * from "./masks";
export * from "./sdpa";
export * from "./rope";
export * from "./kv-cache";
export * from "./sizes";
export * from "./mha";
export * from "./tiny-decoder";
export * from "./timing";
