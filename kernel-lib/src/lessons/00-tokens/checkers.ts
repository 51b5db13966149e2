import { allClose, callLearner, failure, firstMismatch, matchMistake, type Mistake, pass, requireFunction, type Tolerance } from "../../util/checker";
import { makeRng, type Rng } from "../../util/random";

/**
 * Checkers for the implement-it exercises of lesson 00-tokens (pair counts, one merge), on the shared checker core
 * (util/checker.ts). Each runs the learner's function on fixed tricky inputs and then on seeded
 * random ones, compares with a reference, and throws naming the first wrong element, expected vs
 * got, and a likely cause — found by recognising the output of a known mistake. On success it
 * prints one line starting with "✓ right" and returns nothing.
 */

/** A pair as the exercises key it: "left,right". */
export const pairKeyText = (left: number, right: number): string => `${left},${right}`;

/** Pair counts over chunks, each chunk weighted by its frequency (what `trainBpe` counts). */
export function referencePairCounts(chunks: readonly (readonly number[])[], freqs: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  chunks.forEach((ids, c) => {
    for (let i = 0; i + 1 < ids.length; i++) {
      const k = pairKeyText(ids[i], ids[i + 1]);
      counts.set(k, (counts.get(k) ?? 0) + freqs[c]);
    }
  });
  return counts;
}

/** Replace every occurrence of (left, right) by newId, scanning left to right, non-overlapping. */
export function referenceMergeOnce(ids: readonly number[], pair: readonly [number, number], newId: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(newId);
      i++;
    } else {
      out.push(ids[i]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

const show = (v: unknown): string => JSON.stringify(v);

/** Counts are exact. */
const EXACT: Tolerance = { abs: 0 };

/** The counts of two pair maps, aligned over every key either has (a missing key counts as 0). */
function alignCounts(want: Map<string, number>, got: Map<string, number>): { keys: string[]; want: number[]; got: number[] } {
  const keys = [...want.keys(), ...[...got.keys()].filter((k) => !want.has(k))];
  return { keys, want: keys.map((k) => want.get(k) ?? 0), got: keys.map((k) => got.get(k) ?? 0) };
}

function sameMap(a: Map<string, number>, b: Map<string, number>): boolean {
  const aligned = alignCounts(a, b);
  return firstMismatch(aligned.want, aligned.got, EXACT) < 0;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return allClose(a, b, EXACT);
}

function randomIds(rng: Rng, length: number, alphabet: number): number[] {
  return Array.from({ length }, () => rng.int(alphabet));
}

// ---------------------------------------------------------------------------------------------
// Exercise: pairCounts

/** The learner's function: pair counts over chunks, weighted by frequency, keyed "left,right". */
export type PairCountsFn = (chunks: number[][], freqs: number[]) => Map<string, number>;

const PAIR_CAUSES = {
  overlap:
    'overlapping pairs: in [97, 97, 97] ("aaa") the pair "97,97" occurs twice (positions 0 and 1) — count every position, don\'t skip after a match or count a pair once per chunk',
  freq: "forgot the weights: each chunk stands for freqs[c] copies of itself, so add freqs[c], not 1",
  boundary: "pairs never cross a chunk boundary: count inside each chunk only",
  lastPair: "off by one: the loop must reach the last pair (i + 1 < ids.length)",
  order: "(a, b) and (b, a) are different pairs: keep the order in the key",
};

function pairBugs(chunks: number[][], freqs: number[]): Mistake<Map<string, number>>[] {
  const once = new Map<string, number>(); // each pair once per chunk
  const skip = new Map<string, number>(); // after counting a pair of equal ids, skip the next position
  const add = (m: Map<string, number>, k: string, d: number): void => {
    m.set(k, (m.get(k) ?? 0) + d);
  };
  chunks.forEach((ids, c) => {
    const seen = new Set<string>();
    for (let i = 0; i + 1 < ids.length; i++) seen.add(pairKeyText(ids[i], ids[i + 1]));
    for (const k of seen) add(once, k, freqs[c]);
    for (let i = 0; i + 1 < ids.length; i++) {
      add(skip, pairKeyText(ids[i], ids[i + 1]), freqs[c]);
      if (ids[i] === ids[i + 1] && i + 2 < ids.length && ids[i + 2] === ids[i]) i++;
    }
  });
  const lastDropped = new Map<string, number>();
  const unordered = new Map<string, number>();
  chunks.forEach((ids, c) => {
    for (let i = 0; i + 2 < ids.length; i++) add(lastDropped, pairKeyText(ids[i], ids[i + 1]), freqs[c]);
    for (let i = 0; i + 1 < ids.length; i++) add(unordered, pairKeyText(Math.min(ids[i], ids[i + 1]), Math.max(ids[i], ids[i + 1])), freqs[c]);
  });
  return [
    { cause: PAIR_CAUSES.overlap, output: once },
    { cause: PAIR_CAUSES.overlap, output: skip },
    {
      cause: PAIR_CAUSES.freq,
      output: referencePairCounts(
        chunks,
        chunks.map(() => 1),
      ),
    },
    { cause: PAIR_CAUSES.boundary, output: referencePairCounts([chunks.flat()], [1]) },
    {
      cause: PAIR_CAUSES.boundary,
      output: referencePairCounts(chunks.length > 0 ? [chunks.flatMap((ids, c) => new Array<number[]>(freqs[c]).fill(ids).flat())] : [], [1]),
    },
    { cause: PAIR_CAUSES.lastPair, output: lastDropped },
    { cause: PAIR_CAUSES.order, output: unordered },
  ];
}

function pairCases(): { chunks: number[][]; freqs: number[] }[] {
  const cases = [
    { chunks: [[97, 97, 97, 98]], freqs: [1] },
    {
      chunks: [
        [1, 2, 3],
        [3, 1],
      ],
      freqs: [2, 5],
    },
    { chunks: [[104, 105], [105, 104], [7]], freqs: [1, 1, 3] },
    { chunks: [[4, 5, 6, 7]], freqs: [1] },
  ];
  const rng = makeRng(14);
  for (let t = 0; t < 30; t++) {
    const nChunks = 1 + rng.int(5);
    cases.push({
      chunks: Array.from({ length: nChunks }, () => randomIds(rng, rng.int(8), 2 + rng.int(4))),
      freqs: Array.from({ length: nChunks }, () => 1 + rng.int(6)),
    });
  }
  return cases;
}

function asCountMap(got: unknown, where: string): Map<string, number> {
  if (got instanceof Map) return got as Map<string, number>;
  throw new Error(`${where}: pairCounts must return a Map from "left,right" to a count, got ${got === null ? "null" : typeof got}`);
}

/**
 * Check a learner's `pairCounts(chunks, freqs)`: count every adjacent pair of ids inside each
 * chunk, weighted by the chunk's frequency, keyed "left,right" (a missing key counts as 0).
 */
export function checkPairCounts(fn: PairCountsFn): void {
  requireFunction(fn, "checkPairCounts", "checkPairCounts(myPairCounts)");
  const cases = pairCases();
  for (const [t, { chunks, freqs }] of cases.entries()) {
    const where = `case ${t + 1} (chunks ${show(chunks)}, freqs ${show(freqs)})`;
    const got = asCountMap(
      callLearner("checkPairCounts", where, () =>
        fn(
          chunks.map((c) => [...c]),
          [...freqs],
        ),
      ),
      where,
    );
    const want = referencePairCounts(chunks, freqs);
    const aligned = alignCounts(want, got);
    const i = firstMismatch(aligned.want, aligned.got, EXACT);
    if (i < 0) continue;
    const cause =
      matchMistake(pairBugs(chunks, freqs), (output) => sameMap(got, output)) ??
      (aligned.got[i] < aligned.want[i] ? "some occurrences were missed" : "some occurrences were counted that are not there (or twice)");
    throw failure(`${where}: pair "${aligned.keys[i]}" expected ${aligned.want[i]}, got ${aligned.got[i]}`, cause, "");
  }
  pass(`right: pairCounts agrees with the reference on ${cases.length} cases, overlapping pairs and weights included.`);
}

// ---------------------------------------------------------------------------------------------
// Exercise: mergeOnce

/** The learner's function: replace every (left, right) in ids by newId, left to right. */
export type MergeOnceFn = (ids: number[], pair: [number, number], newId: number) => number[];

const MERGE_CAUSES = {
  noSkip: "after merging ids[i] and ids[i + 1], skip i + 1: its id is now part of the new token (i += 2, or i++ inside the loop)",
  rightToLeft: 'scan left to right: in [97, 97, 97] ("aaa") with pair (97, 97) the FIRST two merge → [new, 97]',
  lastLost: "the last id is lost: when no pair starts at the final position, still push ids[ids.length − 1]",
  onlyFirst: "merge every occurrence of the pair, not only the first",
  order: "only (left, right) in that order merges; (right, left) stays as it is",
};

function mergeBugs(ids: number[], pair: [number, number], newId: number): Mistake<number[]>[] {
  const [l, r] = pair;
  const noSkip: number[] = [];
  for (let i = 0; i < ids.length; i++) noSkip.push(i + 1 < ids.length && ids[i] === l && ids[i + 1] === r ? newId : ids[i]);
  const noSkipDrop: number[] = [];
  for (let i = 0; i + 1 < ids.length; i++) noSkipDrop.push(ids[i] === l && ids[i + 1] === r ? newId : ids[i]);
  const rtl: number[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    if (i > 0 && ids[i - 1] === l && ids[i] === r) {
      rtl.unshift(newId);
      i--;
    } else rtl.unshift(ids[i]);
  }
  const lastLost: number[] = [];
  let i = 0;
  for (; i + 1 < ids.length; i++) {
    if (ids[i] === l && ids[i + 1] === r) {
      lastLost.push(newId);
      i++;
    } else lastLost.push(ids[i]);
  }
  const first = ids.findIndex((x, j) => j + 1 < ids.length && x === l && ids[j + 1] === r);
  const onlyFirst = first < 0 ? [...ids] : [...ids.slice(0, first), newId, ...ids.slice(first + 2)];
  const both: number[] = [];
  for (let j = 0; j < ids.length; j++) {
    if (j + 1 < ids.length && ((ids[j] === l && ids[j + 1] === r) || (ids[j] === r && ids[j + 1] === l))) {
      both.push(newId);
      j++;
    } else both.push(ids[j]);
  }
  return [
    { cause: MERGE_CAUSES.noSkip, output: noSkip },
    { cause: MERGE_CAUSES.noSkip, output: noSkipDrop },
    { cause: MERGE_CAUSES.rightToLeft, output: rtl },
    { cause: MERGE_CAUSES.lastLost, output: lastLost },
    { cause: MERGE_CAUSES.onlyFirst, output: onlyFirst },
    { cause: MERGE_CAUSES.order, output: both },
  ];
}

function mergeCases(): { ids: number[]; pair: [number, number]; newId: number }[] {
  const cases: { ids: number[]; pair: [number, number]; newId: number }[] = [
    { ids: [97, 97, 97], pair: [97, 97], newId: 256 },
    { ids: [1, 2, 3, 1, 2], pair: [1, 2], newId: 300 },
    { ids: [5, 6, 7, 8], pair: [7, 8], newId: 301 },
    { ids: [2, 1, 2, 1], pair: [1, 2], newId: 302 },
    { ids: [3, 3, 3, 3, 3], pair: [3, 3], newId: 303 },
    { ids: [9], pair: [9, 9], newId: 304 },
    { ids: [], pair: [1, 2], newId: 305 },
  ];
  const rng = makeRng(15);
  for (let t = 0; t < 30; t++) {
    const ids = randomIds(rng, rng.int(10), 2 + rng.int(3));
    const at = ids.length >= 2 ? rng.int(ids.length - 1) : 0;
    const pair: [number, number] = ids.length >= 2 && rng.next() < 0.8 ? [ids[at], ids[at + 1]] : [rng.int(4), rng.int(4)];
    cases.push({ ids, pair, newId: 256 + t });
  }
  return cases;
}

/**
 * Check a learner's `mergeOnce(ids, pair, newId)`: every occurrence of the pair, scanning left to
 * right without overlaps, becomes newId; everything else is copied.
 */
export function checkMerge(fn: MergeOnceFn): void {
  requireFunction(fn, "checkMerge", "checkMerge(myMergeOnce)");
  const cases = mergeCases();
  for (const [t, { ids, pair, newId }] of cases.entries()) {
    const where = `case ${t + 1} (ids ${show(ids)}, pair ${show(pair)}, newId ${newId})`;
    const got = callLearner("checkMerge", where, () => fn([...ids], [pair[0], pair[1]], newId));
    if (!Array.isArray(got)) throw new Error(`${where}: mergeOnce must return an array of ids, got ${got === null ? "null" : typeof got}`);
    const want = referenceMergeOnce(ids, pair, newId);
    if (sameArray(got, want)) continue;
    const shorter = Math.min(got.length, want.length);
    const first = firstMismatch(want.slice(0, shorter), got, EXACT);
    const i = first < 0 ? shorter : first;
    const at =
      i < shorter
        ? `element ${i} expected ${want[i]}, got ${got[i]}`
        : `expected ${want.length} ids, got ${got.length} (element ${i}: expected ${want[i] ?? "nothing"}, got ${got[i] ?? "nothing"})`;
    const cause = matchMistake(mergeBugs(ids, pair, newId), (output) => sameArray(got, output)) ?? `compare with the expected result ${show(want)}`;
    throw failure(`${where}: ${at}; whole result ${show(got)}`, cause, "");
  }
  pass(`right: mergeOnce agrees with the reference on ${cases.length} cases, "aaa" and the last position included.`);
}
