import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../util";

/** Wrap `initial` in a trainable variable and free the initial tensor (the variable keeps the data). */
function toVariable(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}

/** A trainable variable of `shape` filled with N(0, std²) from `rng` (deterministic for a seed). */
export function normalVariable(rng: Rng, shape: number[], std: number): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
  return toVariable(tf.tensor(data, shape));
}

/** A trainable zero variable of `shape`. */
export function zeroVariable(shape: number[]): tf.Variable {
  return toVariable(tf.zeros(shape));
}
