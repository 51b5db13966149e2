import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

/**
 * `cast(x, "bool")`: true wherever x is not 0. The wasm backend's own Cast (tfjs-backend-wasm
 * 4.22) copies the numbers into bytes instead, so 0.5 becomes false (0), 3 stays 3 and -2 becomes
 * 254 — a mask built with `cast` silently keeps or drops the wrong entries.
 */
function castToBool(args: Args): tf.TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as tf.TensorInfo;
  const out = backend.makeOutput(x.shape, "bool");
  const outVals = backend.typedArrayFromHeap(out);
  const xVals = backend.typedArrayFromHeap(x);
  for (let i = 0; i < xVals.length; i++) outVals[i] = xVals[i] !== 0 ? 1 : 0;
  return out;
}

/** Wraps the wasm Cast: casts to bool go to `castToBool`, every other cast keeps the native kernel. */
export function fixCastWasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) =>
      args.attrs.dtype === "bool" && (args.inputs.x as tf.TensorInfo).dtype !== "bool"
        ? castToBool(args)
        : native.kernelFunc(args as never)) as unknown as tf.KernelFunc,
  };
}
