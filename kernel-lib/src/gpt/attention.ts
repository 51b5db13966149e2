/**
 * Causal self-attention for the GPT blocks. The definition is the attention module's
 * `scaledDotProductAttention` (softmax(q kᵀ/√d + causal mask) v, grouped-query when k/v have
 * fewer heads); on other backends it is called directly. On wasm the same arithmetic runs with
 * `batchMatMul`, whose XNNPACK-per-slice products are several times faster than the backend's
 * batched loop (unless the matMuls run on native BLAS, which is fast either way); a unit test
 * checks that both paths agree, values and gradients.
 */
import * as tf from "@tensorflow/tfjs";
import { MASKED_SCORE, scaledDotProductAttention } from "../attention";
import { blasActive } from "../tf/blas";
import { batchMatMul } from "./sliced-matmul";

/** Options of `causalSelfAttention`. */
export interface CausalAttentionOptions {
  /** Dropout on the attention weights (training). */
  dropout?: number;
  dropoutSeed?: number;
  /** Force the attention module's implementation even on wasm (tests compare the two). */
  reference?: boolean;
}

function causalBias(t: number): tf.Tensor2D {
  const bias = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) bias[i * t + j] = MASKED_SCORE;
  return tf.tensor2d(bias, [t, t]);
}

/** q `[b, h, t, d]`, k and v `[b, hkv, t, d]` → `[b, h, t, d]`, each position attending to itself and earlier ones. */
export function causalSelfAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: CausalAttentionOptions = {}): tf.Tensor4D {
  const rate = options.dropout ?? 0;
  // Native BLAS (tf/blas.ts) multiplies transposed, batched operands directly: the module's path is fast there.
  if (options.reference || tf.getBackend() !== "wasm" || blasActive()) {
    return scaledDotProductAttention(q, k, v, { causal: true, dropout: rate, dropoutSeed: options.dropoutSeed }).output;
  }
  const [b, h, t, d] = q.shape;
  const hk = k.shape[1];
  if (h % hk !== 0) throw new RangeError(`query heads (${h}) must be a multiple of key/value heads (${hk})`);
  const group = h / hk;
  return tf.tidy(() => {
    // Query heads that share a kv head are stacked: one product per (batch, kv head).
    const qg = tf.reshape(q, [b * hk, group * t, d]) as tf.Tensor3D;
    const kt = tf.reshape(tf.transpose(k, [0, 1, 3, 2]), [b * hk, d, t]) as tf.Tensor3D;
    const scores = tf.add(tf.reshape(tf.mul(batchMatMul(qg, kt), 1 / Math.sqrt(d)), [b, h, t, t]), causalBias(t));
    let weights: tf.Tensor = tf.softmax(scores);
    if (rate > 0) weights = tf.dropout(weights, rate, undefined, options.dropoutSeed);
    const out = batchMatMul(tf.reshape(weights, [b * hk, group * t, t]) as tf.Tensor3D, tf.reshape(v, [b * hk, t, d]) as tf.Tensor3D);
    return tf.reshape(out, [b, h, t, d]) as tf.Tensor4D;
  });
}
