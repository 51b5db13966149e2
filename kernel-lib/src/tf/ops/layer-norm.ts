import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { LAYER_NORM } from "./names";

function checkShapes(x: tf.Tensor, gamma: tf.Tensor, beta?: tf.Tensor): void {
  const dim = x.shape[x.shape.length - 1];
  for (const [name, t] of [
    ["gamma", gamma],
    ["beta", beta],
  ] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== dim)) throw new RangeError(`layerNorm: ${name} has shape [${t.shape}], expected [${dim}]`);
  }
}

/**
 * LayerNorm over the last axis: (x − mean) / √(var + eps) · gamma (+ beta), the plain tfjs ops
 * (gradients by autodiff). The reference the `LayerNorm` kernels are tested against.
 */
export function layerNormReference<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta?: tf.Tensor1D, eps = 1e-5): T {
  checkShapes(x, gamma, beta);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const scaled = tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma);
    return (beta ? tf.add(scaled, beta) : scaled) as T;
  });
}

/**
 * LayerNorm over the last axis: (x − mean) / √(var + eps) · gamma (+ beta). One `LayerNorm`
 * kernel where the backend has one (wasm: LayerNorm.wat), whose gradient is one `LayerNormGrad`:
 * with x̂ the normalised row and r = 1/√(var + eps),
 *   dx = r · (g − mean(g) − x̂ · mean(g · x̂)),  g = dy · gamma;  dgamma = Σ dy · x̂;  dbeta = Σ dy.
 * Elsewhere the reference's tfjs ops.
 */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta?: tf.Tensor1D, eps = 1e-5): T {
  if (x.dtype !== "float32" || !hasKernel(LAYER_NORM)) return layerNormReference(x, gamma, beta, eps);
  checkShapes(x, gamma, beta);
  const inputs: tf.NamedTensorMap = beta ? { x, gamma, beta } : { x, gamma };
  const [y, mean, rstd] = tf.engine().runKernel(LAYER_NORM, inputs, { eps }) as unknown as tf.Tensor[];
  // Only the gradient needs these (it keeps its own references).
  mean.dispose();
  rstd.dispose();
  return y as T;
}
