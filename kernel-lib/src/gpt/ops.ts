/**
 * The few tensor operations a GPT is made of, beyond tfjs's own:
 *
 * - `linear`: x·W + b, nn.Linear (W stored `[in, out]`);
 * - `embedding`: rows of a table for token ids, nn.Embedding;
 * - `crossEntropy`, `layerNorm` and `gelu`: F.cross_entropy on integer targets (mean
 *   −log p(target)), nn.LayerNorm and nn.GELU(), defined once in ../tf/ops (each one kernel on
 *   backends that have it, plain tfjs ops elsewhere);
 * - `rmsNorm` and `swiGlu`: Llama's normalisation and gated MLP, in plain tfjs ops.
 *
 * Each is the same on every backend; speed lives behind tfjs's kernel registry (../tf/kernels).
 */
import * as tf from "@tensorflow/tfjs";
import { customOp } from "../tf/ops";
export { crossEntropy, gelu, layerNorm } from "../tf/ops";

/**
 * y = x·W (+ b) for x `[n, in]`, W `[in, out]`, b `[out]`. The gradients are dx = dy·Wᵀ,
 * dW = xᵀ·dy and db = Σ over rows of dy, written as the product 1ᵀ·dy (one matMul, which every
 * backend runs fast, where a sum over the first axis is a transpose and a reduction).
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (x.shape[1] !== w.shape[0]) throw new RangeError(`linear: x has ${x.shape[1]} features but W expects ${w.shape[0]}`);
  if (!b) return tf.matMul(x, w);
  const f = customOp((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    return {
      // One fused kernel: the bias is added in the same pass.
      value: tf.fused.matMul({ a: xi as tf.Tensor2D, b: wi as tf.Tensor2D, bias: bi }),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor2D;
        const [xs, ws] = saved as tf.Tensor2D[];
        const db = tf.reshape(tf.matMul(tf.ones([1, g.shape[0]]), g), [g.shape[1]]);
        return [tf.matMul(g, ws, false, true), tf.matMul(xs, g, true, false), db];
      },
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

/**
 * Rows of `table` `[vocab, dim]` for each id: `[ids.length, dim]`. The gradient adds each output
 * row's gradient into the row of its id: a scatter-add (`unsortedSegmentSum`), straight from dy.
 */
export function embedding(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const vocab = table.shape[0];
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i] >= 0 && ids[i] < vocab)) throw new RangeError(`token id ${ids[i]} at position ${i} is outside the vocabulary [0, ${vocab})`);
  }
  const f = customOp((t: tf.Tensor) => ({
    value: tf.tidy(() => tf.gather(t, tf.tensor1d(ids, "int32"))),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.unsortedSegmentSum(dy as tf.Tensor2D, tf.tensor1d(ids, "int32"), vocab)],
  }));
  return f(table) as tf.Tensor2D;
}

/** RMSNorm (Zhang & Sennrich 2019) of each row of x `[n, C]`: x / √(mean(x²) + eps) · gamma — no mean subtracted, no bias. */
export function rmsNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), gamma) as tf.Tensor2D);
}

/** SwiGLU's hidden activations (Shazeer 2020): SiLU(a) ⊙ b for a = x·W1 (the gate's input) and b = x·W3, SiLU(z) = z·σ(z). */
export function swiGlu(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.mul(a, tf.sigmoid(a)), b) as tf.Tensor2D);
}
