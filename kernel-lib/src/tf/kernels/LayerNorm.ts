import * as tf from "@tensorflow/tfjs";
import { heapOffset, makeOutput, wasmInternals } from "../../internals/tfjs-backend-wasm";
import { LAYER_NORM, LAYER_NORM_GRAD } from "../ops/names";
import { heapModule, wasmKernel } from "./heap-module";

/** The functions of LayerNorm.wat; pointers are byte offsets into the backend's memory. */
interface LayerNormWasm {
  ln_fwd(x: number, gamma: number, beta: number, hasBeta: number, y: number, mean: number, rstd: number, rows: number, dim: number, eps: number): void;
  ln_bwd(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number, rows: number, dim: number): void;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** Rows and row length of a tensor normalised over its last axis. */
function rowsOf(x: tf.TensorInfo): { rows: number; dim: number } {
  const dim = x.shape[x.shape.length - 1];
  return { rows: dim === 0 ? 0 : tf.util.sizeFromShape(x.shape) / dim, dim };
}

/** LayerNorm forward on wasm: outputs y and, per row, the mean and r = 1/σ (for the gradient). */
function layerNormWasm({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { rows, dim } = rowsOf(x!);
  const y = makeOutput(b, x!.shape);
  const mean = makeOutput(b, [rows]);
  const rstd = makeOutput(b, [rows]);
  const off = (t: tf.TensorInfo) => heapOffset(b, t);
  heapModule<LayerNormWasm>(b, "LayerNorm").ln_fwd(
    off(x!),
    off(gamma!),
    beta ? off(beta) : 0,
    beta ? 1 : 0,
    off(y),
    off(mean),
    off(rstd),
    rows,
    dim,
    attrs.eps as number,
  );
  return [y, mean, rstd];
}

/** LayerNorm's gradient on wasm: dx, dgamma and dbeta from dy, x, gamma and the saved mean and 1/σ. */
function layerNormGradWasm({ inputs, backend }: Args): tf.TensorInfo[] {
  const b = wasmInternals(backend);
  const { dy, x, gamma, mean, rstd } = inputs as Record<string, tf.TensorInfo>;
  const { rows, dim } = rowsOf(x);
  const dx = makeOutput(b, x.shape);
  const dgamma = makeOutput(b, [dim]);
  const dbeta = makeOutput(b, [dim]);
  const off = (t: tf.TensorInfo) => heapOffset(b, t);
  heapModule<LayerNormWasm>(b, "LayerNorm").ln_bwd(off(dy), off(x), off(gamma), off(mean), off(rstd), off(dx), off(dgamma), off(dbeta), rows, dim);
  return [dx, dgamma, dbeta];
}

/** `LayerNorm` (see ../ops/layer-norm.ts) for the wasm backend, in WebAssembly (LayerNorm.wat). */
export const layerNormWasmKernel = wasmKernel(LAYER_NORM, layerNormWasm);

/** `LayerNormGrad`, the gradient kernel of `LayerNorm`, for the wasm backend. */
export const layerNormGradWasmKernel = wasmKernel(LAYER_NORM_GRAD, layerNormGradWasm);
