/** The parameters of lesson 03 (attention), declared once (see defineParams): the modes differ in how long the timings run, not in the ideas. */
import { type DeclaredParams, defineParams, multipleOf } from "../../runtime/params";

/** The words of the heatmap sentence, as `sentenceWords` splits it: 1 to 60. */
const sentenceCheck = (v: unknown): string | null => {
  const words = String(v).match(/[\p{L}\p{N}']+/gu)?.length ?? 0;
  return words >= 1 && words <= 60 ? null : "a sentence of 1 to 60 words";
};

export const ATTENTION_PARAMS = defineParams(
  {
    seed: { type: "integer", default: 1, help: "seed of every random weight and vector" },
    sentence: {
      type: "string",
      check: sentenceCheck,
      default: "that government of the people, by the people, for the people, shall not perish from the earth",
      help: "the sentence of the heatmaps (≤ 60 words)",
    },
    dModel: { type: "integer", min: 2, default: 128, fixed: true, help: "width of the small decoder used for the timings" },
    nLayer: { type: "integer", min: 1, default: 2, fixed: true, help: "its layers" },
    nHead: { type: "integer", min: 1, default: 4, fixed: true, help: "its query heads (MQA/GQA variants share this)" },
    maxTokens: { type: "integer", min: 16, max: 4096, default: { fast: 128, workshop: 256, full: 512 }, help: "longest generation timed in §7" },
    repeats: { type: "integer", min: 1, default: { fast: 1, workshop: 3, full: 3 }, help: "timed runs per point, median reported" },
    decodeContext: {
      type: "integer",
      min: 1,
      default: { fast: 128, workshop: 256, full: 512 },
      fixed: true,
      help: "tokens already in the cache when decode speed is compared across MHA/GQA/MQA",
    },
  },
  {
    checks: [
      multipleOf("dModel", "nHead"),
      { fields: ["dModel", "nHead"], test: (p) => (p.dModel / p.nHead) % 2 === 0, message: "the head width dModel / nHead must be even (RoPE rotates pairs)" },
    ],
  },
);

/** The hyperparameters of lesson 03 (attention). */
export type AttentionParams = DeclaredParams<typeof ATTENTION_PARAMS>;
/** Presets per mode (derived from ATTENTION_PARAMS). */
export const ATTENTION_PRESETS = ATTENTION_PARAMS.presets();
/** What each parameter of lesson 03 may be (derived from ATTENTION_PARAMS). */
export const ATTENTION_RULES = ATTENTION_PARAMS.rules;
