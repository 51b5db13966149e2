/**
 * Lesson 04's own glue: the presets of its parameters per mode, and the small measures its
 * sections use (bits per character, gzip's bits per character, file sizes, novelty of samples).
 * Everything the learner builds is in the notebook; what it is checked against is in kernel-lib.
 */
import { gzipSync } from "node:zlib";
import { multipleOf, type ParamRules, type Presets } from "kernel-lib";

/** The notebook's parameters (names fixed by the lesson; CLI users pass them with -p). */
export interface GptLessonParams {
  dataset: string;
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
  fast: { dataset: "sotu", nLayer: 2, nHead: 2, nKvHead: 2, nEmbd: 64, blockSize: 32, batchSize: 16, maxIters: 300, learningRate: 3e-3, dropout: 0, evalInterval: 100, seed: 1, ladderSteps: 60, seeds: 2 },
  workshop: { dataset: "sotu", nLayer: 4, nHead: 4, nKvHead: 4, nEmbd: 128, blockSize: 64, batchSize: 12, maxIters: 500, learningRate: 3e-3, dropout: 0, evalInterval: 100, seed: 1, ladderSteps: 300, seeds: 3 },
  full: { dataset: "sotu", nLayer: 4, nHead: 4, nKvHead: 4, nEmbd: 128, blockSize: 64, batchSize: 12, maxIters: 2000, learningRate: 1e-3, dropout: 0, evalInterval: 250, seed: 1, ladderSteps: 1000, seeds: 5 },
};

/** What each parameter may be; the resolve cell stops on the first value outside it, before any work. */
export const GPT_RULES: ParamRules<GptLessonParams> = {
  fields: {
    dataset: { type: "string", check: (v) => (v === "" ? `"sotu", "brown" or a path to a text file` : null) },
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
