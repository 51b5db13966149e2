/** The parameters of lesson 01 (bag-of-words), declared once (see defineParams). */
import { type DeclaredParams, defineParams } from "../../runtime/params";

/** The whole corpus is small, so the modes differ in features, not data. */
export const BOW_PARAMS = defineParams({
  seed: { type: "integer", default: 1, help: "seed of the train/test split (which presidents are held out)" },
  task: { type: "string", oneOf: ["era", "party"], default: "era", help: '"era" (four periods) or "party" (Democratic vs Republican)' },
  minDf: { type: "number", positive: true, default: 2, help: "drop words found in fewer addresses (a count ≥ 1, or a fraction < 1)" },
  maxDf: {
    type: "number",
    positive: true,
    max: 1,
    default: 0.5,
    fixed: true,
    help: 'drop terms in more than this fraction of addresses (0.5: "the", "war", "congress" … go)',
  },
  maxFeatures: {
    type: "integer",
    min: 1,
    nullable: true,
    default: { fast: 5000, workshop: 20000, full: null },
    help: "keep this many most frequent words (a preset of null keeps all)",
  },
  ngramMax: { type: "integer", min: 1, max: 3, default: { fast: 1, workshop: 1, full: 2 }, help: "1 = words, 2 = words and word pairs" },
  l2: { type: "number", min: 0, default: 1e-4, help: "L2 penalty of the classifier" },
  testFraction: { type: "number", min: 0.05, max: 0.9, default: 0.25, fixed: true, help: "fraction of addresses held out for testing" },
});

/** The hyperparameters of lesson 01 (bag-of-words). */
export type BowParams = DeclaredParams<typeof BOW_PARAMS>;
/** Presets per mode (derived from BOW_PARAMS). */
export const BOW_PRESETS = BOW_PARAMS.presets();
/** What each parameter of lesson 01 may be (derived from BOW_PARAMS). */
export const BOW_RULES = BOW_PARAMS.rules;
