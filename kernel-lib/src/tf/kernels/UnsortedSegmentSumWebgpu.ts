import * as tf from "@tensorflow/tfjs";

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function call(name: string, args: Args): tf.TensorInfo {
  const kernel = tf.getKernel(name, "webgpu");
  if (kernel == null) throw new Error(`the webgpu backend has no ${name} kernel`);
  return kernel.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * `UnsortedSegmentSum` (the gradient of `gather`, so of every embedding) on WebGPU. The shader of
 * tfjs-backend-webgpu 4.22 does not compile on current WebGPU implementations ("too few arguments
 * in call to getSegmentIds"). Here it is one matrix product instead:
 * `out[s] = Σ_i [id_i = s] · x[i]`, i.e. `oneHot(ids)ᵀ · x` — ids outside `[0, numSegments)` give an
 * all-zero one-hot row, so they are dropped, as on the cpu backend.
 */
function unsortedSegmentSum(args: Args): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const ids = inputs.segmentIds as tf.TensorInfo;
  const numSegments = attrs.numSegments as number;
  const idsRank = ids.shape.length;
  for (let d = 0; d < idsRank; d++) {
    if (ids.shape[d] !== x.shape[d]) {
      throw new Error(`UnsortedSegmentSum: segmentIds shape [${ids.shape}] must be a prefix of x shape [${x.shape}]`);
    }
  }
  const rows = tf.util.sizeFromShape(ids.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(idsRank));
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => {
    temps.push(t);
    return t;
  };
  const flatIds = keep(call(tf.Reshape, { inputs: { x: ids }, backend, attrs: { shape: [rows] } }));
  let x2 = keep(call(tf.Reshape, { inputs: { x }, backend, attrs: { shape: [1, rows, inner] } }));
  if (x.dtype !== "float32") x2 = keep(call(tf.Cast, { inputs: { x: x2 }, backend, attrs: { dtype: "float32" } }));
  const hot = keep(call(tf.OneHot, { inputs: { indices: flatIds }, backend, attrs: { depth: numSegments, onValue: 1, offValue: 0, dtype: "float32" } }));
  const hot3 = keep(call(tf.Reshape, { inputs: { x: hot }, backend, attrs: { shape: [1, rows, numSegments] } }));
  let sum = keep(call(tf.BatchMatMul, { inputs: { a: hot3, b: x2 }, backend, attrs: { transposeA: true, transposeB: false } }));
  if (x.dtype !== "float32") sum = keep(call(tf.Cast, { inputs: { x: sum }, backend, attrs: { dtype: x.dtype } }));
  const out = call(tf.Reshape, { inputs: { x: sum }, backend, attrs: { shape: [numSegments, ...x.shape.slice(idsRank)] } });
  for (const t of temps) backend.disposeData(t.dataId);
  return out;
}

/** Replaces the webgpu backend's UnsortedSegmentSum (its shader does not compile). */
export function fixUnsortedSegmentSumWebgpu(native: tf.KernelConfig): tf.KernelConfig {
  return { ...native, kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc };
}
