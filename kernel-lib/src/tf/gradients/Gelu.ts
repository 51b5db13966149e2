import * as tf from "@tensorflow/tfjs";
import { GELU, GELU_GRAD } from "../ops/names";

/** Gradient of `Gelu`: dx = dy · (Φ(x) + x · φ(x)), one `GeluGrad` kernel from dy and x. */
export const geluGrad: tf.GradConfig = {
  kernelName: GELU,
  inputsToSave: ["x"],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({
    x: () => tf.engine().runKernel(GELU_GRAD, { dy: dy as tf.Tensor, x: saved[0] }) as tf.Tensor,
  }),
};
