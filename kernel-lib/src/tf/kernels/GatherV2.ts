import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

/**
 * `gather` as one copy per picked slice: out[b, o, i, :] = x[b, o, indices[b, i], :]. The wasm
 * backend's own GatherV2 (tfjs-backend-wasm 4.22) returns wrong rows when `batchDims > 0` (it
 * strides through the indices of the wrong batch), silently; the cpu backend is right. And it
 * copies element by element, several times slower than these slice copies for the rows of an
 * embedding table.
 */
function gatherSlices(args: Args): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const indices = inputs.indices as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const batchDims = attrs.batchDims as number;
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as unknown as tf.Tensor, indices as unknown as tf.Tensor, axis, batchDims);
  const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
  const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
  const out = backend.makeOutput(outputShape, x.dtype);
  const outVals = backend.typedArrayFromHeap(out);
  const xVals = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(indices);
  for (const id of ids) {
    if (!(id >= 0 && id < dimSize)) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${id} is not in [0, ${dimSize - 1}]`);
    }
  }
  let dst = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const base = (b * outerSize + o) * dimSize;
      for (let i = 0; i < perBatch; i++) {
        const src = (base + ids[b * perBatch + i]) * sliceSize;
        outVals.set(xVals.subarray(src, src + sliceSize), dst);
        dst += sliceSize;
      }
    }
  }
  return out;
}

/** Slices shorter than this many elements are gathered by the native kernel (when batchDims = 0). */
const MIN_SLICE = 16;

/**
 * Wraps the wasm backend's GatherV2: `batchDims > 0` goes to `gatherSlices`, which gives the cpu
 * backend's answer, and so do gathers of long slices (every embedding lookup), which it copies
 * faster; short slices keep the native kernel.
 */
export function fixGatherV2Wasm(native: tf.KernelConfig): tf.KernelConfig {
  const useSlices = (args: Args): boolean => {
    if (((args.attrs.batchDims as number) ?? 0) > 0) return true;
    const x = args.inputs.x as tf.TensorInfo;
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    return x.dtype !== "string" && tf.util.sizeFromShape(x.shape.slice(axis + 1)) >= MIN_SLICE;
  };
  return {
    ...native,
    kernelFunc: ((args: Args) => (useSlices(args) ? gatherSlices(args) : native.kernelFunc(args as never))) as unknown as tf.KernelFunc,
  };
}
