import * as tf from "@tensorflow/tfjs";
import { CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD } from "../ops/names";

/**
 * Gradient of `CausalAttention`: one `CausalAttentionGrad` kernel from dy, the inputs q, k, v and
 * the per-row max and 1/Σ the forward kernel saved (the softmax is recomputed, not stored).
 */
export const causalAttentionGrad: tf.GradConfig = {
  kernelName: CAUSAL_ATTENTION,
  inputsToSave: ["q", "k", "v"],
  outputsToSave: [false, true, true],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    // One gradient per output: only o's is used (m and l are not outputs of the op).
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [q, k, v, m, l] = saved;
    const [dq, dk, dv] = tf.engine().runKernel(CAUSAL_ATTENTION_GRAD, { dy, q, k, v, m, l }, attrs) as unknown as tf.Tensor[];
    return { q: () => dq, k: () => dk, v: () => dv };
  },
};
