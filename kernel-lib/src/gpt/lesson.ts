/**
 * What lesson 04 calls: presets per mode, training with a live chart and progress bar, the
 * "one ingredient at a time" ladder, compression figures, model-file arithmetic, the shipped
 * checkpoint, and the exercise checkers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { liveChart, progressBar } from "../charts";
import type { Presets } from "../notebook/params";
import { findProjectFile } from "../util/paths";
import type { Tokenizer } from "../text";
import { importWeights } from "./checkpoint";
import type { GptConfigInput } from "./config";
import type { TokenData } from "./data";
import { createGpt, Gpt } from "./model";
import { RunResult, Trainer } from "./train";

/** The notebook's parameters (names fixed by the lesson). */
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
}

/**
 * Per-mode defaults. "full" is nanoGPT's CPU baby config for 2 000 steps (≈ 1.88 val loss on
 * Shakespeare in nanoGPT); "workshop" the same model for a few minutes; "fast" a toy for CI.
 */
export const GPT_PRESETS: Presets<GptLessonParams> = {
  fast: { dataset: "sotu", nLayer: 2, nHead: 2, nKvHead: 2, nEmbd: 64, blockSize: 32, batchSize: 8, maxIters: 200, learningRate: 3e-3, dropout: 0, evalInterval: 100, seed: 1 },
  workshop: { dataset: "sotu", nLayer: 4, nHead: 4, nKvHead: 4, nEmbd: 128, blockSize: 64, batchSize: 12, maxIters: 150, learningRate: 3e-3, dropout: 0, evalInterval: 50, seed: 1 },
  full: { dataset: "sotu", nLayer: 4, nHead: 4, nKvHead: 4, nEmbd: 128, blockSize: 64, batchSize: 12, maxIters: 2000, learningRate: 1e-3, dropout: 0, evalInterval: 250, seed: 1 },
};

/** Steps per rung of the ingredient ladder, per mode. */
export const LADDER_STEPS = { fast: 120, workshop: 250, full: 1000 } as const;

/**
 * A stop flag that flips on Ctrl-C / the notebook's interrupt (SIGINT), so a training loop ends
 * between two steps with a usable model. Call `release()` when done.
 */
export function interruptSignal(): { aborted: boolean; release(): void } {
  const flag = {
    aborted: false,
    release() {
      process.removeListener("SIGINT", onInt);
    },
  };
  const onInt = () => {
    flag.aborted = true;
  };
  process.on("SIGINT", onInt);
  return flag;
}

/**
 * Run a display update, ignoring failures: in tslab a display message sent while the previous one
 * is still leaving the socket throws ("Socket is busy writing"); a dropped progress frame must not
 * end a training run.
 */
export function safeUi(f: () => void): void {
  try {
    f();
  } catch {
    // the next update redraws everything
  }
}

/** Options of `trainWithProgress`. */
export interface ProgressOptions {
  /** Title of the loss chart. */
  title?: string;
  /** Draw the live chart (default true). */
  chart?: boolean;
  /** Extra stop flag (besides SIGINT). */
  signal?: { aborted: boolean };
  /** Save a checkpoint through this callback at the end and every `checkpointEvery` steps. */
  onCheckpoint?: (t: Trainer) => void | Promise<void>;
  checkpointEvery?: number;
}

/**
 * Run `trainer` to its maxIters with a live train/val loss chart and a progress bar showing
 * loss, tokens/s and ETA (in the notebook; on stderr elsewhere). Interrupt stops it cleanly.
 */
export async function trainWithProgress(trainer: Trainer, options: ProgressOptions = {}): Promise<RunResult> {
  const total = trainer.config.maxIters;
  const bar = progressBar(total - trainer.step, options.title ?? "training");
  const chart = options.chart === false ? null : liveChart({ series: ["train", "val"], title: options.title ?? "loss", xTitle: "step", yTitle: "cross-entropy (nats)" });
  const stop = interruptSignal();
  const signal = { get aborted() { return stop.aborted || (options.signal?.aborted ?? false); } };
  for (const e of trainer.evals) chart?.push("val", e.step, e.val);
  try {
    const result = await trainer.run({
      signal,
      onStep: (s) => {
        safeUi(() => bar.tick(1, { loss: s.loss.toFixed(3), "tok/s": Math.round(s.tokensPerSecond) }));
        safeUi(() => chart?.push("train", s.step, s.loss));
      },
      onEval: (e) => safeUi(() => chart?.push("val", e.step, e.val)),
      onCheckpoint: options.onCheckpoint,
      checkpointEvery: options.checkpointEvery,
    });
    if (result.reason !== "done") console.log(result.message);
    return result;
  } finally {
    stop.release();
    safeUi(() => bar.done());
    safeUi(() => chart?.done());
    await new Promise((r) => setTimeout(r, 100)); // let the last display update leave the kernel
  }
}

/** One rung of the ladder: a name and the config change it makes. */
export interface Rung {
  name: string;
  config: Partial<GptConfigInput>;
}

/**
 * From a bigram model to a small GPT, one ingredient at a time. Each rung keeps the previous
 * ones' ingredients. Weights are untied everywhere so the rungs differ only in the named part.
 */
export const INGREDIENT_LADDER: Rung[] = [
  { name: "bigram (embedding → head)", config: { nLayer: 0, positions: "none" } },
  { name: "+ self-attention (1 head) + positions", config: { nLayer: 1, nHead: 1, mlpRatio: 0, positions: "learned" } },
  { name: "+ MLP", config: { nLayer: 1, nHead: 1, mlpRatio: 4, positions: "learned" } },
  { name: "+ 4 heads", config: { nLayer: 1, nHead: 4, mlpRatio: 4, positions: "learned" } },
  { name: "+ depth (3 blocks)", config: { nLayer: 3, nHead: 4, mlpRatio: 4, positions: "learned" } },
];

/** What one rung measured. */
export interface RungResult {
  name: string;
  params: number;
  trainLoss: number;
  valLoss: number;
  seconds: number;
}

/** Train every rung for `steps` steps on `data` (same seed, batches and schedule) and return its val loss. */
export async function runLadder(
  data: TokenData,
  options: { steps: number; nEmbd?: number; blockSize?: number; batchSize?: number; learningRate?: number; seed?: number; rungs?: Rung[]; onRung?: (r: RungResult) => void },
): Promise<RungResult[]> {
  const out: RungResult[] = [];
  const rungs = options.rungs ?? INGREDIENT_LADDER;
  const bar = progressBar(rungs.length * options.steps, "ladder");
  const stop = interruptSignal();
  try {
    for (const rung of rungs) {
      if (stop.aborted) break;
      const model = createGpt(
        { vocabSize: data.tokenizer.vocabSize, blockSize: options.blockSize ?? 32, nEmbd: options.nEmbd ?? 64, nLayer: 1, nHead: 1, tieWeights: false, ...rung.config },
        { seed: options.seed ?? 1 },
      );
      const trainer = new Trainer(model, data, { maxIters: options.steps, batchSize: options.batchSize ?? 16, learningRate: options.learningRate ?? 3e-3, evalInterval: options.steps, evalIters: 10, seed: options.seed ?? 1 });
      const t0 = performance.now();
      await trainer.run({ signal: stop, onStep: (s) => safeUi(() => bar.tick(1, { rung: rung.name, loss: s.loss.toFixed(3) })) });
      const last = trainer.evals[trainer.evals.length - 1];
      const r = { name: rung.name, params: model.paramCount(), trainLoss: last.train, valLoss: last.val, seconds: (performance.now() - t0) / 1000 };
      out.push(r);
      options.onRung?.(r);
      trainer.dispose();
      model.dispose();
    }
  } finally {
    stop.release();
    safeUi(() => bar.done());
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

/** Cross-entropy in nats per token → bits per token (the size of an ideal code built from the model). */
export function bitsPerToken(lossNats: number): number {
  return lossNats / Math.LN2;
}

/** Bits per character gzip (level 9) needs for `text` — a compressor that knows nothing about English. */
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

/** Human-readable byte size: 1.6 MB, 140 GB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toPrecision(3)} ${units[i]}`;
}

/** Where the pre-trained checkpoint shipped with the project lives. */
export function pretrainedPath(): string {
  const rel = path.join("checkpoints", "mini-gpt-sotu.safetensors");
  const found = findProjectFile(rel);
  if (found === null) throw new Error(`the pre-trained checkpoint ${rel} was not found; create it with: node scripts/pretrain-mini-gpt.cjs`);
  return found;
}

/** The shipped mini GPT (trained on the State of the Union addresses) and its tokenizer. */
export function loadPretrained(): { model: Gpt; tokenizer: Tokenizer; file: string; bytes: number } {
  const file = pretrainedPath();
  const { model, tokenizer } = importWeights(file);
  if (!tokenizer) throw new Error(`${file} holds no tokenizer`);
  return { model, tokenizer, file, bytes: fs.statSync(file).size };
}

/**
 * Exercise 1 (weight tying): given the parameter counts of the same config untied and tied, check
 * the saving is exactly vocabSize × nEmbd (the LM head matrix that tying removes).
 */
export function checkTyingExercise(answer: { untied: number; tied: number; vocabSize: number; nEmbd: number }): string {
  const { untied, tied, vocabSize, nEmbd } = answer;
  if (![untied, tied, vocabSize, nEmbd].every((x) => Number.isInteger(x) && x > 0)) {
    throw new Error("give untied, tied, vocabSize and nEmbd as positive integers (e.g. from model.paramCount())");
  }
  if (tied >= untied) throw new Error(`the tied model should be smaller: tied ${tied} >= untied ${untied}. Did you set tieWeights: true on the second model?`);
  if (untied - tied !== vocabSize * nEmbd) {
    throw new Error(`tying saved ${untied - tied} parameters, but sharing the embedding with the LM head removes one ${vocabSize} × ${nEmbd} matrix = ${vocabSize * nEmbd}`);
  }
  const msg = `✓ tying removes the LM head's ${vocabSize} × ${nEmbd} = ${vocabSize * nEmbd} parameters (${((100 * (untied - tied)) / untied).toFixed(1)} % of the model)`;
  console.log(msg);
  return msg;
}

/**
 * Exercise 2 (GELU → ReLU): the ReLU model must really use ReLU, both runs must have trained with
 * the same number of steps, and both must beat the uniform baseline ln(vocab).
 */
export function checkReluExercise(answer: { reluModel: Gpt; geluVal: number; reluVal: number; steps: number; geluSteps: number }): string {
  const { reluModel, geluVal, reluVal, steps, geluSteps } = answer;
  if (!reluModel || !reluModel.config) throw new Error("reluModel must be a Gpt made with createGpt({ …, activation: \"relu\" })");
  if (reluModel.config.activation !== "relu") throw new Error(`reluModel uses activation "${reluModel.config.activation}"; create it with activation: "relu"`);
  if (steps !== geluSteps) throw new Error(`compare like with like: the ReLU run trained ${steps} steps, the GELU run ${geluSteps}`);
  const uniform = Math.log(reluModel.config.vocabSize);
  for (const [name, v] of [["geluVal", geluVal], ["reluVal", reluVal]] as const) {
    if (!Number.isFinite(v)) throw new Error(`${name} must be a finite val loss, got ${v}`);
    if (v >= uniform) throw new Error(`${name} = ${v.toFixed(3)} is not below the uniform baseline ln(${reluModel.config.vocabSize}) = ${uniform.toFixed(3)}: train longer`);
  }
  const diff = reluVal - geluVal;
  const msg = `✓ ReLU ${reluVal.toFixed(3)} vs GELU ${geluVal.toFixed(3)} (difference ${diff >= 0 ? "+" : ""}${diff.toFixed(3)} nats): at this scale the choice matters little`;
  console.log(msg);
  return msg;
}

/**
 * Fraction of the `n`-character windows of `generated` that occur nowhere in `corpus`: how much
 * of a sample is new text rather than memorised text. Fluent *and* novel is exactly what a
 * hallucination is — the model continues plausibly, whether or not anyone ever said it.
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
