import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/**
 * `UnsortedSegmentSum` for the wasm backend: `out[s] = Σ x[i]` over every row `i` whose segment id
 * is `s`. It is the gradient of `gather`, so every embedding table needs it to train; the wasm
 * backend ships without it.
 *
 * Why a plain loop is right here: each input row is added once to one output row, so the work is
 * a single pass over `x` (the cpu backend builds one masked copy of `x` per segment instead).
 * Segment ids outside `[0, numSegments)` are dropped, as on the cpu backend and in TensorFlow.
 */
type Typed = Float32Array | Int32Array | Uint8Array;

interface Plan {
  rows: number;
  inner: number;
  numSegments: number;
  outShape: number[];
}

/** Checks the arguments and works out the shapes: `x` is `[...segmentIds.shape, ...inner]`. */
function plan(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): Plan {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new RangeError(`UnsortedSegmentSum: numSegments must be an integer >= 0, got ${numSegments}`);
  }
  const idsRank = segmentIds.shape.length;
  for (let d = 0; d < idsRank; d++) {
    if (segmentIds.shape[d] !== x.shape[d]) {
      throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
    }
  }
  return {
    rows: tf.util.sizeFromShape(segmentIds.shape),
    inner: tf.util.sizeFromShape(x.shape.slice(idsRank)),
    numSegments,
    outShape: [numSegments, ...x.shape.slice(idsRank)],
  };
}

/** The loop itself: adds row `i` of `x` into row `ids[i]` of the zero-filled `out`. */
function segmentSum(p: Plan, xVals: Typed, ids: Typed, out: Typed): void {
  const { rows, inner, numSegments } = p;
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += xVals[src + j];
  }
}

type KernelArgs<B> = { inputs: tf.NamedTensorInfoMap; backend: B; attrs: tf.NamedAttrMap };

function unsortedSegmentSumWasmFunc(args: KernelArgs<BackendWasm>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const p = plan(x, segmentIds, attrs.numSegments as number);
  // Allocate first: growing the wasm heap detaches views taken earlier.
  const out = backend.makeOutput(p.outShape, x.dtype);
  const outVals = backend.typedArrayFromHeap(out);
  outVals.fill(0);
  segmentSum(p, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(segmentIds), outVals);
  return out;
}

interface CpuLike {
  readSync(dataId: tf.DataId): tf.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.BackendValues): tf.TensorInfo;
}

function unsortedSegmentSumCpuFunc(args: KernelArgs<CpuLike>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const p = plan(x, segmentIds, attrs.numSegments as number);
  const out = x.dtype === "int32" ? new Int32Array(tf.util.sizeFromShape(p.outShape)) : new Float32Array(tf.util.sizeFromShape(p.outShape));
  segmentSum(p, backend.readSync(x.dataId) as Typed, backend.readSync(segmentIds.dataId) as Typed, out);
  return backend.makeTensorInfo(p.outShape, x.dtype, out);
}

/** Kernel registration for `UnsortedSegmentSum` on the wasm backend. */
export const unsortedSegmentSumWasm: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSumWasmFunc as unknown as tf.KernelFunc,
};

/**
 * Replacement for the cpu backend's `UnsortedSegmentSum`, which makes one masked copy of `x` per
 * segment (O(segments × size): an embedding gradient over a 256-token vocabulary took seconds)
 * and fails on 2-D segment ids. Same single pass as on wasm.
 */
export function fixUnsortedSegmentSumCpu(native: tf.KernelConfig): tf.KernelConfig {
  return { ...native, kernelFunc: unsortedSegmentSumCpuFunc as unknown as tf.KernelFunc };
}
