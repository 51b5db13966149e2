import * as tf from "@tensorflow/tfjs";

/** A forward pass and its hand-written gradient, as `tf.customGrad` takes them. */
export type CustomOpFn = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.Tensor[] };

/**
 * `tf.customGrad` for an op with a hand-written gradient, typed for callers: tfjs types its
 * callback loosely (the inputs and the save function share one rest array).
 */
export function customOp(f: CustomOpFn): (...args: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (...args: tf.Tensor[]) => tf.Tensor;
}
