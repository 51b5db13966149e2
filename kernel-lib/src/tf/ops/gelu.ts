import * as tf from "@tensorflow/tfjs";
import { GELU, hasKernel } from "./names";

/**
 * Exact GELU, x · Φ(x) with Φ the standard normal CDF ½ (1 + erf(x/√2)), as in PyTorch's
 * `nn.GELU()`: the plain tfjs ops (gradient by autodiff). The reference the `Gelu` kernels are
 * tested against.
 */
export function geluReference<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(x, tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5)) as T);
}

/**
 * Exact GELU: x · Φ(x). Its derivative is Φ(x) + x · φ(x), φ the normal density. One `Gelu`
 * kernel where the backend has one (wasm: Gelu.wat, four lanes at a time), whose gradient is one
 * `GeluGrad` pass; elsewhere the reference's tfjs ops.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (x.dtype !== "float32" || !hasKernel(GELU)) return geluReference(x);
  return tf.engine().runKernel(GELU, { x }) as T;
}
