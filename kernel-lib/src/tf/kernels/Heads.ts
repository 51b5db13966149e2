import type * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, type WasmBackendInternals, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { HEADS_TO_ROWS, type HeadsAttrs, headsAttrs, ROWS_TO_HEADS } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The function of Heads.wat; pointers are byte offsets into the backend's memory. */
interface HeadsWasm {
  copy_rows(src: number, dst: number, rows: number, bytes: number, srcStride: number, dstStride: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** One strided copy per (part, batch, head) between the rows and heads layouts; `toHeads` picks the direction. */
function moveHeads(b: WasmBackendInternals, rows: tf.TensorInfo, parts: tf.TensorInfo[], a: HeadsAttrs, toHeads: boolean): void {
  const { copy_rows } = heapModule<HeadsWasm>(b, "Heads");
  const width = a.heads.reduce((s, h) => s + h, 0) * a.headDim;
  const rowsOff = heapOffset(b, rows);
  const bytes = 4 * a.headDim;
  let col = 0;
  a.heads.forEach((nh, p) => {
    const partOff = heapOffset(b, parts[p]);
    for (let batch = 0; batch < a.batch; batch++) {
      for (let h = 0; h < nh; h++) {
        const r = rowsOff + 4 * (batch * a.seq * width + col + h * a.headDim);
        const hd = partOff + 4 * (batch * nh + h) * a.seq * a.headDim;
        if (toHeads) copy_rows(r, hd, a.seq, bytes, 4 * width, bytes);
        else copy_rows(hd, r, a.seq, bytes, bytes, 4 * width);
      }
    }
    col += nh * a.headDim;
  });
}

function rowsToHeadsWasm({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const a = headsAttrs(attrs);
  const outs = a.heads.map((nh) => makeOutput(b, [a.batch, nh, a.seq, a.headDim]));
  moveHeads(b, inputs.x as tf.TensorInfo, outs, a, true);
  return outs;
}

function headsToRowsWasm({ inputs, backend, attrs }: Args): tf.TensorInfo {
  const b = wasmInternals(backend);
  const a = headsAttrs(attrs);
  const width = a.heads.reduce((s, h) => s + h, 0) * a.headDim;
  const out = makeOutput(b, [a.batch * a.seq, width]);
  moveHeads(
    b,
    out,
    a.heads.map((_, p) => inputs[`p${p}`] as tf.TensorInfo),
    a,
    false,
  );
  return out;
}

/** `RowsToHeads` (see ../ops/heads.ts) for the wasm backend: strided copies in WebAssembly (Heads.wat). */
export const rowsToHeadsWasmKernel = wasmKernel(ROWS_TO_HEADS, rowsToHeadsWasm);

/** `HeadsToRows`, the inverse move (and the gradient of `RowsToHeads`), for the wasm backend. */
export const headsToRowsWasmKernel = wasmKernel(HEADS_TO_ROWS, headsToRowsWasm);
