import { describe, expect, it } from "vitest";
import { kvCacheBytes, kvCacheBytesPerToken, resolveAttentionShape } from "../../../kernel-lib/src/attention";

describe("sizes", () => {
  it("KV-cache bytes per token: Llama 2 70B (80 layers, 8 kv heads of 128, fp16) = 320 KiB", () => {
    expect(kvCacheBytesPerToken({ nLayer: 80, nKvHead: 8, headDim: 128, bytesPerElement: 2 })).toBe(327_680);
    // the same model with full multi-head attention (64 kv heads) would need 8×
    expect(kvCacheBytesPerToken({ nLayer: 80, nKvHead: 64, headDim: 128, bytesPerElement: 2 })).toBe(8 * 327_680);
    expect(kvCacheBytes({ nLayer: 80, nKvHead: 8, headDim: 128, bytesPerElement: 2 }, 4096, 2)).toBe(327_680 * 4096 * 2);
    expect(kvCacheBytesPerToken({ nKvHead: 1, headDim: 16 })).toBe(128);
  });

  it("validates with messages naming the field", () => {
    expect(() => kvCacheBytesPerToken({ nKvHead: 0, headDim: 4 })).toThrow(/nKvHead must be an integer >= 1, got 0/);
    expect(() => resolveAttentionShape({ dModel: 16, nHead: 4, nKvHead: 3 })).toThrow(/nHead \(4\) must be divisible by nKvHead \(3\)/);
    expect(resolveAttentionShape({ dModel: 16, nHead: 4 })).toEqual({ dModel: 16, nHead: 4, nKvHead: 4, headDim: 4, bias: false });
  });
});
