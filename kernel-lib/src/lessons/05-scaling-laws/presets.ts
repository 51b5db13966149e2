/**
 * The committed sweeps' grids (the scaling grid and the IsoFLOP budgets). It lives in the library so that the sweep script, the notebook's
 * reruns and the tests all build the very same runs. (The lesson's parameters: ./params.)
 */
import type { ScalingGridOptions, ScalingModelShape } from "../../scaling/grid";
import type { IsoFlopBudget } from "../../scaling/isoflop";

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

/** Name of the committed IsoFLOP sweep (datasets/scaling/<name>.json). */
export const ISOFLOP_SWEEP_NAME = "sotu-char-isoflop-v1";

const L1 = (nEmbd: number, nHead = 2): ScalingModelShape => ({ nLayer: 1, nEmbd, nHead });

/**
 * Three budgets ×4 apart, five sizes each, from 252 to 25 k non-embedding parameters: spread around
 * where the committed grid says each budget's best size lies (below its smallest model).
 */
export const ISOFLOP_BUDGETS: readonly IsoFlopBudget[] = [
  { C: 2.5e9, shapes: [L1(4, 1), L1(8), L1(12), L1(16), L1(24)] },
  { C: 1e10, shapes: [L1(8), L1(12), L1(16), L1(24), L1(32)] },
  { C: 4e10, shapes: [L1(12), L1(16), L1(24), L1(32), { nLayer: 2, nEmbd: 32, nHead: 2 }] },
];
