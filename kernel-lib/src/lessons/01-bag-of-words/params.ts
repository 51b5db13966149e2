import type { ParamRules, Presets } from "../../runtime/params";

/** The hyperparameters of lesson 01 (bag-of-words). */
export interface BowParams {
  /** Seed of the train/test split (by president). */
  seed: number;
  /** "era" (four periods) or "party" (Democratic vs Republican). */
  task: string;
  /** Drop terms in fewer than this many addresses (a count >= 1, or a fraction < 1). */
  minDf: number;
  /** Drop terms in more than this fraction of addresses (0.5: "the", "war", "congress" … go). */
  maxDf: number;
  /** Keep the this-many most frequent terms; null = all. */
  maxFeatures: number | null;
  /** Largest n-gram: 1 = words, 2 = words and word pairs. */
  ngramMax: number;
  /** L2 penalty of the logistic regression. */
  l2: number;
  /** Fraction of addresses held out for testing. */
  testFraction: number;
}

/** Presets per mode. The whole corpus is small, so modes differ in features, not data. */
export const BOW_PRESETS: Presets<BowParams> = {
  fast: { seed: 1, task: "era", minDf: 2, maxDf: 0.5, maxFeatures: 5000, ngramMax: 1, l2: 1e-4, testFraction: 0.25 },
  workshop: { seed: 1, task: "era", minDf: 2, maxDf: 0.5, maxFeatures: 20000, ngramMax: 1, l2: 1e-4, testFraction: 0.25 },
  full: { seed: 1, task: "era", minDf: 2, maxDf: 0.5, maxFeatures: null, ngramMax: 2, l2: 1e-4, testFraction: 0.25 },
};

/** What each parameter of lesson 01 may be; `resolveParams` stops on the first value outside it. */
export const BOW_RULES: ParamRules<BowParams> = {
  fields: {
    seed: { type: "integer" },
    task: { oneOf: ["era", "party"] },
    minDf: { type: "number", positive: true },
    maxDf: { type: "number", positive: true, max: 1 },
    maxFeatures: { type: "integer", min: 1, nullable: true },
    ngramMax: { type: "integer", min: 1, max: 3 },
    l2: { type: "number", min: 0 },
    testFraction: { type: "number", min: 0.05, max: 0.9 },
  },
};
