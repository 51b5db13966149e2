import * as tf from "@tensorflow/tfjs";

/** Splits `"ij,jk->ik"` into operand subscripts and output subscripts. */
export function parseEinsum(equation: string): { operands: string[]; output: string } {
  const eq = equation.replace(/\s+/g, "");
  const arrow = eq.indexOf("->");
  if (arrow < 0) throw new Error(`einsum gradient needs an explicit output ("->"), got "${equation}"`);
  return { operands: eq.slice(0, arrow).split(","), output: eq.slice(arrow + 2) };
}

/**
 * The gradient of one einsum operand, itself an einsum: for `A,B->O`, `dA = einsum("O,B->A", dy, B)`.
 * Indices that only `A` carries (summed away without meeting `B` or the output, like `j` in
 * `ij->i`) get no value from that product; the gradient is broadcast along them instead.
 */
function operandGrad(dy: tf.Tensor, which: number, operands: string[], output: string, saved: tf.Tensor[]): tf.Tensor {
  const mine = operands[which];
  const others = operands.filter((_, i) => i !== which);
  const otherTensors = saved.filter((_, i) => i !== which);
  const reachable = new Set((output + others.join("")).split(""));
  const kept = mine
    .split("")
    .filter((c) => reachable.has(c))
    .join("");
  let g: tf.Tensor;
  if (kept === "") {
    g = dy.sum();
  } else {
    const lhs = [output, ...others].join(",");
    g = tf.einsum(`${lhs}->${kept}`, dy, ...otherTensors);
  }
  const shape = saved[which].shape;
  if (kept.length === mine.length) return g;
  const withOnes = mine.split("").map((c, d) => (reachable.has(c) ? shape[d] : 1));
  return tf.broadcastTo(g.reshape(withOnes), shape);
}

/**
 * Gradient of `Einsum`, which tfjs does not define for any backend: without it `tf.einsum`
 * cannot appear in a model that trains.
 */
export const einsumGrad: tf.GradConfig = {
  kernelName: tf.Einsum,
  saveAllInputs: true,
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const { operands, output } = parseEinsum(attrs.equation as string);
    const g = dy as tf.Tensor;
    const result: Record<string, () => tf.Tensor> = {};
    operands.forEach((_, i) => {
      result[i] = () => operandGrad(g, i, operands, output, saved);
    });
    return result;
  },
};
