/**
 * Checkers for the word2vec lesson's exercises. Each throws an Error with a hint when the answer
 * is wrong and prints a line starting with "✓" when it is right.
 */
import { WordVectors } from "./model";
import { trainingPairs, neighbourOverlap } from "./lesson";
import { keepProbabilities } from "./sampling";

/** The sentence and window of exercise 1. */
export const WORD2VEC_EXERCISE1 = { sentence: "we hold these truths to be self evident".split(" "), window: 3 };

/** Exercise 1: how many (centre, context) pairs does WORD2VEC_EXERCISE1 produce? */
export function checkWord2VecExercise1(answer: number): true {
  const want = trainingPairs(WORD2VEC_EXERCISE1.sentence, WORD2VEC_EXERCISE1.window).length;
  if (answer !== want) {
    throw new Error(
      `not quite: got ${answer}. Hint: a word at position i has min(i, ${WORD2VEC_EXERCISE1.window}) neighbours on the left and ` +
        `min(n-1-i, ${WORD2VEC_EXERCISE1.window}) on the right; add them up over the ${WORD2VEC_EXERCISE1.sentence.length} words.`,
    );
  }
  console.log(`✓ ${want} pairs: words near the ends of a sentence have fewer neighbours.`);
  return true;
}

/**
 * Exercise 2: the probability that subsampling keeps one occurrence of `word`, given the model's
 * counts and sample setting (word2vec.c: (sqrt(f/(s·T)) + 1)·(s·T)/f, capped at 1).
 */
export function checkWord2VecExercise2(model: WordVectors & { options?: { sample: number } }, word: string, answer: number): true {
  if (!model.counts) throw new Error("checkWord2VecExercise2 needs a model trained here (it knows the word counts)");
  const sample = model.options?.sample ?? 1e-3;
  const i = model.requireIndex(word);
  let total = 0;
  for (const c of model.counts) total += c;
  const want = Math.min(1, keepProbabilities([model.counts[i]], sample, total)[0]);
  if (typeof answer !== "number" || !Number.isFinite(answer) || Math.abs(answer - want) > 1e-3) {
    throw new Error(
      `not quite: got ${answer}. Hint: f = model.counts[model.indexOf("${word}")], T = sum of all counts, s = ${sample}; ` +
        `keep = (Math.sqrt(f / (s*T)) + 1) * (s*T) / f, at most 1.`,
    );
  }
  console.log(`✓ "${word}" survives subsampling with probability ${want.toFixed(3)}.`);
  return true;
}

/**
 * Exercise 3 (era drift): of `candidates`, which word's neighbours changed most between the two
 * models (lowest neighbourOverlap)? `answer` is that word.
 */
export function checkWord2VecExercise3(early: WordVectors, late: WordVectors, candidates: string[], answer: string, k = 10): true {
  const usable = candidates.filter((w) => early.has(w) && late.has(w));
  if (usable.length === 0) throw new Error("none of the candidate words is known to both models");
  const scores = usable.map((w) => ({ w, overlap: neighbourOverlap(early, late, w, k) }));
  scores.sort((a, b) => a.overlap - b.overlap);
  const min = scores[0].overlap;
  const winners = scores.filter((s) => s.overlap === min).map((s) => s.w);
  if (!winners.includes(answer)) {
    throw new Error(
      `not quite: "${answer}" is not the word whose neighbours changed most. Hint: compute ` +
        `neighbourOverlap(early, late, word) for each candidate and take the smallest.`,
    );
  }
  console.log(`✓ "${answer}" drifted most: only ${Math.round(min * k)} of its ${k} nearest neighbours are shared across eras.`);
  return true;
}
