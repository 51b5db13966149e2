/**
 * Modular addition as a data set: every pair (a, b) with 0 ≤ a, b < p and its label c = (a + b) mod p,
 * split into training and validation *by pair* — a seeded shuffle of all p² pairs, the first
 * round(trainFraction · p²) for training. Every token appears on both sides; only the pairs differ,
 * so validation asks whether the network learned the operation, not the table.
 */
import { makeRng } from "../util/random";

/** One example: operands a, b and the answer c = (a + b) mod p. */
export type ModularExample = [number, number, number];

/** A set of examples as three parallel arrays (what the model reads). */
export interface ModularSet {
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

/** The two halves of the split. */
export interface ModularSplit {
  p: number;
  train: ModularSet;
  val: ModularSet;
}

function checkP(p: number): void {
  if (!(Number.isInteger(p) && p >= 2 && p <= 1000)) throw new RangeError(`p must be an integer in [2, 1000], got ${p}`);
}

/** All p² examples in order: (0,0), (0,1), …, (p−1,p−1). */
export function modularPairs(p: number): ModularExample[] {
  checkP(p);
  const out: ModularExample[] = [];
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out.push([a, b, (a + b) % p]);
  return out;
}

/** How many of the p² pairs the training side gets: round(trainFraction · p²). */
export function trainSize(p: number, trainFraction: number): number {
  return Math.round(trainFraction * p * p);
}

/**
 * The seeded split by pair as lists of [a, b, c]: a Fisher–Yates shuffle of `modularPairs(p)` with
 * `makeRng(seed)`, the first `trainSize` for training, the rest for validation.
 */
export function splitModularPairs(p: number, trainFraction: number, seed: number): { train: ModularExample[]; val: ModularExample[] } {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const pairs = modularPairs(p);
  const rng = makeRng(seed);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  const n = trainSize(p, trainFraction);
  return { train: pairs.slice(0, n), val: pairs.slice(n) };
}

/** Lists of [a, b, c] as the model's parallel arrays. */
export function toModularSet(examples: ModularExample[]): ModularSet {
  const n = examples.length;
  const set: ModularSet = { a: new Int32Array(n), b: new Int32Array(n), c: new Int32Array(n) };
  examples.forEach(([a, b, c], i) => {
    set.a[i] = a;
    set.b[i] = b;
    set.c[i] = c;
  });
  return set;
}

/** `splitModularPairs` as parallel arrays, ready for training. */
export function makeModularSplit(p: number, trainFraction: number, seed: number): ModularSplit {
  const s = splitModularPairs(p, trainFraction, seed);
  return { p, train: toModularSet(s.train), val: toModularSet(s.val) };
}
