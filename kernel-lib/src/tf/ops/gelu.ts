import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { GELU } from "./names";
import { valueAndDerivativeOp } from "./custom-op";

/**
 * Exact GELU, x · Φ(x) with Φ the standard normal CDF ½ (1 + erf(x/√2)), as in PyTorch's
 * `nn.GELU()`: the plain tfjs ops (gradient by autodiff). The reference the `Gelu` kernels are
 * tested against.
 */
export function geluReference<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(x, tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5)) as T);
}

/**
 * GELU through the `Gelu` kernel, which writes y and dy/dx = Φ(x) + x · φ(x) in one pass (φ the
 * normal density); the gradient is then dy times the saved derivative.
 */
const geluKernel = valueAndDerivativeOp((x) => tf.engine().runKernel(GELU, { x }) as unknown as tf.Tensor[]);

/**
 * Exact GELU: x · Φ(x). One `Gelu` kernel where the backend has one (wasm: Gelu.wat, two SIMD
 * vectors of four lanes a step); elsewhere the reference's tfjs ops.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (x.dtype !== "float32" || !hasKernel(GELU)) return geluReference(x);
  return geluKernel(x) as T;
}
