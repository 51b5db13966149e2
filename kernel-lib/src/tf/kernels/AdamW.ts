import * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { ADAMW_UPDATE } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The function of AdamW.wat; pointers are byte offsets into the backend's memory. */
interface AdamWWasm {
  adamw(
    w: number,
    g: number,
    m: number,
    v: number,
    wOut: number,
    n: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    invC2: number,
    eps: number,
    stepSize: number,
    decay: number,
    gradScale: number,
  ): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** One AdamW update on wasm, in one pass over the parameter: m and v in place, the new w as output. */
function adamWUpdateWasm({ inputs, backend, attrs }: Args): tf.TensorInfo {
  const b = wasmInternals(backend);
  const { w, g, m, v } = inputs as Record<string, tf.TensorInfo>;
  const out = makeOutput(b, w.shape);
  const off = (t: tf.TensorInfo) => heapOffset(b, t);
  const a = attrs as Record<string, number>;
  const n = tf.util.sizeFromShape(w.shape);
  heapModule<AdamWWasm>(b, "AdamW").adamw(
    off(w),
    off(g),
    off(m),
    off(v),
    off(out),
    n,
    a.beta1,
    a.beta2,
    1 - a.beta1,
    1 - a.beta2,
    1 / a.c2,
    a.eps,
    a.stepSize,
    a.decay,
    a.gradScale ?? 1,
  );
  return out;
}

/** `AdamWUpdate` (see ../ops/adamw.ts) for the wasm backend, in WebAssembly SIMD (AdamW.wat). */
export const adamWUpdateWasmKernel = wasmKernel(ADAMW_UPDATE, adamWUpdateWasm);
