/**
 * What both SGNS training loops — the fast one (fast-loop.ts) and the readable reference
 * (reference.ts) — read and write: the matrices and corpus as typed arrays (`TrainingData`), the
 * σ and loss tables, the random stream, subsampling, and the slots of a call's results.
 *
 * Everything is preallocated: no allocation per training pair, no imports, so the same code runs
 * on the main thread and inside worker threads (Hogwild: several threads update the same
 * SharedArrayBuffer-backed matrices without locks; collisions are rare because each update
 * touches only a few rows).
 */

/** Size and range of the precomputed sigmoid table (word2vec.c: EXP_TABLE_SIZE, MAX_EXP). */
export const EXP_TABLE_SIZE = 1000;
/** σ is tabulated on [-MAX_EXP, MAX_EXP); beyond it the gradient uses σ = 0 or 1. */
export const MAX_EXP = 6;

/** σ(x) sampled on [-MAX_EXP, MAX_EXP): a table lookup is cheaper than Math.exp in the hot loop. */
export function makeSigmoidTable(): Float32Array {
  const t = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const x = ((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP;
    t[i] = 1 / (1 + Math.exp(-x));
  }
  return t;
}

/** -log σ(x) on the same grid, for reporting the loss without calling Math.log per pair. */
export function makeLossTable(): Float32Array {
  const t = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const x = ((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP;
    t[i] = Math.log1p(Math.exp(-x));
  }
  return t;
}

/** Everything the inner loop reads or writes. Arrays may be backed by SharedArrayBuffers. */
export interface TrainingData {
  /** Input (word) vectors, vocabSize × dim, row-major. These are the embeddings. */
  syn0: Float32Array;
  /** Output (context) vectors, vocabSize × dim. */
  syn1: Float32Array;
  dim: number;
  /** The corpus as word ids (out-of-vocabulary words already removed). */
  tokens: Int32Array;
  /** Sentence boundaries: sentence s is tokens[sentStarts[s] .. sentStarts[s+1]). */
  sentStarts: Int32Array;
  /** Probability of keeping each word when subsampling (≥ 1 means always keep). */
  keep: Float32Array;
  /** Alias-method tables for drawing negatives from unigram^0.75. */
  aliasProb: Float32Array;
  aliasIdx: Int32Array;
  window: number;
  negative: number;
  sigmoid: Float32Array;
  lossTable: Float32Array;
  /** Scratch: the gradient for the input vector (dim) and the subsampled sentence (max length). */
  neu1e: Float32Array;
  sentence: Int32Array;
  /**
   * When set, every array above except the corpus (tokens, sentStarts, keep) is a view into one
   * WebAssembly memory, and `kernel.trainSentence` (simd.wat, loaded by simd.ts) trains each
   * subsampled sentence, written at byte offset `sentenceByte` (where `sentence` views).
   */
  simd?: { kernel: SentenceKernel; sentenceByte: number };
}

/** The WebAssembly sentence loop (simd.wat), configured for one thread's scratch. */
export interface SentenceKernel {
  /** Train the `n` word ids at byte offset `sentence`; returns the generator state to continue from. */
  trainSentence(sentence: number, n: number, alpha: number, rngState: number): number;
  /** The loss summed by `trainSentence` since the last call, then reset to 0. */
  takeLoss(): number;
  /** The number of predictions since the last call, then reset to 0. */
  takeLossCount(): number;
}

/**
 * The three vector operations of the JavaScript inner loop. `inRow`, `outRow` and `neu` are
 * element offsets of a row of syn0, a row of syn1 and of the gradient scratch.
 */
export interface VectorOps {
  /** syn0[inRow] · syn1[outRow] over n elements. */
  dot(inRow: number, outRow: number, n: number): number;
  /** neu += g·syn1[outRow]; syn1[outRow] += g·syn0[inRow] (the gradient of u uses v before its update). */
  update(inRow: number, outRow: number, neu: number, n: number, g: number): void;
  /** syn0[inRow] += neu; neu = 0 (u is updated once all its outputs are done). */
  addClear(inRow: number, neu: number, n: number): void;
}

/*
 * Results of one call, written into a Float64Array so that workers can report without
 * allocation: [rawWords, keptWords, lossSum, lossCount, rngState].
 */
/** Slot of `out`: raw words processed. */
export const OUT_RAW = 0;
/** Slot of `out`: words kept after subsampling. */
export const OUT_KEPT = 1;
/** Slot of `out`: summed loss of all predictions. */
export const OUT_LOSS = 2;
/** Slot of `out`: number of predictions (positive + negatives). */
export const OUT_LOSS_N = 3;
/** Slot of `out`: the generator state to continue from. */
export const OUT_RNG = 4;
/** Length of the `out` array. */
export const OUT_SIZE = 5;

/** 2⁻³²: turns a 32-bit generator state into a uniform number in [0, 1). */
export const INV_2_32 = 1 / 4294967296;

/** The next state of the 32-bit linear congruential generator (Numerical Recipes constants). */
export function nextRandom(r: number): number {
  return (Math.imul(r, 1664525) + 1013904223) | 0;
}

/**
 * Copy sentence `s` of the corpus into `k.sentence`, dropping each word with probability
 * 1 − keep[word] (word2vec.c's subsampling of frequent words). Returns the kept length; reads and
 * advances the RNG state in `state[0]`. Runs once per sentence, shared by the fast loop and the
 * reference loop (reference.ts).
 */
export function subsampleSentence(k: TrainingData, s: number, state: Int32Array): number {
  const { tokens, sentStarts, keep, sentence } = k;
  let r = state[0];
  let n = 0;
  for (let p = sentStarts[s], end = sentStarts[s + 1]; p < end; p++) {
    const w = tokens[p];
    const kp = keep[w];
    if (kp < 1) {
      r = nextRandom(r);
      if (kp < (r >>> 0) * INV_2_32) continue;
    }
    sentence[n++] = w;
  }
  state[0] = r;
  return n;
}
