/**
 * The readable reference of skip-gram with negative sampling: one update written as the formulas
 * say, and a loop that feeds it the same pairs and negatives as the fast loop (fast-loop.ts), so
 * that tests can hold the JavaScript, SIMD and threaded paths to it.
 *
 * For a centre word with input vector u, its context word with output vector v and k negatives
 * with output vectors v₁ … v_k, SGNS maximises
 *
 *   ℓ = log σ(u·v) + Σₙ log σ(−u·vₙ)
 *
 * and since d/dx log σ(x) = 1 − σ(x), with label y = 1 for the context and 0 for a negative,
 *
 *   ∂ℓ/∂v_o = (y_o − σ(u·v_o)) · u        ∂ℓ/∂u = Σ_o (y_o − σ(u·v_o)) · v_o
 *
 * over the outputs o ∈ {context, negatives}. A step adds lr times these gradients; both use the
 * vectors as they were before the step, which is why u's gradient is summed first and added last.
 */
import {
  EXP_TABLE_SIZE,
  INV_2_32,
  MAX_EXP,
  OUT_KEPT,
  OUT_LOSS,
  OUT_LOSS_N,
  OUT_RAW,
  OUT_RNG,
  makeSigmoidTable,
  nextRandom,
  subsampleSentence,
} from "./training-data";
import { SkipGramOptions } from "./options";
import { aliasDraw } from "./sampling";
import { SentenceLoop, SkipGramModel, trainSkipGramSync } from "./train";

/** σ(x) = 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** word2vec.c's σ: read from a table on [−MAX_EXP, MAX_EXP), 0 or 1 beyond (what the fast loop uses). */
export function tableSigmoid(): (x: number) => number {
  const table = makeSigmoidTable();
  const scale = EXP_TABLE_SIZE / MAX_EXP / 2;
  return (x) => (x >= MAX_EXP ? 1 : x <= -MAX_EXP ? 0 : table[((x + MAX_EXP) * scale) | 0]);
}

/** The signature of an SGNS step (the lesson's exercise): updates wIn and wOut in place. */
export type SgnsStepFn = (wIn: Float32Array[], wOut: Float32Array[], centre: number, context: number, negatives: number[], lr: number) => unknown;

/**
 * One SGNS step for the pair (centre, context) with `negatives`: gradient ascent on ℓ with
 * learning rate `lr`. wIn and wOut hold one vector per word id. Returns the pair's loss −ℓ.
 */
export function sgnsStep(
  wIn: Float32Array[],
  wOut: Float32Array[],
  centre: number,
  context: number,
  negatives: ArrayLike<number>,
  lr: number,
  sigma: (x: number) => number = sigmoid,
): number {
  const u = wIn[centre]; // [dim]
  const gradU = new Float32Array(u.length); // ∂ℓ/∂u, summed over the outputs
  let loss = 0;
  for (let o = 0; o <= negatives.length; o++) {
    const v = wOut[o === 0 ? context : negatives[o - 1]]; // [dim]
    const y = o === 0 ? 1 : 0; // label: 1 for the real pair, 0 for a negative
    let f = 0;
    for (let j = 0; j < u.length; j++) f += u[j] * v[j];
    loss -= Math.log(sigmoid(y === 1 ? f : -f));
    const g = lr * (y - sigma(f));
    for (let j = 0; j < u.length; j++) {
      gradU[j] += g * v[j]; // v as it was before this step
      v[j] += g * u[j]; // u is still unchanged here
    }
  }
  for (let j = 0; j < u.length; j++) u[j] += gradU[j];
  return loss;
}

/** The signature of `cbowStep` (the CBOW exercise's function). */
export type CbowStepFn = (wIn: Float32Array[], wOut: Float32Array[], contexts: number[], centre: number, negatives: number[], lr: number) => unknown;

/**
 * One CBOW step with negative sampling, as word2vec.c does it (-cbow 1): the input is the mean h
 * of the context words' input vectors; the centre word (label 1) and each negative (label 0) is
 * predicted from h: g = lr·(label − σ(h·v_o)), v_o += g·h, and the error e = Σ g·v_o (old v_o)
 * is added whole to the input vector of every context position. Returns the loss −ℓ.
 * (gensim divides e by the number of context words when averaging; word2vec.c does not.)
 */
export function cbowStep(
  wIn: Float32Array[],
  wOut: Float32Array[],
  contexts: ArrayLike<number>,
  centre: number,
  negatives: ArrayLike<number>,
  lr: number,
): number {
  const dim = wIn[contexts[0]].length;
  const h = new Float32Array(dim); // [dim] mean of the context vectors
  for (let c = 0; c < contexts.length; c++) for (let j = 0; j < dim; j++) h[j] += wIn[contexts[c]][j];
  for (let j = 0; j < dim; j++) h[j] /= contexts.length;
  const e = new Float32Array(dim); // ∂ℓ/∂h, summed over the outputs
  let loss = 0;
  for (let o = 0; o <= negatives.length; o++) {
    const v = wOut[o === 0 ? centre : negatives[o - 1]];
    const y = o === 0 ? 1 : 0;
    let f = 0;
    for (let j = 0; j < dim; j++) f += h[j] * v[j];
    loss -= Math.log(sigmoid(y === 1 ? f : -f));
    const g = lr * (y - sigmoid(f));
    for (let j = 0; j < dim; j++) {
      e[j] += g * v[j]; // v as it was before this step
      v[j] += g * h[j];
    }
  }
  for (let c = 0; c < contexts.length; c++) for (let j = 0; j < dim; j++) wIn[contexts[c]][j] += e[j];
  return loss;
}

/** Row views (no copies) of a vocab × dim matrix stored row-major. */
export function matrixRows(m: Float32Array, dim: number): Float32Array[] {
  return Array.from({ length: m.length / dim }, (_, i) => m.subarray(i * dim, (i + 1) * dim));
}

/**
 * A loop like `trainSentences` (fast-loop.ts), written with `sgnsStep`: the same subsampling, window, negatives
 * and random stream, so with `sigma = tableSigmoid()` the loop gives the fast loop's vectors up to
 * float rounding. word2vec.c visits each pair from the context side: for the word at position i it
 * trains every neighbour c as the input word (`centre` of sgnsStep) and i as the output
 * (`context`); the window is symmetric, so these are the same pairs as centre → context.
 */
export function referenceLoop(sigma: (x: number) => number = sigmoid): SentenceLoop {
  return (k, fromSent, toSent, alphaStart, alphaEnd, rngState, out) => {
    const wIn = matrixRows(k.syn0, k.dim);
    const wOut = matrixRows(k.syn1, k.dim);
    const noise = { prob: k.aliasProb, alias: k.aliasIdx }; // unigram^0.75
    const { sentStarts, sentence, window } = k;
    const totalRaw = sentStarts[toSent] - sentStarts[fromSent];
    const rng = Int32Array.of(rngState);
    // uniform in [0, 1)
    const draw = () => {
      const r = nextRandom(rng[0]) >>> 0;
      rng[0] = r;
      return r * INV_2_32;
    };
    const negatives: number[] = [];
    let raw = 0;
    let kept = 0;
    let loss = 0;
    let lossN = 0;
    for (let s = fromSent; s < toSent; s++) {
      const lr = totalRaw > 0 ? alphaStart + (alphaEnd - alphaStart) * (raw / totalRaw) : alphaStart;
      const n = subsampleSentence(k, s, rng); // kept words now in k.sentence[0 .. n)
      raw += sentStarts[s + 1] - sentStarts[s];
      kept += n;
      for (let i = 0; i < n; i++) {
        const b = window - Math.floor(draw() * window); // window shrunk to 1 … window
        for (let c = Math.max(0, i - b); c <= Math.min(n - 1, i + b); c++) {
          if (c === i) continue;
          negatives.length = 0;
          for (let d = 0; d < k.negative; d++) {
            const t = aliasDraw(noise, draw());
            if (t !== sentence[i]) negatives.push(t); // a draw of the true word is skipped
          }
          loss += sgnsStep(wIn, wOut, sentence[c], sentence[i], negatives, lr, sigma);
          lossN += 1 + negatives.length;
        }
      }
    }
    out[OUT_RAW] = raw;
    out[OUT_KEPT] = kept;
    out[OUT_LOSS] = loss;
    out[OUT_LOSS_N] = lossN;
    out[OUT_RNG] = rng[0];
  };
}

/**
 * Train on one thread with the reference loop (exact σ unless `sigma` is given): the readable
 * trainer the fast ones are tested against. Same options as `trainSkipGram`; slow.
 */
export function trainSkipGramReference(sentences: string[][], options: SkipGramOptions = {}, sigma: (x: number) => number = sigmoid): SkipGramModel {
  return trainSkipGramSync(sentences, { ...options, threads: 1 }, referenceLoop(sigma));
}
