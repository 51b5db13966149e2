import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap };

/** Runs a kernel the wasm backend already has (Transpose, Reshape, Multiply, Sum). */
function call(name: string, args: Args): tf.TensorInfo {
  const kernel = tf.getKernel(name, "wasm");
  if (kernel == null) throw new Error(`Einsum on wasm needs the wasm kernel ${name}, which is not registered`);
  return kernel.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * `Einsum` for the wasm backend, e.g. `tf.einsum("bhqd,bhkd->bhqk", q, k)`.
 *
 * It follows tfjs's reference algorithm (the cpu backend's): line every operand up on one shared
 * list of indices (transpose + reshape with size-1 axes), multiply them with broadcasting, and sum
 * away each contracted index as soon as no remaining operand uses it. Each step runs an existing
 * wasm kernel, so the arithmetic stays in wasm. The broadcast product can be large
 * (`b·h·q·k·d` for attention scores); `tf.matMul` is the faster choice for plain matrix products.
 */
function einsum(args: Args): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const equation = (attrs as tf.NamedAttrMap).equation as string;
  const tensors = Object.keys(inputs)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => inputs[k] as tf.TensorInfo);
  const bu = tf.backend_util;
  const { allDims, summedDims, idDims } = bu.decodeEinsumEquation(equation, tensors.length);
  bu.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as tf.Tensor[]);
  const { path, steps } = bu.getEinsumComputePath(summedDims, idDims);
  let out: tf.TensorInfo | null = null;
  let numDimsRemaining = allDims.length;
  const intermediates: tf.TensorInfo[] = [];
  for (let i = 0; i < steps.length; i++) {
    for (const idTerm of steps[i]) {
      const { permutationIndices: perm, expandDims } = bu.getEinsumPermutation(numDimsRemaining, idDims[idTerm]);
      let x = tensors[idTerm];
      if (!bu.isIdentityPermutation(perm)) {
        x = call(tf.Transpose, { inputs: { x }, backend, attrs: { perm } });
        intermediates.push(x);
      }
      const target = x.shape.slice();
      for (const d of expandDims) target.splice(d, 0, 1);
      if (!tf.util.arraysEqual(x.shape, target)) {
        x = call(tf.Reshape, { inputs: { x }, backend, attrs: { shape: target } });
        intermediates.push(x);
      }
      if (out === null) {
        out = x;
      } else {
        out = call(tf.Multiply, { inputs: { a: x, b: out }, backend });
        intermediates.push(out);
      }
    }
    if (i < steps.length - 1) {
      if (path[i] >= 0) {
        out = call(tf.Sum, {
          inputs: { x: out as tf.TensorInfo },
          backend,
          attrs: { axis: path[i] - (allDims.length - numDimsRemaining), keepDims: false },
        });
        intermediates.push(out);
      }
      numDimsRemaining--;
    }
  }
  if (out === null) throw new Error(`Einsum: equation "${equation}" has no operands`);
  for (const t of intermediates) if (t !== out) backend.disposeData(t.dataId);
  if (!intermediates.includes(out)) {
    // The single operand passed through untouched: hand back a new reference to its data.
    out = call(tf.Identity, { inputs: { x: out }, backend });
  }
  return out;
}

/** Kernel registration for `Einsum` on the wasm backend. */
export const einsumWasm: tf.KernelConfig = {
  kernelName: tf.Einsum,
  backendName: "wasm",
  kernelFunc: einsum as unknown as tf.KernelFunc,
};
