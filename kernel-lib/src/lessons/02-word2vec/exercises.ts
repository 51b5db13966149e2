/**
 * Checkers for the word2vec lesson's exercises. Each throws an Error with a hint when the answer
 * is wrong and prints one line starting with "✓" (returning nothing) when it is right: the
 * contract of util/checker.ts, whose core the implement-it checkers (`checkSgnsStep`,
 * `checkKeepProbability`) run on.
 */
import { callLearner, close, failure, firstMismatchInRows, formatNumber, matchMistake, pass, requireFunction, type Tolerance } from "../../util/checker";
import { WordVectors } from "../../word2vec/model";
import { trainingPairs, neighbourOverlap } from "./lesson";
import { keepProbabilities } from "../../word2vec/sampling";
import { CbowStepFn, SgnsStepFn, cbowStep, sgnsStep } from "../../word2vec/reference";
import { makeRng } from "../../util/random";

/** The sentence and window of exercise 1. */
export const PAIR_COUNT_SENTENCE = { sentence: "we hold these truths to be self evident".split(" "), window: 3 };

/** Exercise 1: how many (centre, context) pairs does PAIR_COUNT_SENTENCE produce? */
export function checkPairCount(answer: number): void {
  const want = trainingPairs(PAIR_COUNT_SENTENCE.sentence, PAIR_COUNT_SENTENCE.window).length;
  if (answer !== want) {
    throw new Error(
      `not quite: got ${answer}. Hint: a word at position i has min(i, ${PAIR_COUNT_SENTENCE.window}) neighbours on the left and ` +
        `min(n-1-i, ${PAIR_COUNT_SENTENCE.window}) on the right; add them up over the ${PAIR_COUNT_SENTENCE.sentence.length} words.`,
    );
  }
  pass(`${want} pairs: words near the ends of a sentence have fewer neighbours.`);
}

/**
 * Exercise 2: the probability that subsampling keeps one occurrence of `word`, given the model's
 * counts and sample setting (word2vec.c: (sqrt(f/(s·T)) + 1)·(s·T)/f, capped at 1).
 */
export function checkSubsampledWord(model: WordVectors & { options?: { sample: number } }, word: string, answer: number): void {
  if (!model.counts) throw new Error("checkSubsampledWord needs a model trained here (it knows the word counts)");
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
  pass(`"${word}" survives subsampling with probability ${want.toFixed(3)}.`);
}

/**
 * Exercise 3 (era drift): of `candidates`, which word's neighbours changed most between the two
 * models (lowest neighbourOverlap)? `answer` is that word.
 */
export function checkMostDriftedWord(early: WordVectors, late: WordVectors, candidates: string[], answer: string, k = 10): void {
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
  pass(`"${answer}" drifted most: only ${Math.round(min * k)} of its ${k} nearest neighbours are shared across eras.`);
}

/** How a wrong SGNS step may differ from the right one (the checker's diagnoses). */
type SgnsBug = "sign" | "no-negatives" | "v-first" | "u-inside" | "no-u" | "no-v";

const SGNS_CAUSES: Record<SgnsBug, string> = {
  sign: "wrong sign: the step must go up the log-likelihood, g = lr·(label − σ(u·v)) with label 1 for the context and 0 for a negative",
  "no-negatives": "missing negative term: each negative n needs its own σ(u·vₙ) with label 0, updating wOut[n] and adding to u's gradient",
  "v-first":
    "updating a vector before computing both gradients: wOut[o] was changed before its old value went into u's gradient (add g·v to the gradient of u first, then update v)",
  "u-inside":
    "updating a vector before computing both gradients: wIn[centre] was changed inside the loop; sum its gradient over all outputs and add it once at the end",
  "no-u": "wIn[centre] was never updated: add the summed gradient lr·Σ (label − σ)·v to it after the loop",
  "no-v": "the output vectors were never updated: each wOut[o] gets lr·(label − σ(u·v_o))·u",
};

/** The SGNS step with one deliberate mistake (to name what a learner's step got wrong). */
function buggySgnsStep(bug: SgnsBug, wIn: Float32Array[], wOut: Float32Array[], centre: number, context: number, negatives: number[], lr: number): void {
  const u = wIn[centre];
  const gradU = new Float32Array(u.length);
  const outputs = bug === "no-negatives" ? [context] : [context, ...negatives];
  outputs.forEach((id, o) => {
    const v = wOut[id];
    let f = 0;
    for (let j = 0; j < u.length; j++) f += u[j] * v[j];
    const s = 1 / (1 + Math.exp(-f));
    const g = bug === "sign" ? lr * (s - (o === 0 ? 1 : 0)) : lr * ((o === 0 ? 1 : 0) - s);
    for (let j = 0; j < u.length; j++) {
      const before = v[j];
      if (bug !== "no-v") v[j] += g * u[j];
      const dU = g * (bug === "v-first" ? v[j] : before);
      if (bug === "u-inside") u[j] += dU;
      else gradU[j] += dU;
    }
  });
  if (bug !== "no-u" && bug !== "u-inside") for (let j = 0; j < u.length; j++) u[j] += gradU[j];
}

const copyRows = (m: Float32Array[]) => m.map((r) => Float32Array.from(r));

/** `vocab` random rows of `dim` numbers in [−1, 1). */
const randomRows = (rng: ReturnType<typeof makeRng>, vocab: number, dim: number) =>
  Array.from({ length: vocab }, () => Float32Array.from({ length: dim }, () => rng.next() * 2 - 1));

/** A step that updates the rows of wIn and wOut in place. */
type RowsStep = (wIn: Float32Array[], wOut: Float32Array[]) => void;

/** One case of a word2vec step checker: what it runs and how it describes what went wrong. */
interface RowsStepCase {
  /** The step's name in messages ("sgnsStep"). */
  who: string;
  /** The case, as the messages name it. */
  where: string;
  reference: RowsStep;
  learner: RowsStep;
  /** Known mistakes, each as a step that makes it. */
  bugs: { cause: string; step: RowsStep }[];
  /** What row `row` of wIn or wOut is in this case ("the centre", "a negative", …). */
  role: (name: "wIn" | "wOut", row: number) => string;
  /** The cause when the learner changed nothing. */
  nothing: string;
  /** What to compare when no known mistake matches. */
  hint: string;
}

/**
 * Runs the reference and the learner's step on copies of the same rows and returns the Error that
 * names the first wrong element (wIn first), expected vs got, and the likely cause — or null.
 */
function rowsStepError(wIn: Float32Array[], wOut: Float32Array[], c: RowsStepCase, tol: Tolerance): Error | null {
  const want = { in: copyRows(wIn), out: copyRows(wOut) };
  c.reference(want.in, want.out);
  const got = { in: copyRows(wIn), out: copyRows(wOut) };
  callLearner(c.who, c.where, () => c.learner(got.in, got.out));
  const dIn = firstMismatchInRows(want.in, got.in, tol);
  const dOut = firstMismatchInRows(want.out, got.out, tol);
  if (!dIn && !dOut) return null;
  const [name, rows, ref, [row, j]] = dIn ? (["wIn", got.in, want.in, dIn] as const) : (["wOut", got.out, want.out, dOut!] as const);
  const unchanged = firstMismatchInRows(wIn, got.in, { abs: 0 }) === null && firstMismatchInRows(wOut, got.out, { abs: 0 }) === null;
  const mistakes = c.bugs.map((bug) => {
    const b = { in: copyRows(wIn), out: copyRows(wOut) };
    bug.step(b.in, b.out);
    return { cause: bug.cause, output: b };
  });
  const cause = unchanged ? c.nothing : matchMistake(mistakes, (b) => !firstMismatchInRows(b.in, got.in, tol) && !firstMismatchInRows(b.out, got.out, tol));
  return failure(
    `${c.who}: ${name}[${row}][${j}] (${c.role(name, row)}) is ${formatNumber(rows[row][j], 8)}, expected ${formatNumber(ref[row][j], 8)} (${c.where})`,
    cause,
    c.hint,
  );
}

/**
 * Exercise: an SGNS step `fn(wIn, wOut, centre, context, negatives, lr)` that updates the rows of
 * wIn and wOut in place (see `sgnsStep`). Runs it on random vectors against the reference and
 * throws naming the first wrong element, expected vs got, and the likely mistake.
 */
export function checkSgnsStep(fn: SgnsStepFn): void {
  requireFunction(fn, "checkSgnsStep", "checkSgnsStep(mySgnsStep) with mySgnsStep(wIn, wOut, centre, context, negatives, lr)");
  const rng = makeRng(2013);
  const vocab = 9;
  const dim = 6;
  const cases = [
    { centre: 2, context: 5, negatives: [7, 1, 3], lr: 0.2 },
    { centre: 4, context: 4, negatives: [0, 8], lr: 0.5 },
    { centre: 8, context: 0, negatives: [6, 2, 5, 3, 1], lr: 0.1 },
  ];
  const tol: Tolerance = { abs: 1e-5 };
  for (const [n, c] of cases.entries()) {
    const wIn = randomRows(rng, vocab, dim);
    const wOut = randomRows(rng, vocab, dim);
    const error = rowsStepError(
      wIn,
      wOut,
      {
        who: "sgnsStep",
        where: `case ${n + 1} of ${cases.length}: centre ${c.centre}, context ${c.context}, negatives [${c.negatives.join(", ")}], lr ${c.lr}`,
        reference: (i, o) => sgnsStep(i, o, c.centre, c.context, c.negatives, c.lr),
        learner: (i, o) => fn(i, o, c.centre, c.context, [...c.negatives], c.lr),
        bugs: (Object.keys(SGNS_CAUSES) as SgnsBug[]).map((bug) => ({
          cause: SGNS_CAUSES[bug],
          step: (i, o) => buggySgnsStep(bug, i, o, c.centre, c.context, c.negatives, c.lr),
        })),
        role: (name, row) =>
          name === "wIn"
            ? row === c.centre
              ? "the centre"
              : "not the centre: it should not change"
            : row === c.context
              ? "the context"
              : c.negatives.includes(row)
                ? "a negative"
                : "neither context nor negative: it should not change",
        nothing: "nothing changed: update the rows of wIn and wOut in place (wIn[centre][j] += …)",
        hint: "Compare with the gradient formulas: u += lr·Σ (label − σ(u·v_o))·v_o, v_o += lr·(label − σ(u·v_o))·u, all from the old vectors.",
      },
      tol,
    );
    if (error) throw error;
  }
  pass(`sgnsStep matches the reference step on ${cases.length} random cases (every element of wIn and wOut within ${tol.abs}).`);
}

/** The signature of the subsampling exercise: keep-probability of one occurrence of a word. */
export type KeepProbabilityFn = (count: number, total: number, sample: number) => number;

/**
 * Exercise: `fn(count, total, sample)` → the probability that subsampling keeps one occurrence of
 * a word seen `count` times in `total` words (word2vec.c's formula, at most 1). Throws naming the
 * first wrong case, expected vs got, and the likely mistake.
 */
export function checkKeepProbability(fn: KeepProbabilityFn): void {
  requireFunction(fn, "checkKeepProbability", "checkKeepProbability(myKeepProbability) with myKeepProbability(count, total, sample)");
  const tol: Tolerance = { rel: 1e-5 };
  const cases: [number, number, number][] = [
    [60_000, 1_000_000, 1e-3],
    [12_000, 1_000_000, 1e-3],
    [2_500, 1_000_000, 1e-3],
    [900, 1_000_000, 1e-3],
    [40, 1_000_000, 1e-3],
    [80_000, 1_790_000, 1e-4],
    [1_000, 1_790_000, 1e-5],
  ];
  for (const [count, total, sample] of cases) {
    const want = Math.min(1, keepProbabilities([count], sample, total)[0]);
    const call = `keepProbability(count = ${count}, total = ${total}, sample = ${sample})`;
    const got = callLearner("checkKeepProbability", call, () => fn(count, total, sample));
    if (typeof got === "number" && close(got, want, tol)) continue;
    const t = sample * total;
    const f = count / total;
    const mistakes = [
      { cause: "not capped at 1: a probability cannot exceed 1 (Math.min(1, …))", output: (Math.sqrt(count / t) + 1) * (t / count) },
      { cause: "that is the probability of dropping the word; return 1 − it", output: 1 - want },
      { cause: "that is the paper's √(s/f); word2vec.c (and gensim) keep with (√(f/s) + 1)·s/f, f = count/T", output: Math.min(1, Math.sqrt(sample / f)) },
      {
        cause: "the threshold s·T is a count: multiply sample by total before comparing with count",
        output: Math.min(1, (Math.sqrt(count / sample) + 1) * (sample / count)),
      },
    ];
    const cause =
      typeof got !== "number" || Number.isNaN(got)
        ? "return a number"
        : (matchMistake(mistakes, (output) => close(got, output, tol)) ?? "keep = (√(count / (s·T)) + 1) · (s·T) / count, at most 1 (s = sample, T = total)");
    throw failure(`${call} returned ${typeof got === "number" ? formatNumber(got, 8) : String(got)}, expected ${formatNumber(want, 8)}`, cause, "");
  }
  pass(`keepProbability matches word2vec.c's formula on ${cases.length} cases (frequent words mostly dropped, rare ones always kept).`);
}

/** The CBOW slips the checker recognises. */
type CbowBug = "sum" | "divideError" | "newOutput" | "firstContextOnly" | "flipLabel";
const CBOW_CAUSES: Record<CbowBug, string> = {
  sum: "h is the sum of the context vectors; CBOW averages them (divide by the number of context words)",
  divideError:
    "each context vector got the error divided by the number of context words (gensim's variant); word2vec.c adds the whole error e to every context word",
  newOutput: "the error e collected v_o after its update; take g·v_o with the old v_o, then update v_o",
  firstContextOnly: "only the first context word was updated; every context position gets e",
  flipLabel: "the labels are swapped (the centre word got label 0 and the negatives 1), or g has the wrong sign: g = lr·(label − σ(h·v))",
};

/** cbowStep with one slip, for the checker's diagnosis. */
function buggyCbowStep(bug: CbowBug, wIn: Float32Array[], wOut: Float32Array[], contexts: number[], centre: number, negatives: number[], lr: number): void {
  const dim = wIn[contexts[0]].length;
  const h = new Float32Array(dim);
  for (const c of contexts) for (let j = 0; j < dim; j++) h[j] += wIn[c][j];
  if (bug !== "sum") for (let j = 0; j < dim; j++) h[j] /= contexts.length;
  const e = new Float32Array(dim);
  [centre, ...negatives].forEach((id, k) => {
    const v = wOut[id];
    const y = (k === 0) !== (bug === "flipLabel") ? 1 : 0;
    const f = h.reduce((sum, x, j) => sum + x * v[j], 0);
    const g = lr * (y - 1 / (1 + Math.exp(-f)));
    for (let j = 0; j < dim; j++) {
      if (bug === "newOutput") {
        v[j] += g * h[j];
        e[j] += g * v[j];
      } else {
        e[j] += g * v[j];
        v[j] += g * h[j];
      }
    }
  });
  const targets = bug === "firstContextOnly" ? contexts.slice(0, 1) : contexts;
  for (const c of targets) for (let j = 0; j < dim; j++) wIn[c][j] += bug === "divideError" ? e[j] / contexts.length : e[j];
}

/**
 * Exercise: `fn(wIn, wOut, contexts, centre, negatives, lr)` is one CBOW step with negative
 * sampling (word2vec.c's -cbow 1), updating the rows in place. Runs on random vectors against
 * `cbowStep`; a repeated context word (it occurs twice in the window) is among the cases.
 */
export function checkCbowStep(fn: CbowStepFn): void {
  requireFunction(fn, "checkCbowStep", "checkCbowStep(myCbowStep) with myCbowStep(wIn, wOut, contexts, centre, negatives, lr)");
  const rng = makeRng(2014);
  const vocab = 10;
  const dim = 6;
  const cases = [
    { contexts: [1, 3, 6, 8], centre: 2, negatives: [7, 0, 5], lr: 0.3 },
    { contexts: [4, 9], centre: 0, negatives: [6], lr: 0.5 },
    { contexts: [5, 2, 5], centre: 7, negatives: [1, 3, 4, 8], lr: 0.2 },
  ];
  const tol: Tolerance = { abs: 1e-5 };
  for (const [n, c] of cases.entries()) {
    const wIn = randomRows(rng, vocab, dim);
    const wOut = randomRows(rng, vocab, dim);
    const error = rowsStepError(
      wIn,
      wOut,
      {
        who: "cbowStep",
        where: `case ${n + 1} of ${cases.length}: contexts [${c.contexts.join(", ")}], centre ${c.centre}, negatives [${c.negatives.join(", ")}], lr ${c.lr}`,
        reference: (i, o) => cbowStep(i, o, c.contexts, c.centre, c.negatives, c.lr),
        learner: (i, o) => fn(i, o, [...c.contexts], c.centre, [...c.negatives], c.lr),
        bugs: (Object.keys(CBOW_CAUSES) as CbowBug[]).map((bug) => ({
          cause: CBOW_CAUSES[bug],
          step: (i, o) => buggyCbowStep(bug, i, o, [...c.contexts], c.centre, [...c.negatives], c.lr),
        })),
        role: (name, row) =>
          name === "wIn"
            ? c.contexts.includes(row)
              ? "a context word"
              : "not a context word: it should not change"
            : row === c.centre
              ? "the centre word"
              : c.negatives.includes(row)
                ? "a negative"
                : "neither centre nor negative: it should not change",
        nothing: "nothing changed: update the rows of wIn and wOut in place (wOut[o][j] += …)",
        hint: "Compare with the steps: h = mean of wIn[contexts]; for each output o, g = lr·(label − σ(h·v_o)), e += g·v_o, v_o += g·h; then wIn[c] += e for every context position.",
      },
      tol,
    );
    if (error) throw error;
  }
  pass(`cbowStep matches word2vec.c's CBOW step on ${cases.length} random cases (every element of wIn and wOut within ${tol.abs}).`);
}
