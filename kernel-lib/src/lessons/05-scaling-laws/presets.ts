/**
 * The committed sweep's grid and the lesson's per-mode parameters. The grid lives in the library
 * so that the sweep script, the notebook's reruns and the tests all build the very same runs.
 */
import type { ParamRules, Presets } from "../../runtime/params";
import type { ScalingGridOptions, ScalingModelShape } from "../../scaling/grid";

/** Name of the committed sweep (its results are datasets/scaling/<name>.json). */
export const SCALING_SWEEP_NAME = "sotu-char-v1";

/**
 * Six shapes from 3.3 k to 336 k non-embedding parameters (two decades). The four smallest also
 * train for a fourth, longer budget (1 620 steps, 829 k tokens), which the two largest cannot
 * afford on a laptop CPU; the largest model at 540 steps is the prediction exercise's target.
 */
export const SCALING_SHAPES: readonly ScalingModelShape[] = [
  { nLayer: 1, nEmbd: 16, nHead: 2, extraSteps: [1620] },
  { nLayer: 1, nEmbd: 32, nHead: 2, extraSteps: [1620] },
  { nLayer: 2, nEmbd: 32, nHead: 2, extraSteps: [1620] },
  { nLayer: 2, nEmbd: 48, nHead: 2, extraSteps: [1620] },
  { nLayer: 2, nEmbd: 64, nHead: 4 },
  { nLayer: 3, nEmbd: 96, nHead: 4 },
];

/** Token budgets of every shape, ×3 apart: 60, 180 and 540 steps of 16 × 32 tokens (31 k, 92 k, 276 k tokens). */
export const SCALING_STEPS: readonly number[] = [60, 180, 540];

/** The committed sweep: every shape × every budget, SOTU characters (vocabSize 99). */
export const SCALING_GRID: Omit<ScalingGridOptions, "vocabSize"> = {
  shapes: SCALING_SHAPES,
  steps: SCALING_STEPS,
  blockSize: 32,
  batchSize: 16,
  learningRate: 3e-3,
  seed: 1,
  evalWindows: 256,
};

/** The notebook's parameters. */
export interface ScalingLessonParams {
  /** Sweep results to load: a name under datasets/scaling/ or a path to a .json file. */
  sweep: string;
  /** What to train again: "none" (use the committed results), "target" (the prediction run) or "all" (the whole grid). */
  retrain: "none" | "target" | "all";
  /** Bootstrap resamples for confidence intervals of the fit (0 = none). */
  bootstrap: number;
  /** Seed of the bootstrap. */
  seed: number;
}

/**
 * Per mode: fast reads the committed results (no training, CI); workshop also trains the
 * prediction target again, live, and adds bootstrap intervals; full retrains the whole grid
 * (resumable, results under runs/scaling/). The README lists each mode's run time.
 */
export const SCALING_PRESETS: Presets<ScalingLessonParams> = {
  fast: { sweep: SCALING_SWEEP_NAME, retrain: "none", bootstrap: 0, seed: 1 },
  workshop: { sweep: SCALING_SWEEP_NAME, retrain: "target", bootstrap: 20, seed: 1 },
  full: { sweep: SCALING_SWEEP_NAME, retrain: "all", bootstrap: 100, seed: 1 },
};

/** Check resolved lesson parameters; the message names the bad one and lists what is allowed. */
export function validateScalingParams<P extends ScalingLessonParams>(p: P): P {
  if (!["none", "target", "all"].includes(p.retrain)) throw new RangeError(`retrain must be "none", "target" or "all", got ${JSON.stringify(p.retrain)}`);
  if (!(Number.isInteger(p.bootstrap) && p.bootstrap >= 0)) throw new RangeError(`bootstrap must be an integer >= 0, got ${JSON.stringify(p.bootstrap)}`);
  if (!Number.isInteger(p.seed)) throw new RangeError(`seed must be an integer, got ${JSON.stringify(p.seed)}`);
  if (typeof p.sweep !== "string" || p.sweep.length === 0) throw new RangeError(`sweep must be a sweep name or a .json path, got ${JSON.stringify(p.sweep)}`);
  return p;
}

/** What each parameter of lesson 05 may be; `resolveParams` stops on the first value outside it. */
export const SCALING_RULES: ParamRules<ScalingLessonParams> = {
  fields: {
    sweep: { type: "string", check: (v) => (v === "" ? "a sweep name under datasets/scaling/ or a path to a .json file" : null) },
    retrain: { oneOf: ["none", "target", "all"] },
    bootstrap: { type: "integer", min: 0 },
    seed: { type: "integer" },
  },
};
