import * as tf from "@tensorflow/tfjs";
import { hasKernel, sharesData } from "./dispatch";
import { ADAMW_UPDATE } from "./names";

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
  /** The gradient is multiplied by this first (global-norm clipping's coefficient); default 1. */
  gradScale?: number;
}

function checkShapes(w: tf.Tensor, others: tf.Tensor[]): void {
  for (const t of others) {
    if (!tf.util.arraysEqual(t.shape, w.shape)) throw new RangeError(`adamwUpdate: shapes differ: [${w.shape}] and [${t.shape}]`);
  }
}

/**
 * One AdamW update with plain tfjs ops: with g scaled by `gradScale`, m ← β1·m + (1 − β1)·g,
 * v ← β2·v + (1 − β2)·g², and the new parameter w·decay − stepSize · m / (√(v/c2) + eps). The
 * reference the `AdamWUpdate` kernels are tested against.
 */
export function adamwUpdateReference(w: tf.Tensor, grad: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamWStep): tf.Tensor {
  checkShapes(w, [grad, m, v]);
  return tf.tidy(() => {
    const g = (s.gradScale ?? 1) === 1 ? grad : tf.mul(grad, s.gradScale ?? 1);
    m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1)));
    v.assign(tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2)));
    const denom = tf.add(tf.sqrt(tf.div(v, s.c2)), s.eps);
    return tf.sub(tf.mul(w, s.decay), tf.mul(tf.div(m, denom), s.stepSize));
  });
}

/**
 * One AdamW update of parameter `w` with gradient `g`: updates the moment variables `m` and `v`
 * and returns the new parameter. One `AdamWUpdate` kernel (a single pass, m and v in place) where
 * the backend has one (wasm: AdamW.wat); a moment whose data other tensors share (a clone of it, or
 * the tensor it was assigned from) first gets a private copy, so that they do not change with it.
 * Elsewhere the reference's tfjs ops.
 */
export function adamwUpdate(w: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamWStep): tf.Tensor {
  const float = [w, g, m, v].every((t) => t.dtype === "float32");
  if (!float || !hasKernel(ADAMW_UPDATE)) return adamwUpdateReference(w, g, m, v, s);
  checkShapes(w, [g, m, v]);
  for (const moment of [m, v]) {
    if (!sharesData(moment)) continue;
    const own = tf.add(moment, 0);
    moment.assign(own);
    own.dispose();
  }
  const attrs = { beta1: s.beta1, beta2: s.beta2, eps: s.eps, stepSize: s.stepSize, c2: s.c2, decay: s.decay, gradScale: s.gradScale ?? 1 };
  return tf.engine().runKernel(ADAMW_UPDATE, { w, g, m, v }, attrs) as tf.Tensor;
}
