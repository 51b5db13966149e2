/** The parameters of lesson 00-ngrams (the chain rule, n-gram models, perplexity, sampling), declared once. */
import { type DeclaredParams, defineParams } from "../../runtime/params";
import { CORPUS_DECLARATIONS } from "../00-tokens/params";

export const NGRAMS_PARAMS = defineParams({
  seed: { type: "integer", default: 1, help: "random seed for sampling" },
  n: { type: "integer", min: 2, max: 4, default: 3, help: "order of the n-gram model we sample from (2 = bigram, 3 = trigram)" },
  ...CORPUS_DECLARATIONS,
});

/** Parameters of lesson 00-ngrams. */
export type NgramsLessonParams = DeclaredParams<typeof NGRAMS_PARAMS>;
/** Mode presets of lesson 00-ngrams (derived from NGRAMS_PARAMS): fast (CI) counts a slice, workshop and full all of SOTU. */
export const NGRAMS_PRESETS = NGRAMS_PARAMS.presets();
/** What each parameter of lesson 00-ngrams may be (derived from NGRAMS_PARAMS). */
export const NGRAMS_RULES = NGRAMS_PARAMS.rules;
