/**
 * Lesson 04's own glue: its parameters, declared once (GPT_PARAMS), with the model shape for the
 * backend that runs it (and what speed to expect there), and the small measures its sections use
 * (bits per character, gzip's bits per character, file sizes, novelty of samples).
 * Everything the learner builds is in the notebook; what it is checked against is in kernel-lib.
 */
import { gzipSync } from "node:zlib";
import { type DeclaredParams, type DefaultContext, defineParams, MODES, type Mode, multipleOf, type Presets } from "../../runtime/params";
import type { TfInfo } from "../../tf/backend";
import { corpusCheck } from "../00-setup/params";

/**
 * Sizes of section 6's two extra experiments per mode (not parameters: they follow the mode). Pre-LN
 * vs post-LN trains the ladder's 4-block model `postNormSteps` steps each way; the dropout run trains
 * the ladder's one-block GPT `dropoutSteps` steps on the first `dropoutTrainChars` characters of the
 * train split only (so that a short run can overfit), with and without dropout. `evalIters`: val
 * batches per evaluation in these experiments and in the RMSNorm + SwiGLU comparison.
 */
export const GPT_EXPERIMENTS: Record<Mode, { postNormSteps: number; dropoutSteps: number; dropoutTrainChars: number; evalIters: number }> = {
  fast: { postNormSteps: 20, dropoutSteps: 40, dropoutTrainChars: 5_000, evalIters: 10 },
  workshop: { postNormSteps: 150, dropoutSteps: 300, dropoutTrainChars: 20_000, evalIters: 40 },
  full: { postNormSteps: 500, dropoutSteps: 1000, dropoutTrainChars: 20_000, evalIters: 40 },
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
 * would need hours for the GPU model. Without a backend (the command line, before a kernel runs): "cpu".
 */
export function defaultShape(mode: string, backend: BackendFacts | undefined): GptShape {
  return mode === "full" && backend?.gpu ? "gpu" : "cpu";
}

/** A default that is GPU_SHAPE's value where the shape is "gpu", else the mode's (one value, or one per mode). */
function bySize<T extends number>(key: keyof typeof GPU_SHAPE, cpu: T | { [M in Mode]: T }) {
  const perMode = (m: Mode): T => (typeof cpu === "number" ? cpu : cpu[m]);
  const cpuText = typeof cpu === "number" ? String(cpu) : MODES.map((m) => `${m} ${cpu[m]}`).join(", ");
  return {
    default: (c: DefaultContext<BackendFacts>): number => (c.params.shape === "gpu" ? GPU_SHAPE[key] : perMode(c.mode)),
    defaultText: `${cpuText}; shape "gpu": ${GPU_SHAPE[key]}`,
  };
}

/**
 * The parameters of lesson 04, declared once (see defineParams). Most defaults depend on the model
 * shape: "cpu" — the mode's values ("full" is nanoGPT's CPU baby config for 2 000 steps, ≈ 1.88 val
 * loss on Shakespeare in nanoGPT; "workshop" the same shape for 500 steps at a higher peak learning
 * rate, enough to end ≈ 0.35 nats below the best bigram model on SOTU; "fast" a toy for CI) — or
 * "gpu" (GPU_SHAPE's sizes; the mode still sets the step counts). The shape itself defaults by the
 * backend the notebook passes as context.
 */
export const GPT_PARAMS = defineParams(
  {
    dataset: { type: "string", check: corpusCheck, default: "sotu", help: '"sotu", "brown" or a path to any text file' },
    shape: {
      type: "string",
      oneOf: GPT_SHAPES,
      default: (c: DefaultContext<BackendFacts>) => defaultShape(c.mode, c.context),
      defaultText: '"gpu" in full mode on a GPU, else "cpu"',
      help: 'model size: "cpu" (the presets below) | "gpu" (nanoGPT\'s GPU model: 6 blocks × 384, context 256)',
    },
    nLayer: { type: "integer", min: 1, max: 24, ...bySize("nLayer", { fast: 2, workshop: 4, full: 4 }), help: "transformer blocks" },
    nHead: { type: "integer", min: 1, ...bySize("nHead", { fast: 2, workshop: 4, full: 4 }), help: "attention (query) heads" },
    nKvHead: {
      type: "integer",
      min: 1,
      ...bySize("nKvHead", { fast: 2, workshop: 4, full: 4 }),
      help: "key/value heads (= nHead: multi-head, 1: multi-query, between: grouped-query)",
    },
    nEmbd: { type: "integer", min: 4, ...bySize("nEmbd", { fast: 64, workshop: 128, full: 128 }), help: "width of the residual stream" },
    blockSize: { type: "integer", min: 2, max: 4096, ...bySize("blockSize", { fast: 32, workshop: 64, full: 64 }), help: "context length in tokens" },
    batchSize: { type: "integer", min: 1, ...bySize("batchSize", { fast: 16, workshop: 12, full: 12 }), help: "sequences per step" },
    maxIters: { type: "integer", min: 1, default: { fast: 300, workshop: 500, full: 2000 }, help: "training steps of the full model" },
    learningRate: {
      type: "number",
      positive: true,
      max: 10,
      ...bySize("learningRate", { fast: 3e-3, workshop: 3e-3, full: 1e-3 }),
      help: "peak learning rate (after warmup)",
    },
    dropout: { type: "number", min: 0, max: 0.9, ...bySize("dropout", 0), help: "dropout rate while training" },
    evalInterval: { type: "integer", min: 1, default: { fast: 100, workshop: 100, full: 250 }, help: "steps between evaluations on the val split" },
    seed: { type: "integer", default: 1, help: "random seed of weights, batches and sampling" },
    ladderSteps: {
      type: "integer",
      min: 1,
      default: { fast: 60, workshop: 300, full: 1000 },
      help: "training steps per rung of the ingredient ladder",
    },
    seeds: { type: "integer", min: 2, default: { fast: 2, workshop: 3, full: 5 }, help: "seeds per variant in exercise 2 (GELU vs ReLU)" },
  },
  { checks: [multipleOf("nEmbd", "nHead"), multipleOf("nHead", "nKvHead")] },
);

/** The notebook's parameters (names fixed by the lesson; CLI users pass them with -p). */
export type GptLessonParams = DeclaredParams<typeof GPT_PARAMS>;

/** The presets per mode on a CPU (derived from GPT_PARAMS). */
export const GPT_PRESETS: Presets<GptLessonParams> = GPT_PARAMS.presets();

/** What each parameter may be (derived from GPT_PARAMS); the resolve cell stops on the first value outside it, before any work. */
export const GPT_RULES = GPT_PARAMS.rules;

/**
 * The presets of a run: each mode's, with GPU_SHAPE's sizes where the shape — `shape` when set,
 * else `defaultShape` for that mode and backend — is "gpu". A value given explicitly still wins
 * over these; a shape that is not one of GPT_SHAPES is left for the rules to reject.
 */
export function gptPresetsFor(shape: string | null, backend: BackendFacts): Presets<GptLessonParams> {
  const presets = GPT_PARAMS.presets({ given: { shape: shape as GptShape | null }, context: backend });
  for (const m of MODES) if (shape !== null) presets[m] = { ...presets[m], shape: shape as GptShape };
  return presets;
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
        "correct but slow: lesson 04's fast model trained at ≈ 1 000 tokens/s on Mesa's llvmpipe on 2 cores, where wasm with native BLAS runs the larger baby model at ≈ 12 000; for tests, not for speed.",
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
        "the baby model (4 × 128, context 64, batch 12) trains at ≈ 10 000–13 000 tokens/s on a 2-core machine (medians of 3 rounds: 12 436 with OpenBLAS's two threads, 10 654 on one), 1.16× and 1.05× the speed of PyTorch's best on the CPU of the same machine (`npx llm-lessons bench gpt`).",
    };
  }
  if (info.backend === "wasm") {
    return {
      path: "WebAssembly (SIMD), products on its own XNNPACK",
      expect:
        "the baby model trains at ≈ 5 000 tokens/s on 2 cores (4 710–5 817 in 3 rounds), ≈ 2× slower than with native BLAS (see README, Backends, for how to add it).",
    };
  }
  return {
    path: "plain JavaScript (tfjs cpu backend), the last resort",
    expect: "≈ 0.5 GFLOP/s, about 20× slower than wasm: a baby-model step (≈ 4 GFLOP) takes seconds; workshop and full modes are not practical here.",
  };
}

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
