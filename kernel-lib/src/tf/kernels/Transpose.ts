import * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { heapModule } from "./heap-module";

/** The function of Transpose.wat; pointers are byte offsets into the backend's memory. */
interface TransposeWasm {
  transpose(src: number, dst: number, count: number, rows: number, cols: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** Whether `perm` swaps the last two axes and keeps the others in order ([0, …, r−3, r−1, r−2]). */
function swapsLastTwo(perm: number[]): boolean {
  const r = perm.length;
  return r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, -2).every((p, i) => p === i);
}

/**
 * Transposes of the last two axes of float32 and int32 tensors (a matrix, or a batch of them) in
 * blocks of 4 × 4 (Transpose.wat). The backend's own kernel writes one value per output row per
 * step; a transposed matMul operand on XNNPACK (BatchMatMulSliced.ts: every backward pass) is
 * such a transpose. Other permutations and dtypes go to the native kernel.
 */
export function blockedTransposeWasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const perm = args.attrs.perm as number[];
      if ((x.dtype !== "float32" && x.dtype !== "int32") || !swapsLastTwo(perm) || tf.util.sizeFromShape(x.shape) === 0) {
        return native.kernelFunc(args as never);
      }
      const b = wasmInternals(args.backend);
      const r = x.shape.length;
      const [rows, cols] = x.shape.slice(-2);
      const out = makeOutput(b, [...x.shape.slice(0, -2), cols, rows], x.dtype);
      heapModule<TransposeWasm>(b, "Transpose").transpose(heapOffset(b, x), heapOffset(b, out), tf.util.sizeFromShape(x.shape.slice(0, r - 2)), rows, cols);
      return out;
    }) as unknown as tf.KernelFunc,
  };
}
