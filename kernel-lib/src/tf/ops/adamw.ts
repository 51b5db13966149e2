import * as tf from "@tensorflow/tfjs";
import { ADAMW_UPDATE, hasKernel } from "./names";

/** The numbers of one AdamW update (see `adamwUpdate`). */
export interface AdamWStep {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 − β1ᵗ): the learning rate with the first moment's bias correction. */
  stepSize: number;
  /** 1 − β2ᵗ: the second moment's bias correction. */
  c2: number;
  /** 1 − lr·λ for decayed parameters, 1 for the others. */
  decay: number;
}

/** The new parameter and moments of one AdamW update. */
export interface AdamWState {
  w: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * One AdamW update with plain tfjs ops: m' = β1·m + (1 − β1)·g, v' = β2·v + (1 − β2)·g²,
 * w' = w·decay − stepSize · m' / (√(v'/c2) + eps). The reference the `AdamWUpdate` kernels are
 * tested against.
 */
export function adamwUpdateReference(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: AdamWStep): AdamWState {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1));
    const v2 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2));
    const denom = tf.add(tf.sqrt(tf.div(v2, s.c2)), s.eps);
    return { w: tf.sub(tf.mul(w, s.decay), tf.mul(tf.div(m2, denom), s.stepSize)), m: m2, v: v2 };
  });
}

/**
 * One AdamW update of parameter `w` with gradient `g` and moments `m`, `v`: new tensors for all
 * three. One `AdamWUpdate` kernel (a single pass) where the backend has one (wasm: AdamW.wat);
 * elsewhere the reference's tfjs ops.
 */
export function adamwUpdate(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: AdamWStep): AdamWState {
  const float = [w, g, m, v].every((t) => t.dtype === "float32");
  if (!float || !hasKernel(ADAMW_UPDATE)) return adamwUpdateReference(w, g, m, v, s);
  const attrs = { beta1: s.beta1, beta2: s.beta2, eps: s.eps, stepSize: s.stepSize, c2: s.c2, decay: s.decay };
  const [w2, m2, v2] = tf.engine().runKernel(ADAMW_UPDATE, { w, g, m, v }, attrs) as unknown as tf.Tensor[];
  return { w: w2, m: m2, v: v2 };
}
