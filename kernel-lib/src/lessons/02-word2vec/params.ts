/**
 * Settings of the word2vec lesson per mode (see resolveParams; the README lists each mode's run
 * time): fast trains on the most recent ~500 k words of SOTU (CI), workshop on all 1.79 M words with 2 threads, full with gensim's dimension and more epochs. The
 * notebook's own (plain TypeScript) trainer runs on a smaller recent slice: buildWords × buildEpochs.
 */
import type { ParamRules, Presets } from "../../runtime/params";

/** The lesson's hyperparameters (a mode preset, or explicit values in the parameters cell). */
export interface Word2VecLessonParams {
  seed: number;
  /** Embedding size. */
  dim: number;
  /** Passes over the corpus. */
  epochs: number;
  /** Worker threads (Hogwild). */
  threads: number;
  window: number;
  negative: number;
  sample: number;
  minCount: number;
  /** Most recent words of SOTU to train on (0 = all). */
  maxWords: number;
  /** Words per era model in the drift exercise (0 = whole era). */
  eraWords: number;
  /** "sotu", "brown" or a path to a text file. */
  corpus: string;
  /** Most recent words of the corpus for the hand-built trainer of §3 (the notebook's own loop). */
  buildWords: number;
  /** Passes of the hand-built trainer over those words. */
  buildEpochs: number;
}

/** Presets per mode for `resolveParams(mode, given, WORD2VEC_PRESETS)`. */
export const WORD2VEC_PRESETS: Presets<Word2VecLessonParams> = {
  fast: {
    seed: 1,
    dim: 32,
    epochs: 3,
    threads: 2,
    window: 5,
    negative: 5,
    sample: 1e-3,
    minCount: 5,
    maxWords: 500_000,
    eraWords: 250_000,
    corpus: "sotu",
    buildWords: 150_000,
    buildEpochs: 3,
  },
  workshop: {
    seed: 1,
    dim: 64,
    epochs: 5,
    threads: 2,
    window: 5,
    negative: 5,
    sample: 1e-3,
    minCount: 5,
    maxWords: 0,
    eraWords: 0,
    corpus: "sotu",
    buildWords: 150_000,
    buildEpochs: 3,
  },
  full: {
    seed: 1,
    dim: 100,
    epochs: 10,
    threads: 2,
    window: 5,
    negative: 5,
    sample: 1e-3,
    minCount: 5,
    maxWords: 0,
    eraWords: 0,
    corpus: "sotu",
    buildWords: 300_000,
    buildEpochs: 3,
  },
};

/** What each parameter of lesson 02 may be; `resolveParams` stops on the first value outside it. */
export const WORD2VEC_RULES: ParamRules<Word2VecLessonParams> = {
  fields: {
    seed: { type: "integer" },
    dim: { type: "integer", min: 2, max: 1000 },
    epochs: { type: "integer", min: 1 },
    threads: { type: "integer", min: 1, max: 64 },
    window: { type: "integer", min: 1 },
    negative: { type: "integer", min: 1 },
    sample: { type: "number", min: 0 },
    minCount: { type: "integer", min: 1 },
    maxWords: { type: "integer", min: 0 },
    eraWords: { type: "integer", min: 0 },
    corpus: { type: "string", check: (v) => (v === "" ? `"sotu", "brown" or a path to a text file` : null) },
    buildWords: { type: "integer", min: 1000 },
    buildEpochs: { type: "integer", min: 1 },
  },
};
