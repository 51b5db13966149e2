/**
 * Moving attention heads between the two layouts a GPT block uses:
 *
 *   rows  `[batch·seq, Σ heads·headDim]` — what the q/k/v projection produces and c_proj consumes;
 *   heads `[batch, heads, seq, headDim]` — what attention multiplies.
 *
 * With tfjs ops that is a split, reshapes and transposes (and their gradients); where the backend
 * has the `RowsToHeads` / `HeadsToRows` kernels (wasm: one strided copy per head, Heads.wat),
 * each direction is one kernel, and each is the other's gradient.
 */
import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { HEADS_TO_ROWS, ROWS_TO_HEADS } from "./names";

/** splitHeads with tfjs ops: the reference of the `RowsToHeads` kernels. */
export function splitHeadsReference(qkv: tf.Tensor2D, batch: number, seq: number, nHead: number, nKvHead: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const hd = headDimOf(qkv, batch, seq, nHead, nKvHead);
  return tf.tidy(() => {
    const [q2, k2, v2] = tf.split(qkv, [nHead * hd, nKvHead * hd, nKvHead * hd], 1);
    const toHeads = (t: tf.Tensor, nh: number) => tf.transpose(tf.reshape(t, [batch, seq, nh, hd]), [0, 2, 1, 3]) as tf.Tensor4D;
    return [toHeads(q2, nHead), toHeads(k2, nKvHead), toHeads(v2, nKvHead)];
  });
}

/** mergeHeads with tfjs ops: the reference of the `HeadsToRows` kernels. */
export function mergeHeadsReference(x: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, seq, hd] = x.shape;
  return tf.tidy(() => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch * seq, heads * hd]) as tf.Tensor2D);
}

function headDimOf(qkv: tf.Tensor2D, batch: number, seq: number, nHead: number, nKvHead: number): number {
  const hd = qkv.shape[1] / (nHead + 2 * nKvHead);
  if (!Number.isInteger(hd) || qkv.shape[0] !== batch * seq) {
    throw new RangeError(`splitHeads: qkv [${qkv.shape}] does not hold ${batch}·${seq} rows of ${nHead} + 2·${nKvHead} heads`);
  }
  return hd;
}

/**
 * q `[batch, nHead, seq, hd]`, k and v `[batch, nKvHead, seq, hd]` from the projection `qkv`
 * `[batch·seq, (nHead + 2·nKvHead)·hd]` whose columns hold q, then k, then v (nanoGPT's c_attn).
 */
export function splitHeads(qkv: tf.Tensor2D, batch: number, seq: number, nHead: number, nKvHead: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const hd = headDimOf(qkv, batch, seq, nHead, nKvHead);
  if (qkv.dtype !== "float32" || !hasKernel(ROWS_TO_HEADS)) return splitHeadsReference(qkv, batch, seq, nHead, nKvHead);
  const attrs = { batch, seq, headDim: hd, heads: [nHead, nKvHead, nKvHead] };
  return tf.engine().runKernel(ROWS_TO_HEADS, { x: qkv }, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
}

/** `[batch, heads, seq, hd]` → `[batch·seq, heads·hd]` (each position's heads side by side). */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, seq, hd] = x.shape;
  if (x.dtype !== "float32" || !hasKernel(HEADS_TO_ROWS)) return mergeHeadsReference(x);
  const attrs = { batch, seq, headDim: hd, heads: [heads] };
  return tf.engine().runKernel(HEADS_TO_ROWS, { p0: x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
