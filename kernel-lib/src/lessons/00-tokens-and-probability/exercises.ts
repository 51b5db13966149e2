import { pass } from "../../util/checker";
import { trainBpe } from "../../text/bpe-train";
import { NgramModel } from "../../text/ngram";

/**
 * Exercise 1 corpus: chunk counts from Sennrich et al.'s BPE example. Which pair of bytes does
 * BPE merge first? (Remember the tie-breaking rule.)
 */
export const FIRST_MERGE_CHUNKS: Record<string, number> = { low: 5, lower: 2, newest: 6, widest: 3 };

/** The text with exactly those chunk counts (one chunk per line). */
export function firstMergeText(): string {
  return Object.entries(FIRST_MERGE_CHUNKS)
    .flatMap(([w, c]) => new Array<string>(c).fill(w))
    .join("\n");
}

/** Check exercise 1: `pair` is the first merge, as two strings, e.g. ["l", "o"]. */
export function checkFirstMerge(pair: [string, string]): void {
  if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`answer must be a pair of strings like ["l", "o"], got ${JSON.stringify(pair)}`);
  const tok = trainBpe(firstMergeText(), { vocabSize: 258, pattern: "[^\\n]+|\\n" });
  const [l, r] = tok.merges[0];
  const want: [string, string] = [tok.tokenText(l), tok.tokenText(r)];
  if (pair[0] !== want[0] || pair[1] !== want[1]) {
    throw new Error(
      `not quite: ${JSON.stringify(pair)} is not the first merge. Count each adjacent pair weighted by how often its chunk occurs; ` +
        "if two pairs tie, the one with the smaller (left byte, right byte) wins.",
    );
  }
  pass(`right: ${JSON.stringify(want)} occurs ${tok.stats.mergeCounts[0]} times and wins the tie by its smaller first byte.`);
}

/** The candidate values of k in the add-k tuning exercise. */
export const ADD_K_CHOICES = [0.0001, 0.001, 0.01, 0.1, 1];

/** Check the add-k tuning exercise: `k` is the add-k value (from ADD_K_CHOICES) with the lowest held-out bigram perplexity. */
export function checkBestAddK(k: number, train: string[][], test: string[][]): void {
  const pps = ADD_K_CHOICES.map((kk) => NgramModel.train(train, { order: 2, smoothing: "add-k", k: kk }).perplexity(test).perplexity);
  const best = ADD_K_CHOICES[pps.indexOf(Math.min(...pps))];
  if (k !== best) {
    throw new Error(`not quite: k = ${k} is not the best. Train one add-k bigram per k in ADD_K_CHOICES and compare perplexity(test).`);
  }
  pass(`right: k = ${best} gives perplexity ${Math.min(...pps).toFixed(1)}; add-one (k = 1) gives ${pps[pps.length - 1].toFixed(1)}.`);
}
