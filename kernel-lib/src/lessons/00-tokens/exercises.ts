import { pass } from "../../util/checker";
import { trainBpe } from "../../text/bpe-train";

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
