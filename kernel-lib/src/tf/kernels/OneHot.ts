import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

/**
 * `oneHot` into a float32 (or bool) tensor. The wasm backend's own OneHot (tfjs-backend-wasm 4.22)
 * always writes 32-bit integers, so with `dtype: "float32"` a 1 comes out as 1.4e-45 (the bit
 * pattern of integer 1 read as a float) and fractional on/off values become 0 — silently wrong
 * targets for a cross-entropy. Indices outside `[0, depth)` give a row of `offValue`, as on cpu.
 */
function oneHotFloat(args: Args): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const indices = inputs.indices as tf.TensorInfo;
  const depth = attrs.depth as number;
  const onValue = attrs.onValue as number;
  const offValue = attrs.offValue as number;
  const dtype = attrs.dtype as tf.DataType;
  const out = backend.makeOutput([...indices.shape, depth], dtype);
  const outVals = backend.typedArrayFromHeap(out);
  outVals.fill(offValue);
  const ids = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id >= 0 && id < depth) outVals[i * depth + id] = onValue;
  }
  return out;
}

/** Wraps the wasm OneHot: int32 output keeps the native kernel, anything else goes to `oneHotFloat`. */
export function fixOneHotWasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) =>
      (args.attrs.dtype ?? "int32") === "int32" ? native.kernelFunc(args as never) : oneHotFloat(args)) as unknown as tf.KernelFunc,
  };
}
