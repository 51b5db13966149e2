/**
 * Lesson 07's own glue: the presets of its parameters per mode, their rules, and two small helpers
 * its sections use (the λ list of the sweep, and the tokens of an embedding in the plane of one
 * frequency). Everything the learner builds is in the notebook; what it is checked against is in
 * kernel-lib/src/grokking.
 */
import type { ParamRules, Presets } from "../../runtime/params";

/** The notebook's parameters (names fixed by the lesson; CLI users pass them with -p). */
export interface GrokLessonParams {
  seed: number;
  p: number;
  trainFraction: number;
  embed: number;
  hidden: number;
  learningRate: number;
  weightDecay: number;
  steps: number;
  evalEvery: number;
  sweep: string;
  sweepSteps: number;
  transformerSteps: number;
  results: string;
}

/**
 * Per mode. The recipe is the same everywhere (p = 53, 60 % of the pairs, embedding and hidden
 * layer of 128, AdamW lr 3·10⁻², betas 0.9/0.999, full batch); `fast` uses λ = 0.3, which groks in
 * about half the steps of `workshop`'s 0.1 and still shows a long delay. `transformerSteps` > 0
 * trains Nanda et al.'s transformer in the notebook (full mode); every mode plots the committed run.
 */
export const GROK_PRESETS: Presets<GrokLessonParams> = {
  fast: {
    seed: 0,
    p: 53,
    trainFraction: 0.6,
    embed: 128,
    hidden: 128,
    learningRate: 3e-2,
    weightDecay: 0.3,
    steps: 600,
    evalEvery: 25,
    sweep: "0,0.3,1",
    sweepSteps: 600,
    transformerSteps: 0,
    results: "transformer-p113",
  },
  workshop: {
    seed: 0,
    p: 53,
    trainFraction: 0.6,
    embed: 128,
    hidden: 128,
    learningRate: 3e-2,
    weightDecay: 0.1,
    steps: 1600,
    evalEvery: 25,
    sweep: "0,0.05,0.1,0.3,1",
    sweepSteps: 2500,
    transformerSteps: 0,
    results: "transformer-p113",
  },
  full: {
    seed: 0,
    p: 53,
    trainFraction: 0.6,
    embed: 128,
    hidden: 128,
    learningRate: 3e-2,
    weightDecay: 0.1,
    steps: 4000,
    evalEvery: 25,
    sweep: "0,0.01,0.03,0.1,0.3,1",
    sweepSteps: 10000,
    transformerSteps: 14000,
    results: "transformer-p113",
  },
};

/** The λ values of `sweep` ("0,0.1,0.3"), or null when it is not a list of numbers ≥ 0. */
export function parseSweep(sweep: string): number[] | null {
  const values = sweep
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v >= 0) ? values : null;
}

export const GROK_RULES: ParamRules<GrokLessonParams> = {
  fields: {
    seed: { type: "integer" },
    p: { type: "integer", min: 5, max: 200 },
    trainFraction: { type: "number", min: 0.05, max: 0.95 },
    embed: { type: "integer", min: 2, max: 1024 },
    hidden: { type: "integer", min: 2, max: 4096 },
    learningRate: { type: "number", positive: true, max: 1 },
    weightDecay: { type: "number", min: 0, max: 10 },
    steps: { type: "integer", min: 1 },
    evalEvery: { type: "integer", min: 1 },
    sweep: { type: "string", check: (v) => (parseSweep(String(v)) ? null : 'comma-separated weight decays >= 0, e.g. "0,0.1,1"') },
    sweepSteps: { type: "integer", min: 1 },
    transformerSteps: { type: "integer", min: 0 },
    results: { type: "string" },
  },
};

/**
 * Each token's embedding projected on the plane of frequency k: the directions u_cos = Σ_t cos(ω t)·E[t]
 * and u_sin = Σ_t sin(ω t)·E[t] (ω = 2πk/p), normalised. A network that represents t by cos(ω t)
 * and sin(ω t) puts the tokens on a circle there, in the order t·k mod p.
 */
export function frequencyPlane(E: ArrayLike<number>, p: number, d: number, k: number): { x: number[]; y: number[] } {
  const w = (2 * Math.PI * k) / p;
  const dir = (f: (x: number) => number) => {
    const u = new Float64Array(d);
    for (let t = 0; t < p; t++) for (let j = 0; j < d; j++) u[j] += f(w * t) * E[t * d + j];
    const n = Math.hypot(...u) || 1;
    return u.map((v) => v / n);
  };
  const uc = dir(Math.cos);
  const us = dir(Math.sin);
  const proj = (u: Float64Array, t: number) => u.reduce((s, v, j) => s + v * E[t * d + j], 0);
  return { x: Array.from({ length: p }, (_, t) => proj(uc, t)), y: Array.from({ length: p }, (_, t) => proj(us, t)) };
}
