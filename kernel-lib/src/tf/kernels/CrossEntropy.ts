import * as tf from "@tensorflow/tfjs";
import { disposeOutput, heapOffset, heapView, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { CROSS_ENTROPY } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The exponential of Attention.wat: s[j] ← exp(s[j] − shift) · factor for j < n (n rounded up to 4). */
interface ExpRowWasm {
  exp_row(s: number, n: number, shift: number, factor: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown };

/**
 * Softmax cross-entropy on wasm, row by row: the max m, e_j = exp(z_j − m) in WebAssembly SIMD
 * (Attention.wat's `exp_row`, on a scratch row), their sum Σ; the row's loss m + ln Σ − z_target
 * and its gradient row e_j / (Σ · n), less 1/n at the target. Outputs the mean loss and the
 * gradient `[n, vocab]`.
 */
function crossEntropyWasm({ inputs, backend }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const logits = inputs.logits as tf.TensorInfo;
  const [n, vocab] = logits.shape;
  const loss = makeOutput(b, []);
  const grad = makeOutput(b, [n, vocab]);
  // The scratch row is whole vectors of 4 long: exp_row writes up to the next multiple of 4.
  const scratch = makeOutput(b, [Math.ceil(vocab / 4) * 4]);
  try {
    const expRow = heapModule<ExpRowWasm>(b, "Attention").exp_row;
    // Views after the outputs are made: allocating may have grown (and replaced) the wasm memory.
    const z = heapView(b, logits);
    const targets = b.typedArrayFromHeap(inputs.targets as tf.TensorInfo) as Int32Array;
    const g = heapView(b, grad);
    const e = heapView(b, scratch);
    const at = heapOffset(b, scratch);
    let total = 0;
    for (let r = 0, o = 0; r < n; r++, o += vocab) {
      let m = -Infinity;
      for (let j = 0; j < vocab; j++) if (z[o + j] > m) m = z[o + j];
      e.set(z.subarray(o, o + vocab));
      expRow(at, vocab, m, 1);
      let sum = 0;
      for (let j = 0; j < vocab; j++) sum += e[j];
      const t = targets[r];
      total += m + Math.log(sum) - z[o + t];
      const f = 1 / (sum * n);
      for (let j = 0; j < vocab; j++) g[o + j] = e[j] * f;
      g[o + t] -= 1 / n;
    }
    heapView(b, loss)[0] = total / n;
  } finally {
    disposeOutput(b, scratch);
  }
  return [loss, grad];
}

/** `SoftmaxCrossEntropy` (see ../ops/cross-entropy.ts) for the wasm backend. */
export const crossEntropyWasmKernel = wasmKernel(CROSS_ENTROPY, crossEntropyWasm);
