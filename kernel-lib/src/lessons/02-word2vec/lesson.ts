/**
 * Small pure functions the word2vec lesson shows step by step: the (centre, context) training
 * pairs of a sentence, the probability the model gives a pair, and what happens without negative
 * samples.
 */
import { type ProgressBar, progressBar } from "../../charts";
import { interruptSignal } from "../../runtime/interrupt";
import { makeRng } from "../../util/random";
import { WordVectors } from "../../word2vec/model";
import type { SkipGramOptions } from "../../word2vec/options";
import { type SkipGramModel, trainSkipGram } from "../../word2vec/train";

/**
 * `trainSkipGram` as the lesson runs it: a progress bar (in the notebook; on stderr elsewhere)
 * with words/s and the loss, `onProgress` still called, and the notebook's interrupt (or
 * `options.signal`) stopping training between chunks.
 */
export async function trainSkipGramWithProgress(sentences: string[][], options: SkipGramOptions = {}): Promise<SkipGramModel> {
  const ui: { bar: ProgressBar | null } = { bar: null }; // made at the first report, which knows the total
  let shown = 0;
  const stop = interruptSignal();
  try {
    const model = await trainSkipGram(sentences, {
      ...options,
      signal: options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal,
      onProgress: (p) => {
        ui.bar ??= progressBar(p.wordsTotal, "word2vec");
        ui.bar.tick(p.wordsDone - shown, { loss: p.loss.toFixed(4), "words/s": Math.round(p.wordsPerSecond) });
        shown = p.wordsDone;
        options.onProgress?.(p);
      },
    });
    ui.bar?.done();
    return model;
  } finally {
    stop.release();
  }
}

/** One training pair: the centre word and a word within the window around it. */
export type TrainingPair = {
  centre: string;
  context: string;
};

/**
 * All (centre, context) pairs of a sentence for a fixed window (no random shrinking), in the
 * order the classic illustrations list them: centre by centre, context left to right.
 */
export function trainingPairs(sentence: string[], window: number): TrainingPair[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer >= 1, got ${window}`);
  const out: TrainingPair[] = [];
  for (let i = 0; i < sentence.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(sentence.length - 1, i + window); j++) {
      if (j !== i) out.push({ centre: sentence[i], context: sentence[j] });
    }
  }
  return out;
}

/**
 * The model's probability that `context` appears near `centre`: σ(input(context) · output(centre)),
 * exactly the quantity SGNS trains (1 for real pairs, 0 for negatives).
 */
export function pairProbability(model: WordVectors, centre: string, context: string): number {
  if (!model.output) throw new Error("pairProbability needs a model trained here (it uses the output vectors)");
  const d = model.dim;
  const ic = model.requireIndex(context) * d;
  const iw = model.requireIndex(centre) * d;
  let f = 0;
  for (let j = 0; j < d; j++) f += model.vectors[ic + j] * model.output[iw + j];
  return 1 / (1 + Math.exp(-f));
}

/** What a model says about real pairs versus random pairs (the negatives demo). */
export interface PairScores {
  /** Mean σ(u·v) over real (centre, context) pairs from the corpus (window 2). */
  realPairs: number;
  /** Mean σ(u·v) over random pairs: two word occurrences drawn from anywhere in the corpus. */
  randomPairs: number;
  /** Mean cosine between the vectors of the random pairs (collapse shows as a value near 1). */
  meanCosine: number;
  /** How often a real pair scores above a random pair (ROC AUC): 0.5 = cannot tell them apart. */
  auc: number;
}

/** P(a real score > a random score), ties counting half (the ROC AUC, by ranks). */
export function rankAuc(positives: number[], negatives: number[]): number {
  const all = [...positives.map((v) => ({ v, p: 1 })), ...negatives.map((v) => ({ v, p: 0 }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].p === 1) rankSum += avg;
    i = j + 1;
  }
  const np = positives.length;
  const nn = negatives.length;
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}

/**
 * Score a model on `n` real pairs (window 2, from `sentences`) and `n` random pairs, both drawn
 * with `seed`. Random pairs take two occurrences from anywhere in the corpus, so both sets have
 * the same word frequencies and differ only in being neighbours or not. Trained without
 * negatives, a model answers "neighbour" to both; with negatives it separates them.
 */
export function scorePairs(model: WordVectors, sentences: string[][], n = 2000, seed = 1): PairScores {
  const rng = makeRng(seed);
  const known = sentences.map((s) => s.filter((w) => model.has(w))).filter((s) => s.length >= 2);
  if (known.length === 0) throw new RangeError("scorePairs: no sentence has two words in the vocabulary");
  const tokens = known.flat();
  const realScores: number[] = [];
  const randomScores: number[] = [];
  let real = 0;
  for (let k = 0; k < n; k++) {
    const s = known[rng.int(known.length)];
    const i = rng.int(s.length);
    let j = i;
    while (j === i) j = Math.max(0, Math.min(s.length - 1, i + rng.int(5) - 2));
    const p = pairProbability(model, s[i], s[j]);
    realScores.push(p);
    real += p;
  }
  let random = 0;
  let cos = 0;
  let m = 0;
  while (m < n) {
    const a = tokens[rng.int(tokens.length)];
    const b = tokens[rng.int(tokens.length)];
    if (a === b) continue;
    const p = pairProbability(model, a, b);
    randomScores.push(p);
    random += p;
    cos += model.similarity(a, b);
    m++;
  }
  return { realPairs: real / n, randomPairs: random / n, meanCosine: cos / n, auc: rankAuc(realScores, randomScores) };
}

/**
 * How much a word's neighbourhood agrees between two models: |N_a ∩ N_b| / k, where N are the k
 * nearest neighbours restricted to words both models know. 1 = same neighbours, 0 = none shared.
 */
export function neighbourOverlap(a: WordVectors, b: WordVectors, word: string, k = 10): number {
  a.requireIndex(word);
  b.requireIndex(word);
  const na = a
    .mostSimilar(word, k * 5)
    .filter((x) => b.has(x.word))
    .slice(0, k);
  const nb = b
    .mostSimilar(word, k * 5)
    .filter((x) => a.has(x.word))
    .slice(0, k);
  const setB = new Set(nb.map((x) => x.word));
  let shared = 0;
  for (const x of na) if (setB.has(x.word)) shared++;
  return shared / k;
}
