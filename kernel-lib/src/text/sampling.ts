import type { Rng } from "../util/random";

/**
 * Reshape a probability distribution with a temperature T: p_i ∝ p_i^(1/T), computed in log
 * space. T = 1 leaves it unchanged, T < 1 sharpens it (T → 0: always the most likely token),
 * T > 1 flattens it (T → ∞: uniform over the tokens with p > 0). This is the same knob a GPT's
 * sampler turns, applied to its softmax.
 */
export function applyTemperature(probs: ArrayLike<number>, temperature: number): Float64Array {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
  }
  const n = probs.length;
  if (n === 0) throw new RangeError("probs must not be empty");
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(probs[i] >= 0)) throw new RangeError(`probs[${i}] must be >= 0, got ${probs[i]}`);
    total += probs[i];
  }
  if (!(total > 0)) throw new RangeError("probs must have a positive sum");
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (probs[i] > probs[best]) best = i;
    out[best] = 1;
    return out;
  }
  let maxLog = -Infinity;
  const logs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logs[i] = probs[i] > 0 ? Math.log(probs[i]) / temperature : -Infinity;
    if (logs[i] > maxLog) maxLog = logs[i];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = logs[i] === -Infinity ? 0 : Math.exp(logs[i] - maxLog);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Draw one index from a distribution (it need not be normalised) with a seeded generator. */
export function sampleFromProbs(probs: ArrayLike<number>, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i];
  if (!(total > 0)) throw new RangeError("probs must have a positive sum");
  let u = rng.next() * total;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    last = i;
    u -= probs[i];
    if (u < 0) return i;
  }
  return last; // rounding left a sliver: the last token with mass
}

/** The k most likely indices with their probabilities, most likely first (ties: lower index). */
export function mostLikely(probs: ArrayLike<number>, k: number): { index: number; prob: number }[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  const idx = Array.from({ length: probs.length }, (_, i) => i);
  idx.sort((a, b) => probs[b] - probs[a] || a - b);
  return idx.slice(0, k).map((i) => ({ index: i, prob: probs[i] }));
}

/** Shannon entropy in bits; 2^entropy is the distribution's "effective number of choices". */
export function entropyBits(probs: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i] > 0) h -= probs[i] * Math.log2(probs[i]);
  return h;
}
