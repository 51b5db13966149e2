import * as tf from "@tensorflow/tfjs";
import { disposeOutput, heapOffset, makeOutput, type WasmBackendInternals, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The sizes both functions of Attention.wat take last: batch, heads, kv heads, length, head size, scale. */
type Dims = [nb: number, nh: number, nkv: number, t: number, d: number, scale: number];

/** The functions of Attention.wat; pointers are byte offsets into the backend's memory. */
interface AttentionWasm {
  attn_fwd(q: number, k: number, v: number, o: number, m: number, l: number, s: number, ...dims: Dims): void;
  attn_bwd(
    q: number,
    k: number,
    v: number,
    dout: number,
    m: number,
    l: number,
    dq: number,
    dk: number,
    dv: number,
    s: number,
    dp: number,
    pt: number,
    dst: number,
    ...dims: Dims
  ): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** `[B, H, T, D]` of q, the kv heads of k, and the scale: the kernels' last arguments. */
function dimsOf(q: tf.TensorInfo, k: tf.TensorInfo, attrs: tf.NamedAttrMap): Dims {
  const [nb, nh, t, d] = q.shape;
  return [nb, nh, k.shape[1], t, d, attrs.scale as number];
}

/** Runs `f` with scratch buffers of the given numbers of floats (byte offsets), freed afterwards. */
function withScratch<T>(b: WasmBackendInternals, sizes: number[], f: (...rows: number[]) => T): T {
  const rows = sizes.map((n) => makeOutput(b, [n]));
  try {
    return f(...rows.map((r) => heapOffset(b, r)));
  } finally {
    for (const r of rows) disposeOutput(b, r);
  }
}

/** A scratch row of t floats, rounded up to whole vectors of 4. */
const row4 = (t: number) => Math.ceil(t / 4) * 4;

/** Causal attention forward on wasm: o, and the per-row max m and 1/Σ l the gradient needs. */
function causalAttentionWasm({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const { q, k, v } = inputs as Record<string, tf.TensorInfo>;
  const dims = dimsOf(q, k, attrs);
  const [nb, nh, , t] = dims;
  const o = makeOutput(b, q.shape);
  const m = makeOutput(b, [nb, nh, t]);
  const l = makeOutput(b, [nb, nh, t]);
  const off = (x: tf.TensorInfo) => heapOffset(b, x);
  withScratch(b, [row4(t)], (s) => heapModule<AttentionWasm>(b, "Attention").attn_fwd(off(q), off(k), off(v), off(o), off(m), off(l), s, ...dims));
  return [o, m, l];
}

/**
 * Causal attention's gradient on wasm: dq, dk, dv, the softmax recomputed from q, k and the saved
 * m and l (scratch: two rows, and one head's P and dS transposed).
 */
function causalAttentionGradWasm({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const { dy, q, k, v, m, l } = inputs as Record<string, tf.TensorInfo>;
  const dims = dimsOf(q, k, attrs);
  const t = dims[3];
  const dq = makeOutput(b, q.shape);
  const dk = makeOutput(b, k.shape);
  const dv = makeOutput(b, v.shape);
  const off = (x: tf.TensorInfo) => heapOffset(b, x);
  withScratch(b, [row4(t), row4(t), t * t, t * t], (s, dp, pt, dst) =>
    heapModule<AttentionWasm>(b, "Attention").attn_bwd(off(q), off(k), off(v), off(dy), off(m), off(l), off(dq), off(dk), off(dv), s, dp, pt, dst, ...dims),
  );
  return [dq, dk, dv];
}

/** `CausalAttention` (see ../ops/attention.ts) for the wasm backend, in WebAssembly SIMD (Attention.wat). */
export const causalAttentionWasmKernel = wasmKernel(CAUSAL_ATTENTION, causalAttentionWasm);

/** `CausalAttentionGrad`, the gradient kernel of `CausalAttention`, for the wasm backend. */
export const causalAttentionGradWasmKernel = wasmKernel(CAUSAL_ATTENTION_GRAD, causalAttentionGradWasm);
