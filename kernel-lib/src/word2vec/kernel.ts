/**
 * The inner loop of skip-gram with negative sampling (SGNS), as in Mikolov's word2vec.c.
 *
 * Everything here works on preallocated typed arrays: no allocation per training pair, no
 * imports, so the same function runs on the main thread and inside worker threads (Hogwild:
 * several threads update the same SharedArrayBuffer-backed matrices without locks; collisions are
 * rare because each update touches only a few rows).
 *
 * For each kept word w at position i and each context word c within a randomly shrunk window,
 * the input vector of c (row of `syn0`) is trained to predict w (row of `syn1`, label 1) and
 * `negative` words drawn from the unigram^0.75 distribution (label 0), with the logistic loss
 * -log σ(u·v) - Σ log σ(-u·n). This is word2vec.c's (and gensim's) arrangement: it predicts the
 * centre from each context word, which covers the same (centre, context) pairs as the textbook
 * "centre predicts context".
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
export interface KernelData {
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
   * When set, syn0, syn1 and neu1e are views into one WebAssembly memory starting at these byte
   * offsets, and the vector operations run as f32x4 SIMD (see simd.ts).
   */
  simd?: { ops: VectorOps; syn0Byte: number; syn1Byte: number; neuByte: number };
}

/**
 * The three vector operations of the inner loop. `inRow`, `outRow` and `neu` are offsets of a row
 * of syn0, a row of syn1 and of the gradient scratch: element offsets into the typed arrays for
 * the JavaScript operations, byte offsets into the WebAssembly memory for the SIMD ones.
 */
export interface VectorOps {
  /** syn0[inRow] · syn1[outRow] over n elements. */
  dot(inRow: number, outRow: number, n: number): number;
  /** neu += g·syn1[outRow]; syn1[outRow] += g·syn0[inRow] (the gradient of u uses v before its update). */
  update(inRow: number, outRow: number, neu: number, n: number, g: number): void;
  /** syn0[inRow] += neu; neu = 0 (u is updated once all its outputs are done). */
  addClear(inRow: number, neu: number, n: number): void;
}

/** The vector operations on plain typed arrays (the readable arithmetic; dot unrolled by 4). */
export function jsVectorOps(syn0: Float32Array, syn1: Float32Array, neu1e: Float32Array): VectorOps {
  return {
    dot(l1: number, l2: number, n: number): number {
      // Four partial sums let the CPU overlap the multiply-adds (n need not be a multiple of 4).
      let f0 = 0;
      let f1 = 0;
      let f2 = 0;
      let f3 = 0;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        f0 += syn0[l1 + j] * syn1[l2 + j];
        f1 += syn0[l1 + j + 1] * syn1[l2 + j + 1];
        f2 += syn0[l1 + j + 2] * syn1[l2 + j + 2];
        f3 += syn0[l1 + j + 3] * syn1[l2 + j + 3];
      }
      for (; j < n; j++) f0 += syn0[l1 + j] * syn1[l2 + j];
      return f0 + f1 + f2 + f3;
    },
    update(l1: number, l2: number, neu: number, n: number, g: number): void {
      for (let j = 0; j < n; j++) {
        const o = syn1[l2 + j];
        neu1e[neu + j] += g * o;
        syn1[l2 + j] = o + g * syn0[l1 + j];
      }
    },
    addClear(l1: number, neu: number, n: number): void {
      for (let j = 0; j < n; j++) {
        syn0[l1 + j] += neu1e[neu + j];
        neu1e[neu + j] = 0;
      }
    },
  };
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

/** Holds the RNG state across `subsampleSentence` calls (one per thread: each worker has its own module). */
const rngBox = new Int32Array(1);

/**
 * Copy sentence `s` of the corpus into `k.sentence`, dropping each word with probability
 * 1 − keep[word] (word2vec.c's subsampling of frequent words). Returns the kept length; reads and
 * advances the RNG state in `state[0]`. Runs once per sentence, shared by the kernel and the
 * reference loop (reference.ts).
 */
export function subsampleSentence(k: KernelData, s: number, state: Int32Array): number {
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

/** The JavaScript operations of a kernel, made once per KernelData (the loop's calls stay monomorphic). */
const jsOpsOf = new WeakMap<KernelData, VectorOps>();

/**
 * Train on sentences [fromSent, toSent). The learning rate falls linearly from `alphaStart` to
 * `alphaEnd` over this call's raw words (callers split a run into calls with matching ends).
 * `rngState` seeds a 32-bit LCG (Numerical Recipes constants, high bits used).
 *
 * One loop serves both kernels: it decides which rows meet (subsampling, window, negatives,
 * learning rate, σ from the table) and leaves the arithmetic on rows to `VectorOps` — plain
 * JavaScript on the typed arrays, or WebAssembly SIMD on the same memory (simd.ts). reference.ts
 * writes the same update readably, as one `sgnsStep` per pair, and the tests hold the two together.
 */
export function trainSentences(
  k: KernelData,
  fromSent: number,
  toSent: number,
  alphaStart: number,
  alphaEnd: number,
  rngState: number,
  out: Float64Array,
): void {
  const { sentStarts, aliasProb, aliasIdx, sigmoid, lossTable, sentence } = k;
  const dim = k.dim | 0;
  let ops: VectorOps;
  let in0 = 0; // offset of syn0's first row
  let out0 = 0; // offset of syn1's first row
  let neu = 0; // offset of the gradient scratch
  let stride = dim; // offset step from one row to the next
  if (k.simd) {
    ({ ops, syn0Byte: in0, syn1Byte: out0, neuByte: neu } = k.simd);
    stride = dim * 4;
  } else {
    ops = jsOpsOf.get(k) ?? jsVectorOps(k.syn0, k.syn1, k.neu1e);
    jsOpsOf.set(k, ops);
  }
  const dot = ops.dot;
  const update = ops.update;
  const addClear = ops.addClear;
  const window = k.window | 0;
  const negative = k.negative | 0;
  const nAlias = aliasProb.length;
  const expScale = EXP_TABLE_SIZE / MAX_EXP / 2;
  const totalRaw = sentStarts[toSent] - sentStarts[fromSent];
  let r = rngState | 0;
  let raw = 0;
  let kept = 0;
  let lossSum = 0;
  let lossN = 0;
  let alpha = alphaStart;

  for (let s = fromSent; s < toSent; s++) {
    // Learning rate: linear decay, refreshed once per sentence.
    alpha = totalRaw > 0 ? alphaStart + (alphaEnd - alphaStart) * (raw / totalRaw) : alphaStart;
    // Subsample frequent words into the scratch sentence.
    rngBox[0] = r;
    const n = subsampleSentence(k, s, rngBox);
    r = rngBox[0];
    raw += sentStarts[s + 1] - sentStarts[s];
    kept += n;

    for (let i = 0; i < n; i++) {
      const word = sentence[i];
      const wordRow = out0 + word * stride;
      // Random window shrinking: effective window uniform in 1..window.
      r = nextRandom(r);
      const b = ((r >>> 0) * INV_2_32 * window) | 0;
      const lo = Math.max(0, i - window + b);
      const hi = i + window - b >= n ? n - 1 : i + window - b;
      for (let c = lo; c <= hi; c++) {
        if (c === i) continue;
        const l1 = in0 + sentence[c] * stride;
        for (let d = 0; d <= negative; d++) {
          let l2: number;
          let label: number;
          if (d === 0) {
            l2 = wordRow;
            label = 1;
          } else {
            r = nextRandom(r);
            const u = (r >>> 0) * INV_2_32 * nAlias;
            let t = u | 0;
            if (u - t >= aliasProb[t]) t = aliasIdx[t];
            if (t === word) continue;
            l2 = out0 + t * stride;
            label = 0;
          }
          const f = dot(l1, l2, dim);
          let g: number;
          if (f >= MAX_EXP) {
            g = (label - 1) * alpha;
            lossSum += label === 1 ? 0 : f;
          } else if (f <= -MAX_EXP) {
            g = label * alpha;
            lossSum += label === 1 ? -f : 0;
          } else {
            const idx = ((f + MAX_EXP) * expScale) | 0;
            g = (label - sigmoid[idx]) * alpha;
            // -log σ(f) for the positive, -log σ(-f) for a negative (mirror index).
            lossSum += label === 1 ? lossTable[idx] : lossTable[EXP_TABLE_SIZE - 1 - idx];
          }
          lossN++;
          if (g !== 0) update(l1, l2, neu, dim, g);
        }
        addClear(l1, neu, dim);
      }
    }
  }
  out[OUT_RAW] = raw;
  out[OUT_KEPT] = kept;
  out[OUT_LOSS] = lossSum;
  out[OUT_LOSS_N] = lossN;
  out[OUT_RNG] = r;
}
