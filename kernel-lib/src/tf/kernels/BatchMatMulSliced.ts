import * as tf from "@tensorflow/tfjs";
import { disposeOutput, heapOffset, makeOutput, matMulSlices, wasmInternals } from "../../internals/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/**
 * Multiply-adds per matrix below which the native kernel keeps the product: for tiny matrices
 * (one decoded token against a short cache) the cost of each XNNPACK call outweighs its speed.
 */
const MIN_SLICE_WORK = 16 * 1024;

/**
 * Products the wasm backend's own BatchMatMul runs slowly, made fast. Only a single, untransposed
 * product reaches XNNPACK there; a batch of products (attention's `[batch·heads, seq, headDim]`)
 * or a transposed operand (every backward pass) goes to a plain loop several times slower. Here
 * a transposed operand is transposed explicitly first (the backend's Transpose kernel), and a
 * batch runs as one XNNPACK product per matrix on slices of the operands in place (see
 * `matMulSlices`). Returns null for what the native kernel already does well or differently
 * (a single untransposed product, tiny or empty matrices, broadcast batches, int32).
 */
function slicedProduct(args: Args, native: tf.KernelConfig): tf.TensorInfo | null {
  const { inputs, attrs } = args;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  const ta = Boolean(attrs.transposeA);
  const tb = Boolean(attrs.transposeB);
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || a.shape.length !== b.shape.length) return null;
  const batchShape = a.shape.slice(0, -2);
  if (batchShape.some((d, i) => d !== b.shape[i])) return null;
  const batch = tf.util.sizeFromShape(batchShape);
  if (batch === 1 && !ta && !tb) return null;
  const rank = a.shape.length;
  const m = ta ? a.shape[rank - 1] : a.shape[rank - 2];
  const k = ta ? a.shape[rank - 2] : a.shape[rank - 1];
  const kb = tb ? b.shape[rank - 1] : b.shape[rank - 2];
  const p = tb ? b.shape[rank - 2] : b.shape[rank - 1];
  // Mismatched shapes: the native kernel answers (with tfjs's own message).
  if (k !== kb || m * k * p < MIN_SLICE_WORK) return null;
  const backend = wasmInternals(args.backend);
  const transpose = tf.getKernel("Transpose", "wasm")!.kernelFunc;
  const swapLast = [...batchShape.map((_, i) => i), rank - 1, rank - 2];
  const temporaries: tf.TensorInfo[] = [];
  const plain = (t: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
    if (!transposed) return t;
    const out = transpose({ inputs: { x: t }, backend: args.backend as tf.KernelBackend, attrs: { perm: swapLast } }) as tf.TensorInfo;
    temporaries.push(out);
    return out;
  };
  const a2 = plain(a, ta);
  const b2 = plain(b, tb);
  let out: tf.TensorInfo;
  if (batch === 1) {
    out = native.kernelFunc({
      inputs: { a: a2, b: b2 },
      backend: args.backend as tf.KernelBackend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
  } else {
    out = makeOutput(backend, [...batchShape, m, p]);
    matMulSlices(backend, batch, m, k, p, heapOffset(backend, a2), heapOffset(backend, b2), heapOffset(backend, out));
  }
  for (const t of temporaries) disposeOutput(backend, t);
  return out;
}

/**
 * Wraps the wasm backend's BatchMatMul so that batched and transposed float32 products run as
 * XNNPACK products (see `slicedProduct`); everything else goes to the native kernel unchanged.
 */
export function slicedBatchMatMulWasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) => slicedProduct(args, native) ?? native.kernelFunc(args as never)) as unknown as tf.KernelFunc,
  };
}
