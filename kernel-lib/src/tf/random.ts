import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../util/random";

function checkShape(shape: number[], fn: string): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${fn}: shape must be a list of integers >= 0, got [${shape}]`);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A float32 tensor of normal samples `mean + std·N(0, 1)` drawn from `rng` (../util/random).
 * Unlike `tf.randomNormal`, the numbers come from our own generator, so a seed gives the same
 * weights on every backend (cpu, wasm, tensorflow) and a checkpoint can store the RNG state.
 */
export function seededNormal(shape: number[], std: number, rng: Rng, mean = 0): tf.Tensor {
  const n = checkShape(shape, "seededNormal");
  if (!Number.isFinite(std) || std < 0) throw new RangeError(`seededNormal: std must be a finite number >= 0, got ${std}`);
  if (!Number.isFinite(mean)) throw new RangeError(`seededNormal: mean must be finite, got ${mean}`);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = mean + std * rng.normal();
  return tf.tensor(values, shape, "float32");
}

/** A float32 tensor of uniform samples in `[low, high)` drawn from `rng`; same on every backend. */
export function seededUniform(shape: number[], low: number, high: number, rng: Rng): tf.Tensor {
  const n = checkShape(shape, "seededUniform");
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
    throw new RangeError(`seededUniform: need finite low < high, got low=${low}, high=${high}`);
  }
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = low + (high - low) * rng.next();
  return tf.tensor(values, shape, "float32");
}

/**
 * A trainable weight initialised as GPT-2 does, normal with standard deviation `std`
 * (0.02 by default), from `rng`. Returns a `tf.Variable` ready for an optimizer.
 */
export function seededVariable(shape: number[], rng: Rng, options: { std?: number; name?: string } = {}): tf.Variable {
  const init = seededNormal(shape, options.std ?? 0.02, rng);
  const v = tf.variable(init, true, options.name);
  init.dispose();
  return v;
}

/**
 * Glorot (Xavier) uniform initialisation for a `[fanIn, fanOut]` matrix: uniform in ±√(6/(fanIn+fanOut)),
 * which keeps the variance of activations about the same from layer to layer.
 */
export function seededGlorotUniform(shape: [number, number], rng: Rng): tf.Tensor {
  const [fanIn, fanOut] = shape;
  if (!(fanIn >= 1 && fanOut >= 1)) throw new RangeError(`seededGlorotUniform: shape must be [fanIn >= 1, fanOut >= 1], got [${shape}]`);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return seededUniform(shape, -limit, limit, rng);
}
