import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

/**
 * `gather` with `batchDims > 0` in plain JavaScript: out[b, o, i, :] = x[b, o, indices[b, i], :].
 * The wasm backend's own GatherV2 (tfjs-backend-wasm 4.22) returns wrong rows when `batchDims > 0`
 * (it strides through the indices of the wrong batch), silently; the cpu backend is right.
 */
function gatherBatched(args: Args): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const indices = inputs.indices as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const batchDims = attrs.batchDims as number;
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
    x as unknown as tf.Tensor,
    indices as unknown as tf.Tensor,
    axis,
    batchDims,
  );
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

/**
 * Wraps the wasm backend's GatherV2: `batchDims = 0` (every embedding lookup) keeps the fast
 * native kernel; `batchDims > 0` goes to `gatherBatched`, which gives the cpu backend's answer.
 */
export function fixGatherV2Wasm(native: tf.KernelConfig): tf.KernelConfig {
  return {
    ...native,
    kernelFunc: ((args: Args) =>
      ((args.attrs.batchDims as number) ?? 0) > 0 ? gatherBatched(args) : native.kernelFunc(args as never)) as unknown as tf.KernelFunc,
  };
}
