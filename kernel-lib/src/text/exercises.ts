import { trainBpe } from "./bpe-train";
import { NgramModel } from "./ngram";

/**
 * Exercise 1 corpus: chunk counts from Sennrich et al.'s BPE example. Which pair of bytes does
 * BPE merge first? (Remember the tie-breaking rule.)
 */
export const EXERCISE1_CHUNKS: Record<string, number> = { low: 5, lower: 2, newest: 6, widest: 3 };

/** The text with exactly those chunk counts (one chunk per line). */
export function exercise1Text(): string {
  return Object.entries(EXERCISE1_CHUNKS)
    .flatMap(([w, c]) => new Array<string>(c).fill(w))
    .join("\n");
}

/** Check exercise 1: `pair` is the first merge, as two strings, e.g. ["l", "o"]. */
export function checkTokensExercise1(pair: [string, string]): void {
  if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`answer must be a pair of strings like ["l", "o"], got ${JSON.stringify(pair)}`);
  const tok = trainBpe(exercise1Text(), { vocabSize: 258, pattern: "[^\\n]+|\\n" });
  const [l, r] = tok.merges[0];
  const want: [string, string] = [tok.tokenText(l), tok.tokenText(r)];
  if (pair[0] !== want[0] || pair[1] !== want[1]) {
    throw new Error(
      `not quite: ${JSON.stringify(pair)} is not the first merge. Count each adjacent pair weighted by how often its chunk occurs; ` +
        "if two pairs tie, the one with the smaller (left byte, right byte) wins.",
    );
  }
  console.log(`✓ right: ${JSON.stringify(want)} occurs ${tok.stats.mergeCounts[0]} times and wins the tie by its smaller first byte.`);
}

/** Exercise 2 corpus: a toy corpus for the chain rule. */
export const EXERCISE2_SENTENCES: string[][] = [
  "the cat sat on the mat",
  "the dog sat on the log",
  "a cat saw the dog",
  "the cat ran",
].map((s) => s.split(" "));

/** Check exercise 2: the perplexity of "the cat sat on the mat" under the unsmoothed bigram of EXERCISE2_SENTENCES. */
export function checkTokensExercise2(perplexity: number): void {
  const model = NgramModel.train(EXERCISE2_SENTENCES, { order: 2, smoothing: "none" });
  const want = model.perplexity(["the cat sat on the mat".split(" ")]).perplexity;
  if (typeof perplexity !== "number" || !Number.isFinite(perplexity)) throw new Error(`answer must be a finite number, got ${perplexity}`);
  if (Math.abs(perplexity - want) > 1e-6 * want) {
    throw new Error(
      `not quite: ${perplexity} ≠ the expected value. Multiply the 7 conditional probabilities (6 words + </s>), take the log, ` +
        "divide by 7 and exponentiate the negative: exp(−log P / N).",
    );
  }
  console.log(`✓ right: perplexity ${want.toFixed(4)} — on average the model hesitates between about ${want.toFixed(1)} words.`);
}

/** The candidate values of k in exercise 3. */
export const EXERCISE3_KS = [0.0001, 0.001, 0.01, 0.1, 1];

/** Check exercise 3: `k` is the add-k value (from EXERCISE3_KS) with the lowest held-out bigram perplexity. */
export function checkTokensExercise3(k: number, train: string[][], test: string[][]): void {
  const pps = EXERCISE3_KS.map((kk) => NgramModel.train(train, { order: 2, smoothing: "add-k", k: kk }).perplexity(test).perplexity);
  const best = EXERCISE3_KS[pps.indexOf(Math.min(...pps))];
  if (k !== best) {
    throw new Error(`not quite: k = ${k} is not the best. Train one add-k bigram per k in EXERCISE3_KS and compare perplexity(test).`);
  }
  console.log(`✓ right: k = ${best} gives perplexity ${Math.min(...pps).toFixed(1)}; add-one (k = 1) gives ${pps[pps.length - 1].toFixed(1)}.`);
}
