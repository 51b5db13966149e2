/**
 * What a grokking run's evaluations say, in numbers: the first step each accuracy crossed a
 * threshold, the delay between memorising and generalising, the weight norm's peak and where it
 * stood when validation took off — and the committed transformer results
 * (datasets/grokking/<name>.json, written by scripts/grokking-transformer.cjs).
 */
import * as fs from "node:fs";
import { findProjectFile } from "../util/paths";
import type { GrokEval } from "./train";
import type { ModTransformerConfig } from "./transformer";

/** The first evaluation satisfying `test`, or null. */
export function firstEval<E extends { step: number }>(evals: readonly E[], test: (e: E) => boolean): E | null {
  return evals.find(test) ?? null;
}

/** The lesson's numbers of one run. Steps are null where the threshold was never reached. */
export interface GrokSummary {
  steps_train99: number | null;
  steps_val90: number | null;
  steps_val99: number | null;
  /** steps_val90 / steps_train99. */
  grok_delay_ratio: number | null;
  val_acc_at_train99: number | null;
  val_acc_final: number;
  train_acc_final: number;
  weight_norm_start: number;
  weight_norm_peak: number;
  weight_norm_peak_step: number;
  weight_norm_at_val90: number | null;
  val_loss_peak: number;
  val_loss_peak_step: number;
  fourier_gini_start: number;
  fourier_gini_end: number;
  /** Gini when validation first reached 10 % — still near chance — and 90 %. */
  fourier_gini_at_val10: number | null;
  fourier_gini_at_val90: number | null;
}

/** Summarise a run's evaluations (at least one). */
export function summariseGrok(evals: readonly Omit<GrokEval, "top5">[]): GrokSummary {
  if (evals.length === 0) throw new RangeError("summariseGrok: no evaluations");
  const train99 = firstEval(evals, (e) => e.trainAcc >= 0.99);
  const val10 = firstEval(evals, (e) => e.valAcc >= 0.1);
  const val90 = firstEval(evals, (e) => e.valAcc >= 0.9);
  const val99 = firstEval(evals, (e) => e.valAcc >= 0.99);
  const peak = evals.reduce((m, e) => (e.weightNorm > m.weightNorm ? e : m));
  const lossPeak = evals.reduce((m, e) => (e.valLoss > m.valLoss ? e : m));
  const last = evals[evals.length - 1];
  return {
    steps_train99: train99?.step ?? null,
    steps_val90: val90?.step ?? null,
    steps_val99: val99?.step ?? null,
    grok_delay_ratio: train99 && val90 ? val90.step / Math.max(1, train99.step) : null,
    val_acc_at_train99: train99?.valAcc ?? null,
    val_acc_final: last.valAcc,
    train_acc_final: last.trainAcc,
    weight_norm_start: evals[0].weightNorm,
    weight_norm_peak: peak.weightNorm,
    weight_norm_peak_step: peak.step,
    weight_norm_at_val90: val90?.weightNorm ?? null,
    val_loss_peak: lossPeak.valLoss,
    val_loss_peak_step: lossPeak.step,
    fourier_gini_start: evals[0].gini,
    fourier_gini_end: last.gini,
    fourier_gini_at_val10: val10?.gini ?? null,
    fourier_gini_at_val90: val90?.gini ?? null,
  };
}

/** One evaluation of the committed transformer run, with the embedding's power per frequency. */
export interface GrokResultEval extends GrokEval {
  power: number[];
}

/** The committed results of scripts/grokking-transformer.cjs. */
export interface GrokTransformerResults {
  version: number;
  name: string;
  model: string;
  config: ModTransformerConfig;
  train: {
    trainFraction: number;
    learningRate: number;
    weightDecay: number;
    beta1: number;
    beta2: number;
    warmup: number;
    steps: number;
    evalEvery: number;
    seed: number;
  };
  machine: { cpus: string; cores: number; platform: string; node: string };
  backend: string;
  createdAt: string;
  updatedAt: string;
  /** Whether the run reached `train.steps`; false for a run that was stopped. */
  finished: boolean;
  stepsDone: number;
  seconds: number;
  evals: GrokResultEval[];
}

/** Path of results `name` (a name under datasets/grokking/, or a .json path). */
export function grokResultsPath(name: string): string {
  if (name.endsWith(".json")) return name;
  const found = findProjectFile(`datasets/grokking/${name}.json`);
  if (!found) throw new Error(`no results datasets/grokking/${name}.json found (run scripts/grokking-transformer.cjs to make them)`);
  return found;
}

/** Read committed transformer results and check their shape. */
export function loadGrokResults(name: string): GrokTransformerResults {
  const file = grokResultsPath(name);
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as GrokTransformerResults;
  if (doc.version !== 1 || !Array.isArray(doc.evals) || doc.evals.length === 0) throw new Error(`${file}: not a grokking results file (version 1 with evals)`);
  for (const e of doc.evals) {
    if (!Number.isFinite(e.step) || !Array.isArray(e.power) || e.power.length !== Math.floor(doc.config.p / 2) + 1)
      throw new Error(`${file}: evaluation at step ${e.step} is malformed`);
  }
  return doc;
}
