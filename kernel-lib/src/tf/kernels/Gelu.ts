import type * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { GELU, GELU_GRAD } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The functions of Gelu.wat; pointers are byte offsets into the backend's memory. */
interface GeluWasm {
  gelu_fwd(x: number, y: number, n: number): void;
  gelu_bwd(dy: number, x: number, dx: number, n: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown };

function geluWasm({ inputs, backend }: Args): tf.TensorInfo {
  const b = wasmInternals(backend);
  const x = inputs.x as tf.TensorInfo;
  const y = makeOutput(b, x.shape);
  heapModule<GeluWasm>(b, "Gelu").gelu_fwd(heapOffset(b, x), heapOffset(b, y), sizeOf(x));
  return y;
}

function geluGradWasm({ inputs, backend }: Args): tf.TensorInfo {
  const b = wasmInternals(backend);
  const { dy, x } = inputs as Record<string, tf.TensorInfo>;
  const dx = makeOutput(b, x.shape);
  heapModule<GeluWasm>(b, "Gelu").gelu_bwd(heapOffset(b, dy), heapOffset(b, x), heapOffset(b, dx), sizeOf(x));
  return dx;
}

function sizeOf(t: tf.TensorInfo): number {
  return t.shape.reduce((a, d) => a * d, 1);
}

/** `Gelu` (see ../ops/gelu.ts) for the wasm backend, in WebAssembly SIMD (Gelu.wat). */
export const geluWasmKernel = wasmKernel(GELU, geluWasm);

/** `GeluGrad`, the gradient kernel of `Gelu`, for the wasm backend. */
export const geluGradWasmKernel = wasmKernel(GELU_GRAD, geluGradWasm);
