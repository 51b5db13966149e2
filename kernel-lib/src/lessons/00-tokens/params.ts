/** The parameters of lesson 00-tokens (characters, words, byte-level BPE), declared once (see defineParams). */
import { type DeclaredParams, defineParams } from "../../runtime/params";
import { corpusCheck } from "../00-setup/params";

/** The corpus parameters both halves of lesson 00 share. */
export const CORPUS_DECLARATIONS = {
  corpus: { type: "string", check: corpusCheck, default: "sotu", help: '"sotu", "brown" or a path to your own text file' },
  maxChars: {
    type: "integer",
    min: 0,
    default: { fast: 1_500_000, workshop: 0, full: 0 },
    help: "use only the first maxChars characters of the corpus (0 = all of it)",
  },
} as const;

export const TOKENS_PARAMS = defineParams({
  vocabSize: { type: "integer", min: 257, max: 65536, default: { fast: 1000, workshop: 4096, full: 8192 }, help: "BPE vocabulary size" },
  ...CORPUS_DECLARATIONS,
});

/** Parameters of lesson 00-tokens. */
export type TokensLessonParams = DeclaredParams<typeof TOKENS_PARAMS>;
/** Mode presets of lesson 00-tokens (derived from TOKENS_PARAMS): fast (CI) trains on a slice, workshop and full on all of SOTU. */
export const TOKENS_PRESETS = TOKENS_PARAMS.presets();
/** What each parameter of lesson 00-tokens may be (derived from TOKENS_PARAMS). */
export const TOKENS_RULES = TOKENS_PARAMS.rules;
