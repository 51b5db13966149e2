/**
 * The parameters of lesson 07 (grokking), declared once (see defineParams). The recipe is the same
 * in every mode (p = 53, 60 % of the pairs, embedding and hidden layer of 128, AdamW lr 3·10⁻²,
 * betas 0.9/0.999, full batch); `fast` uses λ = 0.3, which groks in about half the steps of
 * `workshop`'s 0.1 and still shows a long delay. `transformerSteps` > 0 trains Nanda et al.'s
 * transformer in the notebook (full mode); every mode plots the committed run.
 */
import { type DeclaredParams, defineParams } from "../../runtime/params";

/** The λ values of `sweep` ("0,0.1,0.3"), or null when it is not a list of numbers ≥ 0. */
export function parseSweep(sweep: string): number[] | null {
  const values = sweep
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v >= 0) ? values : null;
}

export const GROK_PARAMS = defineParams({
  seed: { type: "integer", default: 0, help: "seed of the split and the weights" },
  p: { type: "integer", min: 5, max: 200, default: 53, help: "the modulus: tokens 0 … p−1, answers (a + b) mod p" },
  trainFraction: { type: "number", min: 0.05, max: 0.95, default: 0.6, help: "share of the p² pairs used for training" },
  embed: { type: "integer", min: 2, max: 1024, default: 128, help: "width of the shared embedding" },
  hidden: { type: "integer", min: 2, max: 4096, default: 128, help: "width of the hidden ReLU layer" },
  learningRate: { type: "number", positive: true, max: 1, default: 3e-2, help: "AdamW learning rate" },
  weightDecay: { type: "number", min: 0, max: 10, default: { fast: 0.3, workshop: 0.1, full: 0.1 }, help: "decoupled weight decay λ of the main run" },
  steps: { type: "integer", min: 1, default: { fast: 600, workshop: 1600, full: 4000 }, help: "full-batch steps of the main run" },
  evalEvery: { type: "integer", min: 1, default: 25, help: "steps between evaluations (plus steps 1, 2, 4, … before)" },
  sweep: {
    type: "string",
    check: (v) => (parseSweep(String(v)) ? null : 'comma-separated weight decays >= 0, e.g. "0,0.1,1"'),
    default: { fast: "0,0.3,1", workshop: "0,0.05,0.1,0.3,1", full: "0,0.01,0.03,0.1,0.3,1" },
    help: "λ values of the sweep, comma-separated",
  },
  sweepSteps: { type: "integer", min: 1, default: { fast: 600, workshop: 2500, full: 10000 }, help: "step budget of each sweep run" },
  transformerSteps: {
    type: "integer",
    min: 0,
    default: { fast: 0, workshop: 0, full: 14000 },
    help: "train the transformer here for this many steps (0: only plot the committed run)",
  },
  results: { type: "string", default: "transformer-p113", help: "committed transformer results under datasets/grokking/" },
});

/** The notebook's parameters (names fixed by the lesson; CLI users pass them with -p). */
export type GrokLessonParams = DeclaredParams<typeof GROK_PARAMS>;
/** Per-mode defaults (derived from GROK_PARAMS). */
export const GROK_PRESETS = GROK_PARAMS.presets();
/** What each parameter may be (derived from GROK_PARAMS). */
export const GROK_RULES = GROK_PARAMS.rules;
