import * as tf from "@tensorflow/tfjs";

/**
 * Comparisons and logical ops have no gradient (their outputs are booleans), but tfjs refuses to
 * differentiate through them: `tf.grad(x => tf.where(x.greater(0), x, 0).sum())` throws "gradient
 * function not found for Greater". TensorFlow declares them non-differentiable, i.e. a zero
 * gradient for every input; these configs do the same so masks built from `x` can sit inside a
 * training step.
 */
const BINARY = ["Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr"];
const UNARY = ["LogicalNot", "IsNan", "IsFinite", "IsInf", "ArgMax", "ArgMin", "TopK"];

/** A zero gradient for each named input (the tape matches gradients to inputs by name). */
function zeroGrad(kernelName: string, inputNames: string[]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: inputNames,
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const out: Record<string, () => tf.Tensor> = {};
      inputNames.forEach((name, i) => {
        out[name] = () => tf.zerosLike(saved[i]);
      });
      return out;
    },
  };
}

/** Zero gradients for the comparison and logical ops. */
export const nonDifferentiableGrads: tf.GradConfig[] = [...BINARY.map((n) => zeroGrad(n, ["a", "b"])), ...UNARY.map((n) => zeroGrad(n, ["x"]))];
