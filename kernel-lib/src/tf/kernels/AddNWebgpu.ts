import type * as tf from "@tensorflow/tfjs";

type Args = { inputs: tf.TensorInfo[]; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/**
 * `AddN` on WebGPU binds every input as its own storage buffer, and WebGPU guarantees only 8 per
 * shader stage (the output takes one): `tf.addN` of 53 gradients (a global gradient norm) then
 * fails to compile. Sum at most 7 at a time, then the partial sums.
 */
const MAX_INPUTS = 7;

export function fixAddNWebgpu(native: tf.KernelConfig): tf.KernelConfig {
  const addN = (args: Args): tf.TensorInfo => {
    const { inputs, backend } = args;
    if (inputs.length <= MAX_INPUTS) return native.kernelFunc(args as never) as tf.TensorInfo;
    const partial: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += MAX_INPUTS) {
      const group = inputs.slice(i, i + MAX_INPUTS);
      partial.push(group.length === 1 ? group[0] : (native.kernelFunc({ ...args, inputs: group } as never) as tf.TensorInfo));
    }
    const out = addN({ ...args, inputs: partial });
    for (const t of partial) if (!inputs.includes(t)) backend.disposeData(t.dataId);
    return out;
  };
  return { ...native, kernelFunc: addN as unknown as tf.KernelFunc };
}
