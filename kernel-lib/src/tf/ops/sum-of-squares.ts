import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { SUM_OF_SQUARES } from "./names";

/** Σ x² over every element of every tensor, with plain tfjs ops. The reference the `SumOfSquares` kernels are tested against. */
export function sumOfSquaresReference(xs: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.addN(xs.map((x) => tf.sum(tf.square(x)))) as tf.Scalar);
}

/**
 * Σ x² over every element of every tensor (a float32 scalar): the squared global norm of a
 * model's gradients. One `SumOfSquares` kernel for all of them where the backend has one (wasm:
 * SumOfSquares.wat, one pass per tensor, the totals in f64) instead of a square and a sum per
 * tensor; elsewhere the reference's tfjs ops. Not differentiable (clipping needs no gradient).
 */
export function sumOfSquares(xs: tf.Tensor[]): tf.Scalar {
  if (xs.length === 0) return tf.scalar(0);
  if (!xs.every((x) => x.dtype === "float32") || !hasKernel(SUM_OF_SQUARES)) return sumOfSquaresReference(xs);
  const inputs = Object.fromEntries(xs.map((x, i) => [`t${i}`, x]));
  return tf.engine().runKernel(SUM_OF_SQUARES, inputs) as tf.Scalar;
}
