/**
 * The fast training loop of skip-gram with negative sampling (SGNS), as in Mikolov's word2vec.c:
 * the one the trainers run. reference.ts beside it writes the same update readably, one
 * `sgnsStep` per pair, and the tests hold the two together.
 *
 * Its speed comes from what it leaves out: no allocation per pair (typed arrays only, see
 * training-data.ts), no function per pair, σ and the loss from tables. Where WebAssembly SIMD is
 * available the loop over a sentence's pairs runs in simd.wat, one call per sentence, with the
 * arithmetic on rows as f32x4; otherwise this file's JavaScript loop runs it, the arithmetic in
 * three vector operations on the typed arrays. Both draw the same random stream.
 *
 * For each kept word w at position i and each context word c within a randomly shrunk window,
 * the input vector of c (row of `syn0`) is trained to predict w (row of `syn1`, label 1) and
 * `negative` words drawn from the unigram^0.75 distribution (label 0), with the logistic loss
 * -log σ(u·v) - Σ log σ(-u·n). This is word2vec.c's (and gensim's) arrangement: it predicts the
 * centre from each context word, which covers the same (centre, context) pairs as the textbook
 * "centre predicts context".
 */

import {
  EXP_TABLE_SIZE,
  INV_2_32,
  MAX_EXP,
  SentenceKernel,
  OUT_KEPT,
  OUT_LOSS,
  OUT_LOSS_N,
  OUT_RAW,
  OUT_RNG,
  TrainingData,
  VectorOps,
  nextRandom,
  subsampleSentence,
} from "./training-data";

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

/** Holds the RNG state across `subsampleSentence` calls (one per thread: each worker has its own module). */
const rngBox = new Int32Array(1);

/** The JavaScript vector operations, made once per TrainingData (the loop's calls stay monomorphic). */
const jsOpsOf = new WeakMap<TrainingData, VectorOps>();

/**
 * Train on sentences [fromSent, toSent). The learning rate falls linearly from `alphaStart` to
 * `alphaEnd` over this call's raw words (callers split a run into calls with matching ends).
 * `rngState` seeds a 32-bit LCG (Numerical Recipes constants, high bits used).
 *
 * Each sentence is subsampled here, then its pairs are trained by the WebAssembly kernel
 * (`k.simd`) or by `trainPairs` below: the same decisions (window, negatives, learning rate, σ
 * from the table) in the same order.
 */
export function trainSentences(
  k: TrainingData,
  fromSent: number,
  toSent: number,
  alphaStart: number,
  alphaEnd: number,
  rngState: number,
  out: Float64Array,
): void {
  const { sentStarts } = k;
  const kernel: SentenceKernel | undefined = k.simd?.kernel;
  const sentenceByte = k.simd?.sentenceByte ?? 0;
  let ops: VectorOps | undefined;
  if (!kernel) {
    ops = jsOpsOf.get(k) ?? jsVectorOps(k.syn0, k.syn1, k.neu1e);
    jsOpsOf.set(k, ops);
  } else {
    kernel.takeLoss(); // start the sums from 0 (a run stopped midway can leave them set)
    kernel.takeLossCount();
  }
  const totalRaw = sentStarts[toSent] - sentStarts[fromSent];
  let r = rngState | 0;
  let raw = 0;
  let kept = 0;
  let alpha = alphaStart;
  lossBox[0] = 0;
  lossBox[1] = 0;

  for (let s = fromSent; s < toSent; s++) {
    // Learning rate: linear decay, refreshed once per sentence.
    alpha = totalRaw > 0 ? alphaStart + (alphaEnd - alphaStart) * (raw / totalRaw) : alphaStart;
    // Subsample frequent words into the scratch sentence.
    rngBox[0] = r;
    const n = subsampleSentence(k, s, rngBox);
    r = rngBox[0];
    raw += sentStarts[s + 1] - sentStarts[s];
    kept += n;
    r = kernel ? kernel.trainSentence(sentenceByte, n, alpha, r) : trainPairs(k, ops!, n, alpha, r, lossBox);
  }
  out[OUT_RAW] = raw;
  out[OUT_KEPT] = kept;
  out[OUT_LOSS] = kernel ? kernel.takeLoss() : lossBox[0];
  out[OUT_LOSS_N] = kernel ? kernel.takeLossCount() : lossBox[1];
  out[OUT_RNG] = r;
}

/** The JavaScript loop's summed loss and number of predictions within one `trainSentences` call. */
const lossBox = new Float64Array(2);

/**
 * Train the pairs of the subsampled sentence `k.sentence[0 .. n)` at learning rate `alpha` with
 * the JavaScript vector operations; adds the loss and the number of predictions to `loss[0]` and
 * `loss[1]`, and returns the generator state. simd.wat's `trainSentence` is the same loop.
 *
 * For each word w at position i and each context word c within a randomly shrunk window, the
 * input vector of c (row of `syn0`) is trained to predict w (row of `syn1`, label 1) and
 * `negative` draws from the alias tables (label 0; a draw of w itself is skipped).
 */
function trainPairs(k: TrainingData, ops: VectorOps, n: number, alpha: number, rngState: number, loss: Float64Array): number {
  const { aliasProb, aliasIdx, sigmoid, lossTable, sentence } = k;
  const dim = k.dim | 0;
  const stride = dim; // offset step from one row to the next
  const dot = ops.dot;
  const update = ops.update;
  const addClear = ops.addClear;
  const window = k.window | 0;
  const negative = k.negative | 0;
  const nAlias = aliasProb.length;
  const expScale = EXP_TABLE_SIZE / MAX_EXP / 2;
  let r = rngState | 0;
  let lossSum = 0;
  let lossN = 0;
  for (let i = 0; i < n; i++) {
    const word = sentence[i];
    const wordRow = word * stride;
    // Random window shrinking: effective window uniform in 1..window.
    r = nextRandom(r);
    const b = ((r >>> 0) * INV_2_32 * window) | 0;
    const lo = Math.max(0, i - window + b);
    const hi = i + window - b >= n ? n - 1 : i + window - b;
    for (let c = lo; c <= hi; c++) {
      if (c === i) continue;
      const l1 = sentence[c] * stride;
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
          l2 = t * stride;
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
        if (g !== 0) update(l1, l2, 0, dim, g);
      }
      addClear(l1, 0, dim);
    }
  }
  loss[0] += lossSum;
  loss[1] += lossN;
  return r;
}
