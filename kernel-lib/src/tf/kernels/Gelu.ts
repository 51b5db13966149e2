import * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { GELU } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The function of Gelu.wat; pointers are byte offsets into the backend's memory. */
interface GeluWasm {
  gelu(x: number, y: number, d: number, n: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown };

/** GELU on wasm: y and its derivative in one pass (the op's gradient multiplies dy by the latter). */
function geluWasm({ inputs, backend }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const x = inputs.x as tf.TensorInfo;
  const y = makeOutput(b, x.shape);
  const d = makeOutput(b, x.shape);
  heapModule<GeluWasm>(b, "Gelu").gelu(heapOffset(b, x), heapOffset(b, y), heapOffset(b, d), tf.util.sizeFromShape(x.shape));
  return [y, d];
}

/** `Gelu` (see ../ops/gelu.ts) for the wasm backend, in WebAssembly SIMD (Gelu.wat). */
export const geluWasmKernel = wasmKernel(GELU, geluWasm);
