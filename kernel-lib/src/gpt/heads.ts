/**
 * Moving attention heads between the two layouts a GPT block uses:
 *
 *   rows  `[batch·seq, Σ heads·headDim]` — what the q/k/v projection produces and c_proj consumes;
 *   heads `[batch, heads, seq, headDim]` — what attention multiplies.
 *
 * `splitHeads` cuts the fused q|k|v projection into q, k and v in the heads layout; `mergeHeads`
 * puts attention's output back into rows. Written with tfjs ops that is a split, three reshapes
 * and three transposes (and their gradients: a concat and three more transposes), ≈ 5 ms a layer
 * on the wasm backend; there both directions are one strided copy each (heap-kernels.ts
 * `copy_rows`), registered as two kernels that are each other's gradient. Elsewhere, and when
 * headDim is not a multiple of 4, the tfjs ops run.
 */
import * as tf from "@tensorflow/tfjs";
import { heapKernels, offsetOf } from "./heap-kernels";

const ROWS_TO_HEADS = "LlmLessonsRowsToHeads";
const HEADS_TO_ROWS = "LlmLessonsHeadsToRows";

interface Attrs {
  batch: number;
  seq: number;
  headDim: number;
  /** Heads of each part, in column order (q, k, v: [nHead, nKvHead, nKvHead]). */
  heads: number[];
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap };
type Heap = NonNullable<ReturnType<typeof heapKernels>>;

/** The kernels of the current (wasm) backend; the two kernels below are registered for wasm only. */
function heapOrThrow(kernelName: string): Heap {
  const heap = heapKernels();
  if (heap === null) throw new Error(`${kernelName} needs the wasm backend`);
  return heap;
}

/** One strided copy per (part, batch, head) between the two layouts; `toHeads` picks the direction. */
function moveHeads(heap: Heap, rows: tf.TensorInfo, parts: tf.TensorInfo[], a: Attrs, toHeads: boolean): void {
  const { kernels, backend } = heap;
  const width = a.heads.reduce((s, h) => s + h, 0) * a.headDim;
  const rowsOff = offsetOf(backend, rows);
  const bytes = 4 * a.headDim;
  let col = 0;
  a.heads.forEach((nh, p) => {
    const partOff = offsetOf(backend, parts[p]);
    for (let b = 0; b < a.batch; b++) {
      for (let h = 0; h < nh; h++) {
        const r = rowsOff + 4 * (b * a.seq * width + col + h * a.headDim);
        const hd = partOff + 4 * (b * nh + h) * a.seq * a.headDim;
        if (toHeads) kernels.copy_rows(r, hd, a.seq, bytes, 4 * width, bytes);
        else kernels.copy_rows(hd, r, a.seq, bytes, bytes, 4 * width);
      }
    }
    col += nh * a.headDim;
  });
}

function attrsOf(attrs: tf.NamedAttrMap): Attrs {
  return { batch: attrs.batch as number, seq: attrs.seq as number, headDim: attrs.headDim as number, heads: attrs.heads as number[] };
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: ROWS_TO_HEADS,
    backendName: "wasm",
    kernelFunc: (({ inputs, attrs }: KernelArgs) => {
      const a = attrsOf(attrs);
      const heap = heapOrThrow(ROWS_TO_HEADS);
      const outs = a.heads.map((nh) => heap.backend.makeOutput([a.batch, nh, a.seq, a.headDim], "float32"));
      moveHeads(heap, inputs.x as tf.TensorInfo, outs, a, true);
      return outs;
    }) as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: HEADS_TO_ROWS,
    backendName: "wasm",
    kernelFunc: (({ inputs, attrs }: KernelArgs) => {
      const a = attrsOf(attrs);
      const width = a.heads.reduce((s, h) => s + h, 0) * a.headDim;
      const heap = heapOrThrow(HEADS_TO_ROWS);
      const out = heap.backend.makeOutput([a.batch * a.seq, width], "float32");
      moveHeads(heap, out, a.heads.map((_, p) => inputs[`p${p}`] as tf.TensorInfo), a, false);
      return out;
    }) as unknown as tf.KernelFunc,
  });
  tf.registerGradient({
    kernelName: ROWS_TO_HEADS,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const parts = Array.isArray(dy) ? dy : [dy];
      const inputs: tf.NamedTensorMap = {};
      parts.forEach((t, p) => (inputs[`p${p}`] = t));
      return { x: () => tf.engine().runKernel(HEADS_TO_ROWS, inputs, attrs) as tf.Tensor };
    },
  });
  tf.registerGradient({
    kernelName: HEADS_TO_ROWS,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const grads = tf.engine().runKernel(ROWS_TO_HEADS, { x: dy as tf.Tensor }, attrs) as unknown as tf.Tensor[];
      const out: Record<string, () => tf.Tensor> = {};
      grads.forEach((g, p) => (out[`p${p}`] = () => g));
      return out;
    },
  });
}

function fast(headDim: number): boolean {
  return headDim % 4 === 0 && heapKernels() !== null;
}

/**
 * q `[batch, nHead, seq, hd]`, k and v `[batch, nKvHead, seq, hd]` from the projection `qkv`
 * `[batch·seq, (nHead + 2·nKvHead)·hd]` whose columns hold q, then k, then v (nanoGPT's c_attn).
 */
export function splitHeads(qkv: tf.Tensor2D, batch: number, seq: number, nHead: number, nKvHead: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const width = qkv.shape[1];
  const hd = width / (nHead + 2 * nKvHead);
  if (!Number.isInteger(hd) || qkv.shape[0] !== batch * seq) {
    throw new RangeError(`splitHeads: qkv [${qkv.shape}] does not hold ${batch}·${seq} rows of ${nHead} + 2·${nKvHead} heads`);
  }
  if (fast(hd)) {
    register();
    const attrs = { batch, seq, headDim: hd, heads: [nHead, nKvHead, nKvHead] };
    return tf.engine().runKernel(ROWS_TO_HEADS, { x: qkv }, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  }
  const [q2, k2, v2] = tf.split(qkv, [nHead * hd, nKvHead * hd, nKvHead * hd], 1);
  const toHeads = (t: tf.Tensor, nh: number) => tf.transpose(tf.reshape(t, [batch, seq, nh, hd]), [0, 2, 1, 3]) as tf.Tensor4D;
  return [toHeads(q2, nHead), toHeads(k2, nKvHead), toHeads(v2, nKvHead)];
}

/** `[batch, heads, seq, hd]` → `[batch·seq, heads·hd]` (each position's heads side by side). */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, seq, hd] = x.shape;
  if (fast(hd)) {
    register();
    const attrs = { batch, seq, headDim: hd, heads: [heads] };
    return tf.engine().runKernel(HEADS_TO_ROWS, { p0: x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch * seq, heads * hd]) as tf.Tensor2D;
}
