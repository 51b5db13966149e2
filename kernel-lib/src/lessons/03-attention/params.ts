import { multipleOf, type ParamRules, type Presets } from "../../runtime/params";

/** The hyperparameters of lesson 03 (attention). */
export interface AttentionParams {
  /** Seed of every random weight and vector. */
  seed: number;
  /** Width of the small decoder used for the timings. */
  dModel: number;
  /** Its layers. */
  nLayer: number;
  /** Its query heads (MQA/GQA variants share this). */
  nHead: number;
  /** Longest generation in the KV-cache timing (powers of two from 16 up to this). */
  maxTokens: number;
  /** Timed runs per point (median reported). */
  repeats: number;
  /** Tokens already in the cache when decode speed is compared across MHA/GQA/MQA. */
  decodeContext: number;
}

/** Presets per mode: the modes differ in how long the timings run, not in the ideas. */
export const ATTENTION_PRESETS: Presets<AttentionParams> = {
  fast: { seed: 1, dModel: 128, nLayer: 2, nHead: 4, maxTokens: 128, repeats: 1, decodeContext: 128 },
  workshop: { seed: 1, dModel: 128, nLayer: 2, nHead: 4, maxTokens: 256, repeats: 3, decodeContext: 256 },
  full: { seed: 1, dModel: 128, nLayer: 2, nHead: 4, maxTokens: 512, repeats: 3, decodeContext: 512 },
};

/** What each parameter of lesson 03 may be; `resolveParams` stops on the first value outside it. */
export const ATTENTION_RULES: ParamRules<AttentionParams> = {
  fields: {
    seed: { type: "integer" },
    dModel: { type: "integer", min: 2 },
    nLayer: { type: "integer", min: 1 },
    nHead: { type: "integer", min: 1 },
    maxTokens: { type: "integer", min: 16, max: 4096 },
    repeats: { type: "integer", min: 1 },
    decodeContext: { type: "integer", min: 1 },
  },
  checks: [
    multipleOf<AttentionParams>("dModel", "nHead"),
    { fields: ["dModel", "nHead"], test: (p) => (p.dModel / p.nHead) % 2 === 0, message: "the head width dModel / nHead must be even (RoPE rotates pairs)" },
  ],
};
