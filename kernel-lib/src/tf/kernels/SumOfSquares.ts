import * as tf from "@tensorflow/tfjs";
import { heapOffset, heapView, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { SUM_OF_SQUARES } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The function of SumOfSquares.wat; the pointer is a byte offset into the backend's memory. */
interface SumOfSquaresWasm {
  sum_of_squares(x: number, n: number): number;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown };

/** Σ x² over all inputs on wasm: one pass over each, the totals added in f64, one scalar out. */
function sumOfSquaresWasm({ inputs, backend }: Args): tf.TensorInfo {
  const b = wasmInternals(backend);
  const module = heapModule<SumOfSquaresWasm>(b, "SumOfSquares");
  let total = 0;
  for (const x of Object.values(inputs) as tf.TensorInfo[]) total += module.sum_of_squares(heapOffset(b, x), tf.util.sizeFromShape(x.shape));
  const out = makeOutput(b, []);
  heapView(b, out)[0] = total;
  return out;
}

/** `SumOfSquares` (see ../ops/sum-of-squares.ts) for the wasm backend, in WebAssembly SIMD (SumOfSquares.wat). */
export const sumOfSquaresWasmKernel = wasmKernel(SUM_OF_SQUARES, sumOfSquaresWasm);
