import * as tf from "@tensorflow/tfjs";
import type { BenchResult } from "./types";
import { initTf, decodeTokensPerSecond, kvCacheTiming, sdpaGflops, TinyDecoder } from "kernel-lib";

/**
 * `llm-lessons bench attention`: greedy decoding tokens/s of a small decoder (64 wide, 2 layers,
 * 4 heads) with and without the KV cache at a few lengths, cached decode speed for MHA / GQA /
 * MQA with a long context, and scaled dot-product attention throughput, all on the default
 * backend. Medians of 3 runs (1 with `quick`).
 */
export async function bench(opts: { quick: boolean }): Promise<BenchResult> {
  const info = await initTf({ quiet: true });
  const tensorsBefore = tf.memory().numTensors;
  const repeats = opts.quick ? 1 : 3;
  const lengths = opts.quick ? [64, 128] : [64, 128, 256];
  const figures: Record<string, number | string> = { backend: info.backend };
  const round = (x: number, digits = 3) => Number(x.toPrecision(digits));
  const model = new TinyDecoder({ vocabSize: 64, dModel: 64, nLayer: 2, nHead: 4, seed: 1 });
  try {
    for (const strategy of ["concat", "preallocated"] as const) {
      const rows = await kvCacheTiming(model, lengths, { repeats, strategy });
      for (const r of rows) {
        figures[`decode_${r.tokens}_tokens_per_s_cache_${strategy}`] = round(r.tokens / r.cachedSeconds);
        if (strategy === "concat") {
          figures[`decode_${r.tokens}_tokens_per_s_no_cache`] = round(r.tokens / r.uncachedSeconds);
          figures[`decode_${r.tokens}_cache_speedup`] = round(r.speedup);
        }
      }
    }
  } finally {
    model.dispose();
  }
  const context = opts.quick ? 128 : 256;
  for (const [name, nKvHead] of [
    ["mha", 4],
    ["gqa", 2],
    ["mqa", 1],
  ] as const) {
    const m = new TinyDecoder({ vocabSize: 64, dModel: 64, nLayer: 2, nHead: 4, nKvHead, seed: 1 });
    figures[`decode_tokens_per_s_${name}_context_${context}`] = round(await decodeTokensPerSecond(m, { context, steps: 32, repeats }));
    m.dispose();
  }
  figures.sdpa_gflop_per_s_b1_h8_l256_d64 = round(await sdpaGflops({ batch: 1, heads: 8, seq: 256, headDim: 64, repeats }));
  figures.sdpa_gflop_per_s_b12_h4_l64_d32 = round(await sdpaGflops({ batch: 12, heads: 4, seq: 64, headDim: 32, repeats }));
  const m = tf.memory();
  return {
    name: "attention",
    figures,
    notes: [
      `backend ${info.backend} (${info.reason})`,
      "model: 64-wide, 2-layer, 4-head decoder with RoPE (untrained), greedy decoding from a one-token prompt",
      "tokens/s = generated tokens / wall-clock seconds of the whole generation (prompt of 1 token)",
      "SDPA GFLOP/s counts the two matmuls (4·b·h·L²·d) with the causal mask",
      `median of ${repeats} run(s); on a shared machine expect noise of ±30 %`,
      `tensors leaked by the run: ${m.numTensors - tensorsBefore}`,
    ],
  };
}
