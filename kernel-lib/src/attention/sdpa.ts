import * as tf from "@tensorflow/tfjs";
import { MASKED_SCORE } from "./masks";
import { assertBroadcastable, assertRank4, fmtShape } from "./shapes";

/** Options of `scaledDotProductAttention`. */
export interface SdpaOptions {
  /** Apply the causal mask, aligned bottom-right (queries are the last positions of the keys). */
  causal?: boolean;
  /** Boolean mask, true = may attend, broadcastable to `[batch, heads, lq, lk]`. Combined with `causal`. */
  mask?: tf.Tensor;
  /** Also return the attention weights `[batch, heads, lq, lk]` (before dropout). */
  returnWeights?: boolean;
  /** Score scale; default 1/√headDim (keeps the scores' variance near 1 so softmax does not saturate). */
  scale?: number;
  /** Dropout rate on the attention weights (training only; 0 = none). */
  dropout?: number;
  /** Seed of the dropout noise, for reproducible training steps. */
  dropoutSeed?: number;
}

/**
 * What `scaledDotProductAttention` returns (a plain object type, so `tf.dispose(result)` and
 * `tf.tidy` accept it).
 */
export type SdpaResult = {
  /** `[batch, heads, lq, headDimV]`: for each query, the weighted average of the values. */
  output: tf.Tensor4D;
  /** `[batch, heads, lq, lk]`, present when `returnWeights` was set; each row sums to 1. */
  weights?: tf.Tensor4D;
};

/**
 * Check q/k/v shapes and return the sizes. k and v may have fewer heads than q (grouped-query
 * attention): their head count must divide q's, and query head h reads kv head
 * floor(h / (Hq / Hkv)).
 */
export function sdpaShapes(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) {
  assertRank4(q, "q");
  assertRank4(k, "k");
  assertRank4(v, "v");
  const [b, hq, lq, d] = q.shape;
  const [bk, hk, lk, dk] = k.shape;
  const [bv, hv, lv] = v.shape;
  const dv = v.shape[3];
  const all = `q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}`;
  if (bk !== b || bv !== b) throw new RangeError(`batch sizes differ: ${all}`);
  if (dk !== d) throw new RangeError(`q and k head dimensions differ: ${all}`);
  if (hv !== hk || lv !== lk) throw new RangeError(`k and v must have the same heads and length: ${all}`);
  if (hq % hk !== 0) throw new RangeError(`q heads (${hq}) must be a multiple of k/v heads (${hk}): ${all}`);
  return { b, hq, hk, lq, lk, d, dv, group: hq / hk };
}

/** The additive causal bias `[lq, lk]`: 0 on and below the bottom-right diagonal, -1e9 above. */
function causalBias(lq: number, lk: number): tf.Tensor2D {
  if (lq > lk) throw new RangeError(`causal attention needs lq <= lk, got q length ${lq} and k length ${lk}`);
  const shift = lk - lq;
  const bias = new Float32Array(lq * lk);
  for (let i = 0; i < lq; i++) for (let j = i + shift + 1; j < lk; j++) bias[i * lk + j] = MASKED_SCORE;
  return tf.tensor2d(bias, [lq, lk]);
}

/**
 * Scaled dot-product attention: softmax(q kᵀ · scale + mask) v on `[batch, heads, seq, headDim]`.
 *
 * Each query asks a question, each key says how well it answers (the dot product), softmax turns
 * those scores into weights that sum to 1, and the output is the weighted sum of the values.
 * Grouped-query attention needs no copy of k/v: the Hq query heads are folded into groups that
 * share one kv head, `[b, Hkv, group·lq, d]`, so one batched matmul serves the whole group.
 */
export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: SdpaOptions = {}): SdpaResult {
  const { b, hq, hk, lq, lk, d, dv, group } = sdpaShapes(q, k, v);
  const scale = options.scale ?? 1 / Math.sqrt(d);
  if (!Number.isFinite(scale)) throw new RangeError(`scale must be a finite number, got ${scale}`);
  const rate = options.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout must be in [0, 1), got ${rate}`);
  if (options.mask) {
    if (options.mask.dtype !== "bool") throw new TypeError(`mask must be a bool tensor (true = may attend), got dtype ${options.mask.dtype}`);
    assertBroadcastable(options.mask.shape, [b, hq, lq, lk], "mask");
  }
  return tf.tidy(() => {
    // Scale whichever of q (lq·d) or the scores (lq·lk) is smaller: same result, fewer multiplies.
    const scaleQ = d <= lk;
    const qs = scaleQ ? q.mul(tf.scalar(scale)) : q;
    const qg = group === 1 ? qs : qs.reshape([b, hk, group * lq, d]);
    let scores = tf.matMul(qg, k, false, true).reshape([b, hq, lq, lk]);
    if (!scaleQ) scores = scores.mul(tf.scalar(scale));
    if (options.causal) scores = scores.add(causalBias(lq, lk));
    if (options.mask) scores = scores.add(options.mask.cast("float32").sub(tf.scalar(1)).mul(tf.scalar(-MASKED_SCORE)));
    const weights = tf.softmax(scores) as tf.Tensor4D;
    const dropped = rate > 0 ? tf.dropout(weights, rate, undefined, options.dropoutSeed) : weights;
    const wg = group === 1 ? dropped : dropped.reshape([b, hk, group * lq, lk]);
    const output = tf.matMul(wg, v).reshape([b, hq, lq, dv]) as tf.Tensor4D;
    return options.returnWeights ? { output, weights } : { output };
  }) as SdpaResult;
}

/**
 * Repeat each kv head `nRep` times along the head axis (`torch.repeat_interleave(x, nRep, 1)`):
 * `[b, hkv, l, d]` → `[b, hkv·nRep, l, d]`. `scaledDotProductAttention` does not need it (it
 * groups the queries instead); it is here to show what grouped-query attention means.
 */
export function repeatKv(x: tf.Tensor4D, nRep: number): tf.Tensor4D {
  assertRank4(x, "x");
  if (!Number.isInteger(nRep) || nRep < 1) throw new RangeError(`nRep must be an integer >= 1, got ${nRep}`);
  if (nRep === 1) return x.clone();
  const [b, h, l, d] = x.shape;
  return tf.tidy(
    () =>
      x
        .reshape([b, h, 1, l, d])
        .tile([1, 1, nRep, 1, 1])
        .reshape([b, h * nRep, l, d]) as tf.Tensor4D,
  );
}
