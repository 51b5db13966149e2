import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { CAUSAL_ATTENTION } from "./names";

/** The score of a masked position: softmax gives it weight 0 (exp underflows). */
const MASKED = -1e9;

/** `[B, H, T, D]` and `[B, Hk, T, D]` with H a multiple of Hk: the shapes causal self-attention takes. */
function checkShapes(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): void {
  const [b, h, t, d] = q.shape;
  const [bk, hk, tk, dk] = k.shape;
  const ok = q.rank === 4 && k.rank === 4 && tf.util.arraysEqual(k.shape, v.shape) && b === bk && t === tk && d === dk && hk > 0 && h % hk === 0;
  if (!ok)
    throw new RangeError(
      `causalAttention: q [${q.shape}], k [${k.shape}], v [${v.shape}]: expected [B, H, T, D] and two [B, Hk, T, D] with H a multiple of Hk`,
    );
}

/**
 * Causal self-attention with plain tfjs ops: softmax(q kᵀ · scale + causal mask) v, the query
 * heads of a group sharing one kv head (gradients by autodiff). The reference the
 * `CausalAttention` kernels are tested against.
 */
export function causalAttentionReference(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, scale = 1 / Math.sqrt(q.shape[3])): tf.Tensor4D {
  checkShapes(q, k, v);
  const [b, h, t, d] = q.shape;
  const hk = k.shape[1];
  const bias = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) bias[i * t + j] = MASKED;
  return tf.tidy(() => {
    const qg = tf.reshape(tf.mul(q, scale), [b, hk, (h / hk) * t, d]);
    const scores = tf.add(tf.reshape(tf.matMul(qg, k, false, true), [b, h, t, t]), tf.tensor2d(bias, [t, t]));
    const weights = tf.reshape(tf.softmax(scores), [b, hk, (h / hk) * t, t]);
    return tf.reshape(tf.matMul(weights, v), [b, h, t, d]) as tf.Tensor4D;
  });
}

/**
 * Causal self-attention softmax(q kᵀ · scale + causal mask) v for q `[B, H, T, D]` and k, v
 * `[B, Hk, T, D]` (grouped-query when Hk < H); scale defaults to 1/√D. One `CausalAttention`
 * kernel where the backend has one (wasm: Attention.wat, for D a multiple of 4): per query row it
 * computes only the scores it keeps (keys up to the row), their softmax and the weighted values,
 * and saves two numbers per row; its gradient (`CausalAttentionGrad`) recomputes the softmax
 * from them instead of storing the weights. Elsewhere the reference's tfjs ops.
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, scale = 1 / Math.sqrt(q.shape[3])): tf.Tensor4D {
  checkShapes(q, k, v);
  const float = [q, k, v].every((t) => t.dtype === "float32");
  if (!float || q.shape[3] % 4 !== 0 || !hasKernel(CAUSAL_ATTENTION)) return causalAttentionReference(q, k, v, scale);
  const [o, m, l] = tf.engine().runKernel(CAUSAL_ATTENTION, { q, k, v }, { scale }) as unknown as tf.Tensor[];
  // Only the gradient needs these (it keeps its own references).
  m.dispose();
  l.dispose();
  return o as tf.Tensor4D;
}
