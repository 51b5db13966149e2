import { makeRng } from "../../../kernel-lib/src/util/random";

/** Three topics; every sentence draws its words from one topic. */
export const GROUPS: Record<string, string[]> = {
  animals: ["cat", "dog", "horse", "cow", "sheep", "goat"],
  colours: ["red", "green", "blue", "yellow", "black", "white"],
  numbers: ["one", "two", "three", "four", "five", "six"],
};

export function topicCorpus(nSentences: number, seed = 7, length = 8): string[][] {
  const rng = makeRng(seed);
  const names = Object.keys(GROUPS);
  const out: string[][] = [];
  for (let s = 0; s < nSentences; s++) {
    const g = GROUPS[names[rng.int(names.length)]];
    out.push(Array.from({ length }, () => g[rng.int(g.length)]));
  }
  return out;
}
