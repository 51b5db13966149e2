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

/**
 * An op of one input whose kernel writes, in the same pass, its value and the derivative the
 * gradient needs (`run` returns [value, derivative]): the derivative is saved and the gradient is
 * dy times it. GELU (elementwise) and cross-entropy (a scalar of the logits) are built this way.
 */
export function valueAndDerivativeOp(run: (x: tf.Tensor) => tf.Tensor[]): (x: tf.Tensor) => tf.Tensor {
  return customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const value = tf.tidy(() => {
      const [y, derivative] = run(x);
      save([derivative]);
      return y;
    });
    return { value, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [tf.mul(dy as tf.Tensor, saved[0])] };
  });
}
