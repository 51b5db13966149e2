import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { blasStatus, sgemm } from "../blas";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

/** Activations of `_FusedMatMul` done here; the others go to the native kernel. */
const ACTIVATIONS = new Set(["linear", "relu"]);

/**
 * `matMul` (BatchMatMul) and `fused.matMul` (_FusedMatMul) on the wasm backend's memory with a
 * native sgemm (see ../blas.ts): op(A)·op(B) per batch slice, transposes handled by BLAS without
 * copies, batch dimensions equal or one side 1 (broadcast). Then, for the fused kernel, the bias
 * (one value per output column, or one per output element, written into the output before the
 * product is added onto it) and a linear or ReLU activation.
 * Returns null for anything else (int32, other broadcasts, other activations, empty shapes), and
 * the caller uses the backend's own kernel.
 */
function blasProduct(args: Args, fused: boolean): tf.TensorInfo | null {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return null;
  const ta = Boolean(attrs.transposeA);
  const tb = Boolean(attrs.transposeB);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = tb ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  // Mismatched inner sizes: the native kernel throws tfjs's own message.
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(batchShapeA);
  const batchB = tf.util.sizeFromShape(batchShapeB);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  let outBatchShape: number[];
  try {
    outBatchShape = tf.backend_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  } catch {
    return null;
  }
  const batch = Math.max(batchA, batchB);
  if (tf.util.sizeFromShape(outBatchShape) !== batch) return null;
  const bias = fused ? (inputs.bias as tf.TensorInfo | undefined) : undefined;
  const activation = fused ? ((attrs.activation as string | undefined) ?? "linear") : "linear";
  if (fused && (!ACTIVATIONS.has(activation) || inputs.preluActivationWeights != null)) return null;
  const outSize = batch * m * n;
  if (bias != null) {
    const size = tf.util.sizeFromShape(bias.shape);
    if (bias.dtype !== "float32" || (!(size === n && bias.shape[bias.shape.length - 1] === n) && size !== outSize)) return null;
  }
  const out = backend.makeOutput([...outBatchShape, m, n], "float32");
  // Views after makeOutput: allocating may have grown (and replaced) the wasm memory.
  const av = backend.typedArrayFromHeap(a) as Float32Array;
  const bv = backend.typedArrayFromHeap(b) as Float32Array;
  const ov = backend.typedArrayFromHeap(out) as Float32Array;
  // The bias goes into C first and the product is added onto it (sgemm's beta = 1): no extra pass.
  if (bias != null) {
    const biasv = backend.typedArrayFromHeap(bias) as Float32Array;
    if (biasv.length === outSize) ov.set(biasv);
    else {
      // One row, then copies of what is written so far, doubling: ≈ log₂(rows) calls, not one per row.
      ov.set(biasv);
      for (let done = n; done < outSize; done *= 2) ov.copyWithin(done, 0, Math.min(done, outSize - done));
    }
  }
  const strideA = batchA === 1 ? 0 : m * k;
  const strideB = batchB === 1 ? 0 : k * n;
  for (let s = 0; s < batch; s++) {
    const c = ov.subarray(s * m * n, (s + 1) * m * n);
    sgemm(ta, tb, m, n, k, av.subarray(s * strideA, s * strideA + m * k), bv.subarray(s * strideB, s * strideB + k * n), c, bias != null);
  }
  if (activation === "relu") for (let i = 0; i < outSize; i++) if (ov[i] < 0) ov[i] = 0;
  return out;
}

function routeToBlas(native: tf.KernelConfig, fused: boolean): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) => {
      const out = blasStatus()?.available ? blasProduct(args, fused) : null;
      return out ?? native.kernelFunc(args as never);
    }) as unknown as tf.KernelFunc,
  };
}

/** Wraps the wasm backend's BatchMatMul: float32 products go to native BLAS when it is loaded. */
export function blasBatchMatMulWasm(native: tf.KernelConfig): tf.KernelConfig {
  return routeToBlas(native, false);
}

/** Wraps the wasm backend's _FusedMatMul (bias + linear/ReLU) the same way. */
export function blasFusedMatMulWasm(native: tf.KernelConfig): tf.KernelConfig {
  return routeToBlas(native, true);
}
