import * as tf from "@tensorflow/tfjs";
import { LAYER_NORM, LAYER_NORM_GRAD } from "../ops/names";

/**
 * Gradient of `LayerNorm`: one `LayerNormGrad` kernel from dy, the inputs x and gamma and the
 * per-row mean and 1/σ the forward kernel saved, giving dx, dgamma and dbeta together.
 */
export const layerNormGrad: tf.GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    // dys holds one gradient per output: only y's is used (mean and 1/σ are not outputs of the op).
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [x, gamma, mean, rstd] = saved;
    const [dx, dgamma, dbeta] = tf.engine().runKernel(LAYER_NORM_GRAD, { dy, x, gamma, mean, rstd }) as unknown as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};
