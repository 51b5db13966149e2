/**
 * The two sampling distributions of word2vec.
 *
 * Subsampling: very frequent words ("the", "of") carry little information about their neighbours
 * and dominate the pairs, so each occurrence of word w is kept with probability
 * (sqrt(f / (sample·total)) + 1) · (sample·total) / f, where f is w's count — word2vec.c's
 * formula (gensim uses the same). Words rarer than sample·total are always kept.
 *
 * Negatives: drawn from the unigram distribution raised to 0.75, which flattens it so rare words
 * are drawn more often than their frequency alone would give. We use Walker's alias method:
 * O(1) per draw from two small arrays (cache-friendly, exact), instead of word2vec.c's 10⁸-entry
 * table.
 */

/** Keep probability per word id (values ≥ 1 mean "always keep"); sample ≤ 0 disables. */
export function keepProbabilities(counts: ArrayLike<number>, sample: number, total: number): Float32Array {
  const keep = new Float32Array(counts.length);
  const threshold = sample * total;
  for (let i = 0; i < counts.length; i++) {
    const f = counts[i];
    keep[i] = sample > 0 && f > 0 ? (Math.sqrt(f / threshold) + 1) * (threshold / f) : 1;
  }
  return keep;
}

/** Alias tables: draw u ∈ [0, n), take t = ⌊u⌋, keep t if frac(u) < prob[t], else alias[t]. */
export interface AliasTable {
  prob: Float32Array;
  alias: Int32Array;
}

/** Build alias tables for weights ∝ counts^power (power 0.75 in word2vec). */
export function buildAliasTable(counts: ArrayLike<number>, power = 0.75): AliasTable {
  const n = counts.length;
  if (n === 0) throw new RangeError("buildAliasTable: counts must not be empty");
  const scaled = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.pow(counts[i], power);
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`buildAliasTable: counts[${i}] = ${counts[i]} is not a valid count`);
    scaled[i] = w;
    sum += w;
  }
  if (!(sum > 0)) throw new RangeError("buildAliasTable: all counts are zero");
  for (let i = 0; i < n; i++) scaled[i] = (scaled[i] * n) / sum;
  const prob = new Float32Array(n);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of large) {
    prob[i] = 1;
    alias[i] = i;
  }
  for (const i of small) {
    prob[i] = 1;
    alias[i] = i;
  }
  return { prob, alias };
}

/** Draw one id from alias tables given a uniform u ∈ [0, 1). */
export function aliasDraw(table: AliasTable, u: number): number {
  const x = u * table.prob.length;
  const t = Math.floor(x);
  return x - t < table.prob[t] ? t : table.alias[t];
}
