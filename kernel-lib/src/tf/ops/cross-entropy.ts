import * as tf from "@tensorflow/tfjs";
import { hasKernel } from "./dispatch";
import { CROSS_ENTROPY } from "./names";
import { customOp, valueAndDerivativeOp } from "./custom-op";

/** Throws unless there is one target per row of `logits`, each in [0, vocab). */
function checkTargets(logits: tf.Tensor2D, targets: Int32Array): void {
  const [n, vocab] = logits.shape;
  if (targets.length !== n) throw new RangeError(`crossEntropy: ${n} rows of logits but ${targets.length} targets`);
  for (let i = 0; i < n; i++) {
    if (!(targets[i] >= 0 && targets[i] < vocab)) throw new RangeError(`target id ${targets[i]} at position ${i} is outside [0, ${vocab})`);
  }
}

/**
 * Mean cross-entropy −log p(target) of `logits` `[n, vocab]` against integer `targets` (length n),
 * with plain tfjs ops. Forward: logsumexp(row) − row[target]. Backward: (softmax(row) −
 * onehot(target)) / n. The reference the `SoftmaxCrossEntropy` kernels are tested against.
 */
export function crossEntropyReference(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  checkTargets(logits, targets);
  const [n, vocab] = logits.shape;
  const flatIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) flatIdx[i] = i * vocab + targets[i];
  const f = customOp((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(z as tf.Tensor2D);
    save([logp]);
    const idx = tf.tensor1d(flatIdx, "int32");
    const picked = tf.gather(tf.reshape(logp, [-1]), idx);
    const value = tf.neg(tf.mean(picked));
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const p = tf.exp(saved[0]);
        // int32 one-hot then cast: wasm's float32 OneHot writes the integer bit pattern (tfjs 4.22).
        const onehot = tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), vocab), "float32");
        return [tf.mul(tf.sub(p, onehot), tf.div(dy as tf.Tensor, n))];
      },
    };
  });
  return f(logits) as tf.Scalar;
}

/**
 * Mean cross-entropy −log p(target) of `logits` `[n, vocab]` against integer `targets` (length n),
 * F.cross_entropy on integer targets. One `SoftmaxCrossEntropy` kernel where the backend has one
 * (wasm: each row's max, exponentials, log-sum and gradient row in one visit) which writes the
 * loss and its gradient (softmax − onehot) / n together; the op's gradient is then dy times the
 * latter. Elsewhere the reference's tfjs ops.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  if (logits.dtype !== "float32" || !hasKernel(CROSS_ENTROPY)) return crossEntropyReference(logits, targets);
  checkTargets(logits, targets);
  const f = valueAndDerivativeOp((z) => tf.engine().runKernel(CROSS_ENTROPY, { logits: z, targets: tf.tensor1d(targets, "int32") }) as unknown as tf.Tensor[]);
  return f(logits) as tf.Scalar;
}
