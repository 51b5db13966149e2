/**
 * The parameters of lesson 05 (scaling laws), declared once (see defineParams). Per mode: fast
 * reads the committed results (no training, CI); workshop also trains the prediction target
 * again, live, and adds bootstrap intervals; full retrains the whole grid (resumable, results
 * under runs/scaling/). The README lists each mode's run time.
 */
import { type DeclaredParams, defineParams, fieldProblem } from "../../runtime/params";
import { SCALING_SWEEP_NAME } from "./presets";

export const SCALING_PARAMS = defineParams({
  sweep: {
    type: "string",
    check: (v) => (v === "" ? "a sweep name under datasets/scaling/ or a path to a .json file" : null),
    default: SCALING_SWEEP_NAME,
    help: "sweep results: a name under datasets/scaling/ or a .json path",
  },
  retrain: {
    type: "string",
    oneOf: ["none", "target", "all"],
    default: { fast: "none", workshop: "target", full: "all" },
    help: 'train again: "none", "target" (the prediction run) or "all" (the grid)',
  },
  bootstrap: { type: "integer", min: 0, default: { fast: 0, workshop: 20, full: 100 }, help: "bootstrap resamples for the fit's intervals (0 = none)" },
  seed: { type: "integer", default: 1, help: "seed of the bootstrap" },
});

/** The notebook's parameters. */
export type ScalingLessonParams = DeclaredParams<typeof SCALING_PARAMS>;
/** Presets per mode (derived from SCALING_PARAMS). */
export const SCALING_PRESETS = SCALING_PARAMS.presets();
/** What each parameter of lesson 05 may be (derived from SCALING_PARAMS). */
export const SCALING_RULES = SCALING_PARAMS.rules;

/** Check resolved lesson parameters against SCALING_PARAMS; the message names the bad one and says what is allowed. */
export function validateScalingParams<P extends ScalingLessonParams>(p: P): P {
  for (const name of SCALING_PARAMS.names) {
    const problem = fieldProblem(p[name], SCALING_PARAMS.specs[name]);
    if (problem !== null) throw new RangeError(`${name} must be ${problem}, got ${JSON.stringify(p[name])}`);
  }
  return p;
}
