import * as tf from "@tensorflow/tfjs";
import { assertInt } from "./shapes";

/**
 * The causal mask `[lq, lk]` (true = may attend), aligned bottom-right: query i sits at absolute
 * position `i + (lk - lq)` and sees every key up to and including that position. With lq = lk
 * this is the usual lower triangle; with lq < lk (a KV cache holding earlier positions) the
 * queries are the *last* lq positions, which is what incremental decoding needs.
 */
export function causalMaskArray(lq: number, lk: number): boolean[][] {
  assertInt(lq, "lq");
  assertInt(lk, "lk");
  if (lq > lk) throw new RangeError(`causal mask needs lq <= lk (queries are the last positions of the keys), got lq=${lq}, lk=${lk}`);
  const shift = lk - lq;
  return Array.from({ length: lq }, (_, i) => Array.from({ length: lk }, (_, j) => j <= i + shift));
}

/** `causalMaskArray` as a boolean tensor `[lq, lk]` that broadcasts over batch and heads. */
export function causalMask(lq: number, lk: number): tf.Tensor2D {
  return tf.tensor2d(causalMaskArray(lq, lk), [lq, lk], "bool");
}

/**
 * A padding mask `[batch, 1, 1, lk]`: key j of sequence b may be attended to when
 * `j < lengths[b]`. Broadcasts over heads and queries.
 */
export function paddingMask(lengths: readonly number[], lk: number): tf.Tensor4D {
  assertInt(lk, "lk");
  const flat: boolean[] = [];
  lengths.forEach((len, b) => {
    assertInt(len, `lengths[${b}]`, 0);
    if (len > lk) throw new RangeError(`lengths[${b}] = ${len} exceeds the key length ${lk}`);
    for (let j = 0; j < lk; j++) flat.push(j < len);
  });
  return tf.tensor4d(flat, [lengths.length, 1, 1, lk], "bool");
}

/**
 * Additive form of a boolean mask: 0 where attending is allowed, -1e9 where not. Adding it to
 * the scores before softmax makes masked weights exactly 0 (exp(-1e9) underflows) without the
 * NaN that -Infinity gives on a row with nothing to attend to.
 */
export const MASKED_SCORE = -1e9;
