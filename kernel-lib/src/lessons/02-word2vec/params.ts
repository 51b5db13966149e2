/**
 * The parameters of the word2vec lesson, declared once (see defineParams; the README lists each
 * mode's run time): fast trains on the most recent ~500 k words of SOTU (CI), workshop on all
 * 1.79 M words with 2 threads, full with gensim's dimension and more epochs. The notebook's own
 * (plain TypeScript) trainer runs on a smaller recent slice: buildWords × buildEpochs.
 */
import { type DeclaredParams, defineParams } from "../../runtime/params";
import { corpusCheck } from "../00-setup/params";

export const WORD2VEC_PARAMS = defineParams({
  seed: { type: "integer", default: 1, help: "random seed (1 thread: same seed → same vectors)" },
  dim: { type: "integer", min: 2, max: 1000, default: { fast: 32, workshop: 64, full: 100 }, help: "embedding size" },
  epochs: { type: "integer", min: 1, default: { fast: 3, workshop: 5, full: 10 }, help: "passes over the corpus" },
  threads: { type: "integer", min: 1, max: 64, default: 2, help: "worker threads (Hogwild)" },
  window: { type: "integer", min: 1, default: 5, fixed: true, help: "context words on each side" },
  negative: { type: "integer", min: 1, default: 5, fixed: true, help: "negative samples per pair" },
  sample: { type: "number", min: 0, default: 1e-3, fixed: true, help: "subsampling threshold of frequent words" },
  minCount: { type: "integer", min: 1, default: 5, fixed: true, help: "drop words seen fewer times" },
  maxWords: { type: "integer", min: 0, default: { fast: 500_000, workshop: 0, full: 0 }, fixed: true, help: "most recent words of SOTU to train on (0 = all)" },
  eraWords: {
    type: "integer",
    min: 0,
    default: { fast: 250_000, workshop: 0, full: 0 },
    fixed: true,
    help: "words per era model in the drift exercise (0 = whole era)",
  },
  corpus: { type: "string", check: corpusCheck, default: "sotu", help: '"sotu", "brown" or a path to your own text file' },
  buildWords: {
    type: "integer",
    min: 1000,
    default: { fast: 150_000, workshop: 150_000, full: 300_000 },
    help: "most recent words of the corpus for the notebook's own trainer (§3)",
  },
  buildEpochs: { type: "integer", min: 1, default: 3, help: "passes of the notebook's own trainer over those words" },
});

/** The lesson's hyperparameters (a mode preset, or explicit values in the parameters cell). */
export type Word2VecLessonParams = DeclaredParams<typeof WORD2VEC_PARAMS>;
/** Presets per mode (derived from WORD2VEC_PARAMS). */
export const WORD2VEC_PRESETS = WORD2VEC_PARAMS.presets();
/** What each parameter of lesson 02 may be (derived from WORD2VEC_PARAMS). */
export const WORD2VEC_RULES = WORD2VEC_PARAMS.rules;
