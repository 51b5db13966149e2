/**
 * Checkers of lesson 03's exercise answers. Each prints one "✓ …" line and returns nothing when the
 * answer is right, and throws with a hint when it is wrong: the contract of util/checker.ts.
 */
import { pass } from "../../util/checker";
import { attendOne } from "./lesson";
import { causalMaskArray } from "../../attention/masks";
import { kvCacheBytes } from "../../attention/sizes";

/** The data of exercise 1: one query, three keys, three values. */
export const ATTENTION_WEIGHTS_DATA = {
  query: [1, 2],
  keys: [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  values: [
    [10, 0],
    [0, 10],
    [5, 5],
  ],
};

function isNumberArray(x: unknown, n: number): x is number[] {
  return Array.isArray(x) && x.length === n && x.every((v) => typeof v === "number" && Number.isFinite(v));
}

/** Exercise 1: the three attention weights of ATTENTION_WEIGHTS_DATA (scaled by 1/√2), to 1e-4. */
export function checkAttentionWeights(weights: number[]): void {
  const { query, keys, values } = ATTENTION_WEIGHTS_DATA;
  if (!isNumberArray(weights, 3)) throw new Error(`Weights by hand: give three finite numbers, one weight per key; got ${JSON.stringify(weights)}`);
  const expected = attendOne(query, keys, values).weights;
  if (weights.every((w, j) => Math.abs(w - expected[j]) <= 1e-4)) {
    pass(`Weights by hand: weights ${expected.map((w) => w.toFixed(4)).join(", ")} — the third key (1, 1) matches the query (1, 2) best.`);
    return;
  }
  const unscaled = attendOne(query, keys, values, 1).weights;
  const total = weights.reduce((a, b) => a + b, 0);
  let hint = " Score each key with q·k / √2, then softmax: exp(score) / Σ exp(score).";
  if (weights.every((w, j) => Math.abs(w - unscaled[j]) <= 1e-4)) hint = " Close: you forgot to divide the scores by √d = √2 before the softmax.";
  else if (Math.abs(total - 1) > 1e-3) hint = ` Your weights sum to ${total.toFixed(4)}; softmax weights sum to 1.`;
  throw new Error(`Weights by hand: ${JSON.stringify(weights)} is not right.${hint}`);
}

/** Llama 2 70B's attention shape (GQA): 80 layers, 64 query heads, 8 kv heads of 128 dims. */
export const LLAMA2_70B = { nLayer: 80, nHead: 64, nKvHead: 8, headDim: 128 };

/** Exercise 2: bytes of the KV cache of Llama 2 70B for one 4096-token sequence in 16-bit floats. */
export function checkKvCacheBytes(bytes: number): void {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) throw new Error(`KV cache of Llama 2 70B: the answer must be a number of bytes, got ${bytes}`);
  const size = (nKvHead: number, bytesPerElement: number) => kvCacheBytes({ nLayer: 80, nKvHead, headDim: 128, bytesPerElement }, 4096);
  const expected = size(8, 2);
  if (bytes === expected) {
    pass(
      `KV cache of Llama 2 70B: ${expected.toLocaleString("en-US")} bytes = ${(expected / 2 ** 30).toFixed(2)} GiB (with 64 kv heads, plain MHA, it would be 8× that: ${(size(64, 2) / 2 ** 30).toFixed(0)} GiB).`,
    );
    return;
  }
  let hint = " Per token and layer the cache holds one key and one value vector per kv head: 2 · nLayer · nKvHead · headDim · 2 bytes.";
  if (bytes === size(64, 2)) hint = " You used the 64 query heads; only the 8 kv heads are cached (that is what GQA saves).";
  else if (bytes === expected / 2) hint = " You counted only the keys (or only the values): the cache holds both.";
  else if (bytes === size(8, 4)) hint = " 16-bit floats take 2 bytes, not 4.";
  throw new Error(`KV cache of Llama 2 70B: ${bytes} is not right.${hint}`);
}

/**
 * Exercise 3: the causal mask (true = may attend) for 2 new query tokens when the keys are the
 * 3 cached tokens plus those 2, i.e. lq = 2, lk = 5.
 */
export function checkCachedCausalMask(mask: boolean[][]): void {
  const expected = causalMaskArray(2, 5);
  const ok =
    Array.isArray(mask) && mask.length === 2 && mask.every((row, i) => Array.isArray(row) && row.length === 5 && row.every((x, j) => x === expected[i][j]));
  if (ok) {
    pass("Mask over a cache: the new tokens are positions 3 and 4, so they see keys 0–3 and 0–4 (the mask is aligned bottom-right).");
    return;
  }
  const topLeft = [0, 1].map((i) => [0, 1, 2, 3, 4].map((j) => j <= i));
  const same = Array.isArray(mask) && mask.length === 2 && mask.every((row, i) => Array.isArray(row) && row.every((x, j) => x === topLeft[i][j]));
  const hint = same
    ? " That mask is aligned top-left: it treats the new tokens as positions 0 and 1. They are the last two positions (3 and 4)."
    : " Write 2 rows of 5 booleans; query i is at absolute position 3 + i and may see every key at or before it.";
  throw new Error(`Mask over a cache: ${JSON.stringify(mask)} is not right.${hint}`);
}

/**
 * Exercise 4: with RoPE, the score of a query at position 3 and a key at position 0 equals the
 * score of the same query at position 10 and the key at which position?
 */
export function checkRopeOffset(position: number): void {
  if (position === 7) {
    pass("RoPE offset: position 7 — RoPE scores depend only on the offset m − n = 3.");
    return;
  }
  const hint = position === 13 ? " The offset is m − n, query minus key: 10 − n = 3 − 0." : " Only the distance between query and key matters.";
  throw new Error(`RoPE offset: ${position} is not right.${hint}`);
}
