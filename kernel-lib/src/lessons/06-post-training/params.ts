/**
 * The parameters of lesson 06 (post-training), declared once (see defineParams). SFT follows the
 * recipe measured in PyTorch (AdamW lr 1e-3, 20 warmup steps, clip 1, batch 32; DPO β 0.1), with
 * step counts sized for 2 cores. DPO's rates are 1.5e-5 and 10× that in workshop and full mode: at
 * the PyTorch recipe's 5e-6 and 5e-5 (200 steps of 32 pairs) the high-rate run here kept its
 * accuracy (0.98) — no collapse to show. Fast: the first-letter task only (it is learned in 180
 * steps, where both tasks need ≈ 400), fewer steps and prompts.
 */
import { type DeclaredParams, defineParams } from "../../runtime/params";

const lr = { type: "number", positive: true, max: 0.1 } as const;

export const PT_PARAMS = defineParams(
  {
    seed: { type: "integer", default: 1, help: "seed of the word split, batches, sampling and heads" },
    tasks: {
      type: "string",
      oneOf: ["first,last", "first", "last"],
      default: { fast: "first", workshop: "first,last", full: "first,last" },
      help: '"first,last" | "first" | "last": the letters asked for',
    },
    words: {
      type: "integer",
      min: 50,
      max: 5000,
      default: { fast: 400, workshop: 600, full: 600 },
      help: "distinct words of the task (80 % train, 20 % held out)",
    },
    sftSteps: { type: "integer", min: 1, default: { fast: 180, workshop: 400, full: 600 }, help: "SFT optimizer steps" },
    sftBatch: { type: "integer", min: 1, max: 512, default: 32, help: "SFT examples per step" },
    sftLr: { ...lr, default: 1e-3, help: "SFT peak learning rate (20 warmup steps, cosine to a tenth)" },
    styleRate: { type: "number", min: 0, max: 1, default: 0.5, help: 'share of SFT answers written "Sure! x•" instead of "x•"' },
    rmSteps: { type: "integer", min: 1, default: { fast: 10, workshop: 20, full: 40 }, help: "reward-model steps" },
    rlSteps: { type: "integer", min: 1, default: { fast: 8, workshop: 25, full: 60 }, help: "REINFORCE steps" },
    rlPrompts: { type: "integer", min: 1, default: 8, help: "prompts per REINFORCE step" },
    rlGroup: { type: "integer", min: 2, max: 64, default: 4, help: "answers sampled per prompt (the group of the baseline)" },
    rlLr: { ...lr, default: { fast: 1.5e-4, workshop: 3e-5, full: 2e-5 }, help: "REINFORCE learning rate" },
    rlBeta: { type: "number", min: 0, max: 10, default: 0.1, help: "weight of the KL penalty to the reference in REINFORCE" },
    dpoSteps: { type: "integer", min: 1, default: { fast: 30, workshop: 50, full: 100 }, help: "DPO steps (each run)" },
    dpoBatch: { type: "integer", min: 1, max: 512, default: { fast: 16, workshop: 24, full: 32 }, help: "preference pairs per DPO step" },
    dpoLr: { ...lr, default: { fast: 2.5e-5, workshop: 1.5e-5, full: 1.5e-5 }, help: "DPO learning rate" },
    dpoHotLr: {
      ...lr,
      default: { fast: 2.5e-4, workshop: 1.5e-4, full: 1.5e-4 },
      help: "learning rate of the high-rate DPO run (10× dpoLr by default)",
    },
    beta: { type: "number", positive: true, max: 100, default: 0.1, help: "DPO's β (strength of the pull towards the reference)" },
    evalPrompts: { type: "integer", min: 10, max: 2000, default: { fast: 64, workshop: 128, full: 240 }, help: "held-out prompts every evaluation answers" },
  },
  { checks: [{ fields: ["dpoHotLr", "dpoLr"], test: (p) => p.dpoHotLr > p.dpoLr, message: "dpoHotLr must be higher than dpoLr (it is the high-rate run)" }] },
);

/** The notebook's parameters (CLI users pass them with -p). */
export type PostTrainParams = DeclaredParams<typeof PT_PARAMS>;
/** Per-mode defaults (derived from PT_PARAMS). */
export const PT_PRESETS = PT_PARAMS.presets();
/** What each parameter may be (derived from PT_PARAMS); the resolve cell stops on the first value outside it. */
export const PT_RULES = PT_PARAMS.rules;
