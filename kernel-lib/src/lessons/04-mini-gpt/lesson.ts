/**
 * Lesson 04's own glue: the presets of its parameters per mode, the model shape for the backend
 * that runs it (and what speed to expect there), and the small measures its sections use (bits
 * per character, gzip's bits per character, file sizes, novelty of samples).
 * Everything the learner builds is in the notebook; what it is checked against is in kernel-lib.
 */
import { gzipSync } from "node:zlib";
import { MODES, multipleOf, type ParamRules, type Presets } from "../../runtime/params";
import type { TfInfo } from "../../tf/backend";

/** The notebook's parameters (names fixed by the lesson; CLI users pass them with -p). */
export interface GptLessonParams {
  dataset: string;
  /** The model's size: "cpu" (the mode's presets below; workshop and full: nanoGPT's CPU "baby" model) or "gpu" (GPU_SHAPE). */
  shape: string;
  nLayer: number;
  nHead: number;
  nKvHead: number;
  nEmbd: number;
  blockSize: number;
  batchSize: number;
  maxIters: number;
  learningRate: number;
  dropout: number;
  evalInterval: number;
  seed: number;
  ladderSteps: number;
  seeds: number;
}

/**
 * Per-mode defaults. "full" is nanoGPT's CPU baby config for 2 000 steps (≈ 1.88 val loss on
 * Shakespeare in nanoGPT); "workshop" the same shape for 500 steps at a higher peak learning rate
 * (enough to end ≈ 0.35 nats below the best bigram model on SOTU); "fast" a toy for CI.
 * `ladderSteps`: steps per rung of the ingredient ladder; `seeds`: seeds of exercise 2.
 */
export const GPT_PRESETS: Presets<GptLessonParams> = {
  fast: {
    dataset: "sotu",
    shape: "cpu",
    nLayer: 2,
    nHead: 2,
    nKvHead: 2,
    nEmbd: 64,
    blockSize: 32,
    batchSize: 16,
    maxIters: 300,
    learningRate: 3e-3,
    dropout: 0,
    evalInterval: 100,
    seed: 1,
    ladderSteps: 60,
    seeds: 2,
  },
  workshop: {
    dataset: "sotu",
    shape: "cpu",
    nLayer: 4,
    nHead: 4,
    nKvHead: 4,
    nEmbd: 128,
    blockSize: 64,
    batchSize: 12,
    maxIters: 500,
    learningRate: 3e-3,
    dropout: 0,
    evalInterval: 100,
    seed: 1,
    ladderSteps: 300,
    seeds: 3,
  },
  full: {
    dataset: "sotu",
    shape: "cpu",
    nLayer: 4,
    nHead: 4,
    nKvHead: 4,
    nEmbd: 128,
    blockSize: 64,
    batchSize: 12,
    maxIters: 2000,
    learningRate: 1e-3,
    dropout: 0,
    evalInterval: 250,
    seed: 1,
    ladderSteps: 1000,
    seeds: 5,
  },
};

/** The model shapes `shape` may name. */
export const GPT_SHAPES = ["cpu", "gpu"] as const;
export type GptShape = (typeof GPT_SHAPES)[number];

/**
 * nanoGPT's GPU Shakespeare model (config/train_shakespeare_char.py): 6 blocks, 6 heads, 384 wide,
 * context 256, batch 64, dropout 0.2, peak learning rate 1e-3 — 10.8 M parameters on SOTU's 99
 * characters, ≈ 13× the baby model, with 21× the tokens per step. The mode still sets the step counts.
 */
export const GPU_SHAPE = { nLayer: 6, nHead: 6, nKvHead: 6, nEmbd: 384, blockSize: 256, batchSize: 64, learningRate: 1e-3, dropout: 0.2 } as const;

/** What the shape choice reads of the backend (a `TfInfo`). */
export type BackendFacts = Pick<TfInfo, "backend" | "gpu"> & Partial<Pick<TfInfo, "adapter" | "nativeBlas">>;

/**
 * The shape a run gets when `shape` is not set: "gpu" in full mode on a GPU — WebGPU on a hardware
 * adapter, or tfjs-node-gpu with a CUDA device (`TfInfo.gpu`) — and "cpu" everywhere else: fast
 * and workshop keep their time budgets, and the CPU paths (a software WebGPU adapter included)
 * would need hours for the GPU model.
 */
export function defaultShape(mode: string, backend: BackendFacts): GptShape {
  return mode === "full" && backend.gpu ? "gpu" : "cpu";
}

/**
 * The presets of a run: each mode's, with GPU_SHAPE's sizes where the shape — `shape` when set,
 * else `defaultShape` for that mode and backend — is "gpu". A value given explicitly still wins
 * over these; a shape that is not one of GPT_SHAPES is left for GPT_RULES to reject.
 */
export function gptPresetsFor(shape: string | null, backend: BackendFacts): Presets<GptLessonParams> {
  const out = {} as Presets<GptLessonParams>;
  for (const mode of MODES) {
    const s = shape ?? defaultShape(mode, backend);
    out[mode] = s === "gpu" ? { ...GPT_PRESETS[mode], ...GPU_SHAPE, shape: s } : { ...GPT_PRESETS[mode], shape: s };
  }
  return out;
}

/**
 * Which path runs the lesson and what training speed to expect there, in words. Figures are the
 * project's measurements (README, Benchmarks and Backends: 2-core machine, baby model unless
 * said); paths the project could not measure say so and how to measure them.
 */
export function backendStatement(info: BackendFacts): { path: string; expect: string } {
  const bench = "`LLM_LESSONS_BACKEND=webgpu npx llm-lessons bench gpt --json`";
  if (info.backend === "webgpu" && info.gpu) {
    return {
      path: `WebGPU on a GPU (${info.adapter ?? "adapter not named"})`,
      expect: `GPU speeds have not been measured by this project yet (its machines have no GPU); measure yours with ${bench}. Full mode trains the GPU model (shape "gpu": 6 × 384, context 256).`,
    };
  }
  if (info.backend === "webgpu") {
    return {
      path: `WebGPU on a software adapter (${info.adapter ?? "adapter not named"}): the GPU code path, computed by the CPU`,
      expect:
        "correct but slow: lesson 04's fast model trained at ≈ 1 000 tokens/s on Mesa's llvmpipe on 2 cores, where wasm with native BLAS runs the larger baby model at ≈ 9 000; for tests, not for speed.",
    };
  }
  if (info.backend === "tensorflow") {
    return info.gpu
      ? {
          path: "TensorFlow on a CUDA GPU (tfjs-node-gpu)",
          expect: "not measured by this project (no GPU here); `npx llm-lessons bench gpt --json` measures it. Full mode trains the GPU model.",
        }
      : {
          path: "native TensorFlow on the CPU (tfjs-node, all cores)",
          expect:
            "not measured by this project (tfjs-node downloads libtensorflow at install time, so it does not install here); `npx llm-lessons bench gpt --json` measures it.",
        };
  }
  if (info.backend === "wasm" && info.nativeBlas) {
    return {
      path: "WebAssembly (SIMD) with matrix products on native BLAS",
      expect:
        "the baby model (4 × 128, context 64, batch 12) trains at 8 700–9 400 tokens/s on a quiet 2-core machine, 0.76–1.0× the speed of PyTorch on the CPU of the same machine (`npx llm-lessons bench gpt`).",
    };
  }
  if (info.backend === "wasm") {
    return {
      path: "WebAssembly (SIMD), products on its own XNNPACK",
      expect: "the baby model trains at ≈ 3 000 tokens/s on 2 cores, ≈ 3× slower than with native BLAS (see README, Backends, for how to add it).",
    };
  }
  return {
    path: "plain JavaScript (tfjs cpu backend), the last resort",
    expect: "≈ 0.5 GFLOP/s, about 20× slower than wasm: a baby-model step (≈ 4 GFLOP) takes seconds; workshop and full modes are not practical here.",
  };
}

/** What each parameter may be; the resolve cell stops on the first value outside it, before any work. */
export const GPT_RULES: ParamRules<GptLessonParams> = {
  fields: {
    dataset: { type: "string", check: (v) => (v === "" ? `"sotu", "brown" or a path to a text file` : null) },
    shape: { type: "string", oneOf: GPT_SHAPES },
    nLayer: { type: "integer", min: 1, max: 24 },
    nHead: { type: "integer", min: 1 },
    nKvHead: { type: "integer", min: 1 },
    nEmbd: { type: "integer", min: 4 },
    blockSize: { type: "integer", min: 2, max: 4096 },
    batchSize: { type: "integer", min: 1 },
    maxIters: { type: "integer", min: 1 },
    learningRate: { type: "number", positive: true, max: 1 },
    dropout: { type: "number", min: 0, max: 0.9 },
    evalInterval: { type: "integer", min: 1 },
    seed: { type: "integer" },
    ladderSteps: { type: "integer", min: 1 },
    seeds: { type: "integer", min: 2 },
  },
  checks: [multipleOf<GptLessonParams>("nEmbd", "nHead"), multipleOf<GptLessonParams>("nHead", "nKvHead")],
};

/** Cross-entropy in nats per token → bits per token (the size of an ideal code built from the model). */
export function bitsPerToken(lossNats: number): number {
  return lossNats / Math.LN2;
}

/** Bits per character gzip (level 9) needs for `text` — a compressor that starts with no knowledge of English. */
export function gzipBitsPerChar(text: string): number {
  const chars = Array.from(text).length;
  return (gzipSync(Buffer.from(text, "utf8"), { level: 9 }).length * 8) / chars;
}

/** Size of a parameter file: parameters × bytes per parameter (2 for 16-bit, 4 for 32-bit). */
export function modelFileBytes(params: number, bytesPerParam: number): number {
  return params * bytesPerParam;
}

/** Llama 2 70B's parameter count, for the "a model is two files" arithmetic. */
export const LLAMA2_70B_PARAMS = 70e9;

/**
 * Fraction of the `n`-character windows of `generated` that occur nowhere in `corpus`: how much
 * of a sample is recombined rather than copied. It measures novelty (the model is not
 * regurgitating its training text), not truth: a copied sentence can be false and a new one true.
 */
export function novelFraction(generated: string, corpus: string, n = 20): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const chars = Array.from(generated);
  if (chars.length < n) return 0;
  let novel = 0;
  let total = 0;
  for (let i = 0; i + n <= chars.length; i++) {
    total++;
    if (!corpus.includes(chars.slice(i, i + n).join(""))) novel++;
  }
  return novel / total;
}
