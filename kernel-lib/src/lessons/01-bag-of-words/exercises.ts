/**
 * Checkers of lesson 01's exercise answers. Each prints one "✓ …" line and returns nothing when the
 * answer is right, and throws with a hint when it is wrong: the contract of util/checker.ts.
 */
import { pass } from "../../util/checker";
import { trainNearestCentroid } from "../../bow/centroid";
import { accuracy } from "../../bow/metrics";
import { cosineSimilarity } from "../../bow/similarity";
import { CsrMatrix, denseRow } from "../../bow/sparse";
import { CountVectorizer } from "../../bow/vectorizer";

/** The four sentences of the word-order demonstration. */
export const ORDER_SENTENCES = ["the cat chases the dog", "the dog chases the cat", "猫追狗", "狗追猫"];

/** The count-vector cosine of the two English ORDER_SENTENCES with n-grams up to `n` words. */
export function orderCosine(n: number): number {
  const X = new CountVectorizer({ ngramRange: [1, n] }).fitTransform(ORDER_SENTENCES.slice(0, 2));
  return cosineSimilarity(denseRow(X, 0), denseRow(X, 1));
}

/**
 * Exercise 1: the count-vector cosine of "the cat chases the dog" and "the dog chases the cat"
 * with words, word pairs and word triples (ngramRange [1, 3]), worked out by hand (to 1e-3).
 * Throws with a hint that names the answer a common slip gives.
 */
export function checkTrigramCosine(answer: number): void {
  const expected = orderCosine(3);
  if (typeof answer !== "number" || !Number.isFinite(answer)) throw new Error(`Exercise 1: the answer must be a finite number (a cosine), got ${answer}`);
  if (Math.abs(answer - expected) > 1e-3) {
    const slips: [number, string][] = [
      [orderCosine(1), " That is the unigram cosine: add the word pairs and the word triples as columns."],
      [orderCosine(2), " That is the cosine with word pairs (§2): add the word triples — which ones do the sentences share?"],
      [7 / 11, ' Count "the" twice in each sentence: it adds 2 · 2 to the dot product and 2² to each squared norm.'],
    ];
    const hint =
      slips.find(([v]) => Math.abs(answer - v) < 1e-3)?.[1] ??
      ' Dot product over shared columns (words, pairs, triples), divided by the product of the two norms; the triples "the cat chases" and "chases the cat" are different columns.';
    throw new Error(`Exercise 1: ${answer} is not right.${hint}`);
  }
  pass(
    `Exercise 1: cosine ${expected.toFixed(3)} — the sentences share every word and three word pairs but no triple, so each longer n-gram lowers it (unigrams 1.000, + pairs ${orderCosine(2).toFixed(3)}).`,
  );
}

/** The smooth idf of a term in `df` of `n` documents: ln((1 + n) / (1 + df)) + 1. */
export function smoothIdf(n: number, df: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  if (!(Number.isInteger(df) && df >= 0 && df <= n)) throw new RangeError(`df must be an integer in [0, n], got ${df}`);
  return Math.log((1 + n) / (1 + df)) + 1;
}

/** Exercise 2: the smooth idf of a word found in 3 of 10 documents (to 1e-6). */
export function checkSmoothIdfAnswer(answer: number): void {
  const expected = smoothIdf(10, 3);
  if (typeof answer !== "number" || !Number.isFinite(answer)) throw new Error(`Exercise 2: the answer must be a finite number, got ${answer}`);
  if (Math.abs(answer - expected) > 1e-6) {
    const hint =
      Math.abs(answer - Math.log(10 / 3) - 1) < 1e-6
        ? " That is the unsmoothed idf; add one document to n and to df."
        : " Use the natural log, and do not forget the final + 1.";
    throw new Error(`Exercise 2: ${answer} is not right.${hint}`);
  }
  pass(`Exercise 2: idf = ln(11/4) + 1 = ${expected.toFixed(6)}.`);
}

/**
 * Exercise 3: the year of the address most similar to the one of `targetYear` (excluding
 * itself), given the similarity matrix and the year of each row.
 */
export function checkMostSimilarAddress(answerYear: number, similarity: number[][], years: number[], targetYear: number): void {
  if (similarity.length !== years.length) throw new RangeError(`similarity has ${similarity.length} rows but years has ${years.length}`);
  const row = years.indexOf(targetYear);
  if (row < 0) throw new RangeError(`targetYear ${targetYear} is not in years`);
  let best = -1;
  for (let j = 0; j < years.length; j++) if (j !== row && (best < 0 || similarity[row][j] > similarity[row][best])) best = j;
  if (answerYear !== years[best]) {
    throw new Error(`Exercise 3: ${answerYear} is not the most similar. Hint: take row ${row} of the matrix, skip the diagonal, find the largest entry.`);
  }
  pass(`Exercise 3: the address closest to ${targetYear} is ${years[best]} (cosine ${similarity[row][best].toFixed(3)}).`);
}

/**
 * Exercise 4: the held-out accuracy of a nearest-centroid classifier trained on the same
 * features and split (to 1e-9).
 */
export function checkCentroidAccuracy(
  answer: number,
  xTrain: CsrMatrix,
  yTrain: ArrayLike<number>,
  xTest: CsrMatrix,
  yTest: ArrayLike<number>,
  nClasses: number,
): void {
  const expected = accuracy(yTest, trainNearestCentroid(xTrain, yTrain, nClasses).predict(xTest));
  if (typeof answer !== "number" || Math.abs(answer - expected) > 1e-9) {
    throw new Error(`Exercise 4: ${answer} is not right. Hint: trainNearestCentroid(xTrain, yTrain, nClasses).predict(xTest), then accuracy against yTest.`);
  }
  pass(`Exercise 4: nearest centroid scores ${(expected * 100).toFixed(1)} % on the held-out addresses.`);
}
