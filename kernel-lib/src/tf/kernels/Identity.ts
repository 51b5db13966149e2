import type * as tf from "@tensorflow/tfjs";

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/**
 * `Identity` (tf.clone) as a new reference to the same data, the way the wasm backend's Reshape
 * already works, instead of a copy. tfjs clones every tensor a gradient saves for the backward
 * pass (≈ 140 per step of the baby GPT, up to 1.5 MB each): each clone was a full copy. Tensors
 * are immutable, so sharing is safe; the one kernel-lib kernel that writes in place (AdamWUpdate,
 * the optimizer's moments) first gives a moment that shares its data a private copy (see
 * ../ops/adamw.ts). Strings keep the native kernel.
 */
export function shareIdentityWasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === "string") return native.kernelFunc(args as never);
      args.backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }) as unknown as tf.KernelFunc,
  };
}
