/**
 * The core every lesson's exercise checker shares (`checkSdpa`, `checkSgnsStep`, `checkIdf`, …).
 *
 * A checker runs the learner's function on fixed and seeded random inputs, compares each answer
 * with kernel-lib's reference, and goes through the same four steps:
 *
 *   compare ({@link close}) → first wrong element ({@link firstMismatch}) →
 *   matched cause ({@link matchMistake}: the output of a known mistake, computed on the same input,
 *   that reproduces the learner's) → message ({@link failure}: "…, expected X, got Y. Likely cause: …").
 *
 * What the learner's function throws is reported by {@link callLearner}, naming the input it threw
 * on.
 *
 * Contract of every checker — the implement-it checkers built on this core and the exercise-answer
 * checkers (`checkTrigramCosine`, `checkMostDriftedWord`, …) alike:
 *
 *   - right: it prints exactly one line starting with "✓" ({@link pass}) and returns nothing;
 *   - wrong: it throws an Error whose message names the first wrong element (or answer), expected
 *     vs got, and the likely cause (or, for an answer, a hint on how to get it).
 *
 * It returns nothing because a notebook echoes the value of a cell's last expression: a checker
 * that returned its line would show it twice, and one that returned `true` would echo "true". So a
 * cell ends with the plain call, `checkSdpa(mySdpa);`, and shows the ✓ line once.
 */

/**
 * How far an answer may be from the reference: |got − want| ≤ abs + rel · max(|want|, floor).
 * `floor` (default 1) keeps a relative tolerance from shrinking to nothing near 0; a checker of
 * tiny values sets it lower. NaN is never close to anything.
 */
export interface Tolerance {
  abs?: number;
  rel?: number;
  floor?: number;
}

/** Whether `got` is within `tol` of `want` (NaN, or ∞ against ∞, never is). */
export function close(got: number, want: number, tol: Tolerance): boolean {
  return Math.abs(got - want) <= (tol.abs ?? 0) + (tol.rel ?? 0) * Math.max(Math.abs(want), tol.floor ?? 1);
}

/** Index of the first element of `got` not close to `want`'s (over `want`'s length), or −1. */
export function firstMismatch(want: ArrayLike<number>, got: ArrayLike<number>, tol: Tolerance): number {
  for (let i = 0; i < want.length; i++) if (!close(got[i], want[i], tol)) return i;
  return -1;
}

/** Whether two arrays have the same length and close elements. */
export function allClose(want: ArrayLike<number>, got: ArrayLike<number>, tol: Tolerance): boolean {
  return want.length === got.length && firstMismatch(want, got, tol) < 0;
}

/**
 * `[row, column]` of the first element of `got` not close to `want`'s, for lists of rows of
 * `want[0]`'s length (matrices as arrays of rows), or null when every element is close.
 */
export function firstMismatchInRows(want: ArrayLike<number>[], got: ArrayLike<number>[], tol: Tolerance): [number, number] | null {
  const flat = (rows: ArrayLike<number>[]) => rows.flatMap((r) => Array.from(r));
  const i = firstMismatch(flat(want), flat(got), tol);
  if (i < 0) return null;
  const cols = want[0].length;
  return [Math.floor(i / cols), i % cols];
}

/** `[i, j, …]` of flat index `index` in a row-major array of `shape`. */
export function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    out[a] = index % shape[a];
    index = Math.floor(index / shape[a]);
  }
  return out;
}

/**
 * A number for a checker's message, to `digits` significant digits without trailing zeros (a
 * checker shows as many digits as its tolerance can tell apart); NaN and ±Infinity by name.
 */
export function formatNumber(x: number, digits = 6): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x);
}

/** A known mistake: the cause it stands for, and what it computes on the current input. */
export interface Mistake<T> {
  cause: string;
  output: T;
}

/**
 * The cause of the known mistake that reproduces the learner's answer, or null. Among the mistakes
 * whose output `reproduces` the answer, the one with the highest `score` wins (e.g. how many of
 * the other cases it also reproduces); ties go to the earlier one, so list the simplest first.
 */
export function matchMistake<T>(mistakes: Iterable<Mistake<T>>, reproduces: (output: T) => boolean, score?: (m: Mistake<T>) => number): string | null {
  let best: { cause: string; score: number } | null = null;
  for (const m of mistakes) {
    if (!reproduces(m.output)) continue;
    if (!score) return m.cause;
    const s = score(m);
    if (best === null || s > best.score) best = { cause: m.cause, score: s };
  }
  return best ? best.cause : null;
}

/**
 * The Error a checker throws: `head` (which input, which element, expected vs got), then
 * "Likely cause: …." when a known mistake matched, else `hint` (a sentence saying what to
 * compare), then `note` if given (a remark that holds either way, e.g. where a NaN comes from).
 */
export function failure(head: string, cause: string | null, hint: string, note = ""): Error {
  const tail = [cause !== null ? `Likely cause: ${cause}.` : hint, note].filter((part) => part !== "").join(" ");
  return new Error(tail === "" ? `${head}.` : `${head}. ${tail}`);
}

/** Run the learner's function; what it throws comes back as "`who`: your function threw on `where`: …". */
export function callLearner<T>(who: string, where: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw new Error(`${who}: your function threw on ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Throws unless the learner passed a function: "`who`: pass your function, e.g. `example`". */
export function requireFunction(fn: unknown, who: string, example: string): void {
  if (typeof fn !== "function") throw new TypeError(`${who}: pass your function, e.g. ${example}; got ${fn === null ? "null" : typeof fn}`);
}

/** The success line: prints "✓ `message`" (one line) and returns nothing, as every checker does. */
export function pass(message: string): void {
  console.log(`✓ ${message}`);
}
