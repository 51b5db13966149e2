import * as tf from "@tensorflow/tfjs";
import type { KvCacheStrategy } from "./kv-cache";
import { scaledDotProductAttention } from "./sdpa";
import type { TinyDecoder } from "./tiny-decoder";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One row of `kvCacheTiming`: seconds to generate `tokens` tokens with and without the cache. */
export interface KvTimingRow {
  tokens: number;
  cachedSeconds: number;
  uncachedSeconds: number;
  /** uncached / cached. */
  speedup: number;
}

/** Options of `kvCacheTiming`. */
export interface KvTimingOptions {
  /** Runs per point; the median is reported (default 1). */
  repeats?: number;
  strategy?: KvCacheStrategy;
  /** Called after each measured point (for a progress bar). */
  onPoint?: (row: KvTimingRow) => void;
  /** Checked before every point: once aborted, the rows measured so far are returned. */
  signal?: AbortSignal;
}

/**
 * Time greedy generation of N tokens (after a one-token prompt) for each N in `lengths`, with
 * and without the KV cache. Without it, step t reruns the model on t tokens, so the total grows
 * like N²·(model cost) and attention itself like N³; with it, each step costs one token of
 * projections plus attention over the cache. Medians of `repeats` runs; an untimed warm-up first.
 */
export async function kvCacheTiming(model: TinyDecoder, lengths: number[], options: KvTimingOptions = {}): Promise<KvTimingRow[]> {
  const repeats = options.repeats ?? 1;
  // Warm-up (untimed): the first calls of each kernel and shape are slower (JIT, operator setup).
  const warm = Math.min(32, Math.max(...lengths));
  await model.generate([1], warm, { useCache: true, strategy: options.strategy });
  await model.generate([1], warm, { useCache: false });
  const rows: KvTimingRow[] = [];
  for (const n of lengths) {
    if (options.signal?.aborted) break;
    const cached: number[] = [];
    const uncached: number[] = [];
    for (let r = 0; r < repeats; r++) {
      cached.push((await model.generate([1], n, { useCache: true, strategy: options.strategy })).seconds);
      uncached.push((await model.generate([1], n, { useCache: false })).seconds);
    }
    const row = { tokens: n, cachedSeconds: median(cached), uncachedSeconds: median(uncached), speedup: median(uncached) / median(cached) };
    rows.push(row);
    options.onPoint?.(row);
  }
  return rows;
}

/**
 * Decoding speed with the cache once `context` tokens are already cached: prefill the context
 * in one call, then time `steps` single-token steps. Returns tokens per second (median of
 * `repeats`, after one untimed warm-up run).
 */
export async function decodeTokensPerSecond(
  model: TinyDecoder,
  options: { context: number; steps?: number; repeats?: number; strategy?: KvCacheStrategy },
): Promise<number> {
  const steps = options.steps ?? 32;
  const rates: number[] = [];
  const vocab = model.config.vocabSize;
  // Run 0 is an untimed warm-up (first calls of each kernel and shape are slower).
  for (let r = -1; r < (options.repeats ?? 1); r++) {
    const caches = model.createCaches(options.strategy);
    try {
      const prompt = Array.from({ length: options.context }, (_, i) => (i * 7 + 3) % vocab);
      tf.tidy(() => model.logits([prompt], caches)).dispose();
      const start = performance.now();
      let next = 1;
      for (let s = 0; s < steps; s++) {
        const logits = tf.tidy(() => model.logits([[next]], caches).argMax(-1));
        next = (await logits.data())[0];
        logits.dispose();
      }
      if (r >= 0) rates.push(steps / ((performance.now() - start) / 1000));
    } finally {
      caches.forEach((c) => c.dispose());
    }
    await new Promise((res) => setImmediate(res));
  }
  return median(rates);
}

/**
 * Throughput of `scaledDotProductAttention` on the current backend, in GFLOP/s, counting the
 * two matmuls (4·batch·heads·seq²·headDim floating-point operations per call).
 */
export async function sdpaGflops(
  options: { batch?: number; heads?: number; seq?: number; headDim?: number; repeats?: number; causal?: boolean } = {},
): Promise<number> {
  const b = options.batch ?? 4;
  const h = options.heads ?? 8;
  const l = options.seq ?? 256;
  const d = options.headDim ?? 64;
  const repeats = options.repeats ?? 5;
  const q = tf.randomNormal([b, h, l, d], 0, 1, "float32", 1);
  const k = tf.randomNormal([b, h, l, d], 0, 1, "float32", 2);
  const v = tf.randomNormal([b, h, l, d], 0, 1, "float32", 3);
  try {
    const run = async () => {
      const out = scaledDotProductAttention(q, k, v, { causal: options.causal ?? true }).output;
      await out.data();
      out.dispose();
    };
    await run();
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await run();
      times.push((performance.now() - t0) / 1000);
    }
    return (4 * b * h * l * l * d) / median(times) / 1e9;
  } finally {
    tf.dispose([q, k, v]);
  }
}
