/**
 * What notebooks call around GPT training: a stop flag for the notebook's interrupt, training
 * with a live chart and progress bar, byte sizes, and the shipped checkpoint. (Lesson 04's own
 * parameters and measures live in its lesson folder, kernel-lib/src/lessons/04-mini-gpt/.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { liveChart, progressBar } from "../charts";
import { interruptSignal } from "../runtime/interrupt";
import { findProjectFile } from "../util/paths";
import type { Tokenizer } from "../text";
import { importWeights } from "./checkpoint";
import type { Gpt } from "./model";
import { RunResult, Trainer } from "./train";

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
  /** Stops training after the current step (as SIGINT does). */
  signal?: AbortSignal;
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
  const chart =
    options.chart === false ? null : liveChart({ series: ["train", "val"], title: options.title ?? "loss", xTitle: "step", yTitle: "cross-entropy (nats)" });
  const stop = interruptSignal();
  const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
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
