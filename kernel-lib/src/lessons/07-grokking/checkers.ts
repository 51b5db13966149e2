/**
 * Checkers for the functions lesson 07's learner writes: the split of modular addition by pair,
 * one AdamW step with decoupled weight decay, and the power per frequency of an embedding. Each
 * runs the learner's function on seeded inputs against kernel-lib's reference, throws naming the
 * first wrong element with expected vs got and the likely cause (the known mistake that reproduces
 * the answer), and otherwise prints one "✓ …" line and returns nothing (util/checker.ts).
 */
import * as tf from "@tensorflow/tfjs";
import {
  allClose,
  callLearner,
  failure,
  firstMismatch,
  formatNumber,
  type Mistake,
  matchMistake,
  pass,
  requireFunction,
  type Tolerance,
} from "../../util/checker";
import { makeRng, type Rng } from "../../util/random";
import { type ModularExample, modularPairs, trainSize } from "../../grokking/data";
import { fourierPower } from "../../grokking/fourier";

// ---------------------------------------------------------------- the split

/** The learner's split: all pairs (a, b) with c = (a + b) mod p, by pair, seeded. */
export type ModularSplitFn = (p: number, trainFraction: number, seed: number) => { train: ModularExample[]; val: ModularExample[] };

const SPLIT_CASES: [number, number, number][] = [
  [5, 0.7, 1], // 17.5 pairs: round, not floor
  [7, 0.4, 2],
  [11, 0.3, 3],
  [13, 0.6, 4],
];

const key = (a: number, b: number, p: number) => a * p + b;

function checkTriples(who: string, side: string, list: unknown, p: number, where: string): ModularExample[] {
  if (!Array.isArray(list)) throw new TypeError(`${who}: ${where}: ${side} must be an array of [a, b, c], got ${typeof list}`);
  list.forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 3 || !e.every((x) => Number.isInteger(x)))
      throw new TypeError(`${who}: ${where}: ${side}[${i}] must be [a, b, c] (three integers), got ${JSON.stringify(e)}`);
    const [a, b, c] = e as number[];
    if (!(a >= 0 && a < p && b >= 0 && b < p))
      throw failure(
        `${who}: ${where}: ${side}[${i}] = [${a}, ${b}, ${c}] has an operand outside 0 … ${p - 1}`,
        a === p || b === p ? "a loop that runs to p inclusive (use a < p)" : null,
        "the operands are 0 … p − 1",
      );
    if (c !== (a + b) % p) {
      const cause = matchMistake(
        [
          { cause: "the label a + b without mod p", output: a + b },
          { cause: "the label (a · b) mod p instead of (a + b) mod p", output: (a * b) % p },
          { cause: "the label (a − b) mod p", output: (((a - b) % p) + p) % p },
        ],
        (o) => o === c,
      );
      throw failure(`${who}: ${where}: ${side}[${i}] = [${a}, ${b}, ${c}]: expected c = ${(a + b) % p}, got ${c}`, cause, "the label is c = (a + b) mod p");
    }
  });
  return list as ModularExample[];
}

const sameList = (x: ModularExample[], y: ModularExample[]) => x.length === y.length && x.every((e, i) => e[0] === y[i][0] && e[1] === y[i][1]);

/**
 * Checks a split of all p² pairs of a + b mod p: labels right, round(trainFraction · p²) pairs for
 * training, every pair exactly once on exactly one side, split by pair (not by operand, not in
 * order), the same split for the same seed and another for another seed.
 */
export function checkModularSplit(fn: ModularSplitFn): void {
  const who = "checkModularSplit";
  requireFunction(fn, who, "checkModularSplit(mySplit) with mySplit(p, trainFraction, seed) → { train, val }");
  const run = (p: number, f: number, s: number) => {
    const where = `p = ${p}, trainFraction = ${f}, seed = ${s}`;
    const out = callLearner(who, where, () => fn(p, f, s));
    if (!out || typeof out !== "object") throw new TypeError(`${who}: ${where}: return { train, val }, got ${typeof out}`);
    return { train: checkTriples(who, "train", out.train, p, where), val: checkTriples(who, "val", out.val, p, where) };
  };
  for (const [p, f, s] of SPLIT_CASES) {
    const where = `p = ${p}, trainFraction = ${f}, seed = ${s}`;
    const { train, val } = run(p, f, s);
    const n = trainSize(p, f);
    if (train.length !== n) {
      const cause = matchMistake(
        [
          { cause: "train and val swapped (trainFraction is the training share)", output: Array.isArray(val) && val.length === n ? p * p - n : Number.NaN },
          { cause: "Math.floor of trainFraction · p² (round it: the lesson uses Math.round)", output: Math.floor(f * p * p) },
          { cause: "Math.ceil of trainFraction · p² (round it)", output: Math.ceil(f * p * p) },
          { cause: "trainFraction · p instead of trainFraction · p² (the data set is all p² pairs)", output: Math.round(f * p) },
        ],
        (o) => o === train.length,
      );
      throw failure(
        `${who}: ${where}: expected ${n} training pairs (round(${f} · ${p}²)), got ${train.length}`,
        cause,
        "the training side holds round(trainFraction · p²) pairs",
      );
    }
    if (train.length + val.length !== p * p)
      throw failure(
        `${who}: ${where}: expected ${p * p} pairs in all (train + val), got ${train.length + val.length}`,
        null,
        "every one of the p² pairs goes to exactly one side",
      );
    const seen = new Map<number, string>();
    for (const [side, list] of [
      ["train", train],
      ["val", val],
    ] as const) {
      for (let i = 0; i < list.length; i++) {
        const k = key(list[i][0], list[i][1], p);
        const first = seen.get(k);
        if (first !== undefined) {
          const overlap = first.startsWith("train") !== (side === "train");
          throw failure(
            `${who}: ${where}: the pair (${list[i][0]}, ${list[i][1]}) appears twice: ${first} and ${side}[${i}]`,
            overlap
              ? "train and val drawn separately, so they overlap (a validation pair the network trained on measures nothing)"
              : "pairs drawn at random with replacement (which repeats some and misses others)",
            "",
            "Shuffle the list of all p² pairs once and cut it into two.",
          );
        }
        seen.set(k, `${side}[${i}]`);
      }
    }
    if (sameList(train, modularPairs(p).slice(0, n)))
      throw failure(
        `${who}: ${where}: the training pairs are the first ${n} pairs in order (a = 0, 1, …)`,
        "the pairs were not shuffled before the cut",
        "",
        "Then validation asks only about large a, which training never showed.",
      );
    const aTrain = new Set(train.map((e) => e[0]));
    const aVal = new Set(val.map((e) => e[0]));
    const shared = [...aTrain].filter((a) => aVal.has(a)).length;
    if (shared <= 1)
      throw failure(
        `${who}: ${where}: the values of a on the two sides barely overlap (${shared} shared)`,
        "a split by operand (all pairs of one a on one side) instead of by pair",
        "",
        "Validation must ask about new pairs of known numbers.",
      );
    const again = run(p, f, s);
    if (!sameList(train, again.train))
      throw failure(
        `${who}: ${where}: two calls with the same seed gave different splits`,
        "a random source that ignores the seed (Math.random, or one generator shared across calls)",
        "",
        "Make the generator from the seed inside the function: makeRng(seed).",
      );
    const other = run(p, f, s + 1);
    if (sameList(train, other.train))
      throw failure(`${who}: ${where}: seeds ${s} and ${s + 1} gave the same split`, "the seed is not used", "", "The seed should pick the shuffle.");
  }
  pass(
    `your split is right for ${SPLIT_CASES.length} (p, trainFraction, seed): every pair once, round(fraction · p²) for training, shuffled by pair, reproducible per seed`,
  );
}

// ---------------------------------------------------------------- AdamW with decoupled decay

/** AdamW's hyperparameters for one step. */
export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** The learner's step: the t-th update (t ≥ 1) of w with gradient g and moments m, v; returns the new w, m, v. */
export type DecoupledStepFn = (
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  t: number,
  o: AdamWHyper,
) => { w: tf.Tensor; m: tf.Tensor; v: tf.Tensor };

interface StepCase {
  shape: number[];
  w: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  t: number;
  o: AdamWHyper;
}

type StepVariant = "right" | "coupled" | "noLr" | "after" | "none" | "noBias" | "sign" | "epsInside";

/** One AdamW step in float64, or one of its usual mistakes. */
export function referenceAdamWStep(c: Omit<StepCase, "shape">, variant: StepVariant = "right"): { w: Float64Array; m: Float64Array; v: Float64Array } {
  const { lr, beta1, beta2, eps, weightDecay: lambda } = c.o;
  const n = c.w.length;
  const w = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const c1 = variant === "noBias" ? 1 : 1 - beta1 ** c.t;
  const c2 = variant === "noBias" ? 1 : 1 - beta2 ** c.t;
  for (let i = 0; i < n; i++) {
    const g = variant === "coupled" ? c.g[i] + lambda * c.w[i] : c.g[i];
    m[i] = beta1 * c.m[i] + (1 - beta1) * g;
    v[i] = beta2 * c.v[i] + (1 - beta2) * g * g;
    const adam = variant === "epsInside" ? m[i] / c1 / Math.sqrt(v[i] / c2 + eps) : m[i] / c1 / (Math.sqrt(v[i] / c2) + eps);
    const decay = {
      right: 1 - lr * lambda,
      coupled: 1,
      noLr: 1 - lambda,
      after: 1,
      none: 1,
      noBias: 1 - lr * lambda,
      sign: 1 + lr * lambda,
      epsInside: 1 - lr * lambda,
    }[variant];
    w[i] = c.w[i] * decay - lr * adam;
    if (variant === "after") w[i] *= 1 - lr * lambda;
  }
  return { w, m, v };
}

function stepCases(rng: Rng): StepCase[] {
  const draw = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
  const make = (shape: number[], t: number, o: AdamWHyper): StepCase => {
    const n = shape.reduce((x, y) => x * y, 1);
    const g = draw(n, () => 0.5 * rng.normal());
    return {
      shape,
      t,
      o,
      w: draw(n, () => rng.normal()),
      g,
      m: t === 1 ? new Float64Array(n) : draw(n, () => 0.3 * rng.normal()),
      v: t === 1 ? new Float64Array(n) : draw(n, () => 0.05 + 0.2 * rng.next()),
    };
  };
  return [
    make([3, 4], 1, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 }),
    make([6], 7, { lr: 0.03, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1.0 }),
    make([2, 5], 3, { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-3, weightDecay: 2.0 }),
  ];
}

const STEP_MISTAKES: { variant: StepVariant; cause: string }[] = [
  {
    variant: "coupled",
    cause:
      "λ·w added to the gradient (L2 regularisation, as Adam's weight_decay does) — Adam's division by √v̂ then rescales the decay; decoupled decay shrinks w by lr·λ·w outside the Adam step",
  },
  { variant: "noLr", cause: "the weights multiplied by (1 − λ) instead of (1 − lr·λ)" },
  { variant: "after", cause: "the decay applied to the updated weights; AdamW decays the old w: w·(1 − lr·λ) − lr·m̂/(√v̂ + ε)" },
  { variant: "none", cause: "no weight decay at all" },
  { variant: "sign", cause: "the weights multiplied by (1 + lr·λ): the decay must shrink them" },
  { variant: "noBias", cause: "no bias correction: m̂ = m/(1 − β1ᵗ) and v̂ = v/(1 − β2ᵗ)" },
  { variant: "epsInside", cause: "ε inside the square root: √v̂ + ε, not √(v̂ + ε)" },
];

const STEP_TOL: Tolerance = { abs: 2e-5, rel: 2e-5 };

/**
 * Checks one AdamW step with decoupled weight decay (Loshchilov & Hutter), the update kernel-lib's
 * AdamW makes: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², w ← w·(1 − lr·λ) − lr·m̂/(√v̂ + ε).
 */
export function checkDecoupledWeightDecay(fn: DecoupledStepFn): void {
  const who = "checkDecoupledWeightDecay";
  requireFunction(fn, who, "checkDecoupledWeightDecay(myStep) with myStep(w, g, m, v, t, { lr, beta1, beta2, eps, weightDecay }) → { w, m, v }");
  const cases = stepCases(makeRng(7));
  cases.forEach((c, ci) => {
    const where = `case ${ci + 1} (shape [${c.shape}], t = ${c.t}, lr ${c.o.lr}, λ ${c.o.weightDecay})`;
    const got = tf.tidy(() => {
      const t = (x: Float64Array) => tf.tensor(Float32Array.from(x), c.shape);
      const out = callLearner(who, where, () => fn(t(c.w), t(c.g), t(c.m), t(c.v), c.t, { ...c.o }));
      if (!out || !(out.w instanceof tf.Tensor) || !(out.m instanceof tf.Tensor) || !(out.v instanceof tf.Tensor))
        throw new TypeError(`${who}: ${where}: return { w, m, v } as tensors`);
      return { w: out.w.dataSync().slice(), m: out.m.dataSync().slice(), v: out.v.dataSync().slice() };
    });
    const want = referenceAdamWStep(c);
    for (const name of ["m", "v", "w"] as const) {
      if (got[name].length !== want[name].length)
        throw new RangeError(`${who}: ${where}: ${name} has ${got[name].length} elements, expected ${want[name].length}`);
      const i = firstMismatch(want[name], got[name], STEP_TOL);
      if (i < 0) continue;
      const cause =
        name === "w"
          ? matchMistake(
              STEP_MISTAKES.map((s) => ({ cause: s.cause, output: referenceAdamWStep(c, s.variant).w }) as Mistake<Float64Array>),
              (o) => allClose(o, got.w, STEP_TOL),
            )
          : name === "m"
            ? "m must be β1·m + (1 − β1)·g with the raw gradient g"
            : "v must be β2·v + (1 − β2)·g² with the raw gradient g";
      throw failure(
        `${who}: ${where}: ${name}[${i}]: expected ${formatNumber(want[name][i])}, got ${formatNumber(got[name][i])}`,
        cause,
        "compare with w·(1 − lr·λ) − lr·m̂/(√v̂ + ε)",
      );
    }
  });
  pass(`your AdamW step decays the weights decoupled, as kernel-lib's AdamW does, on ${cases.length} random cases (t = 1, 3, 7)`);
}

// ---------------------------------------------------------------- Fourier power

/** The learner's power per frequency of an embedding `E[token][dim]`: ⌊p/2⌋ + 1 numbers, index 0 = DC. */
export type FourierPowerFn = (E: number[][]) => number[];

function powerCases(rng: Rng): number[][][] {
  const random = (p: number, d: number, offset = 0) => Array.from({ length: p }, () => Array.from({ length: d }, () => offset + rng.normal()));
  const wave = Array.from({ length: 11 }, (_, t) => [Math.cos((2 * Math.PI * 2 * t) / 11), Math.sin((2 * Math.PI * 3 * t) / 11) + 0.5]);
  return [random(7, 3), random(8, 2, 0.7), wave, random(13, 4, -0.4)];
}

/**
 * Checks the power per frequency of an embedding over the token axis: for each column the DFT
 * X_k = Σ_t E[t][j]·e^(−2πi·k·t/p), power Σ_j |X_k|², index 0 the DC term, k = 1 … ⌊p/2⌋ with k
 * and p − k combined (an even p's Nyquist term p/2 alone) — kernel-lib's `fourierPower`.
 */
export function checkFourierPower(fn: FourierPowerFn): void {
  const who = "checkFourierPower";
  requireFunction(fn, who, "checkFourierPower(myPower) with myPower(E) → number[] (E[token][dim])");
  const cases = powerCases(makeRng(11));
  cases.forEach((E, ci) => {
    const p = E.length;
    const d = E[0].length;
    const where = `case ${ci + 1} (p = ${p}, d = ${d})`;
    const got = callLearner(who, where, () => fn(E.map((r) => r.slice())));
    if (!Array.isArray(got) && !ArrayBuffer.isView(got)) throw new TypeError(`${who}: ${where}: return an array of numbers, got ${typeof got}`);
    const want = fourierPower(E.flat(), p, d);
    const half = Math.floor(p / 2);
    if (got.length !== want.length) {
      const cause =
        got.length === half
          ? "the DC term (k = 0) dropped: keep it at index 0"
          : got.length === p
            ? "all p frequencies returned: k and p − k carry the same power for a real input, so add them into one entry"
            : got.length === d
              ? "the transform taken over the embedding axis instead of the token axis"
              : null;
      throw failure(
        `${who}: ${where}: expected ⌊p/2⌋ + 1 = ${want.length} numbers, got ${got.length}`,
        cause,
        "one number for DC and one per frequency k = 1 … ⌊p/2⌋",
      );
    }
    const scale = Math.max(...want);
    const tol: Tolerance = { abs: 1e-6 * scale, rel: 1e-5 };
    const i = firstMismatch(want, got as number[], tol);
    if (i < 0) return;
    const variant = (f: (k: number, v: number) => number) => want.map((v, k) => f(k, v));
    const lone = (k: number) => k === 0 || 2 * k === p;
    const amplitude = (() => {
      const out = new Array<number>(half + 1).fill(0);
      for (let k = 0; k <= half; k++)
        for (let j = 0; j < d; j++) {
          let re = 0;
          let im = 0;
          for (let t = 0; t < p; t++) {
            re += E[t][j] * Math.cos((2 * Math.PI * k * t) / p);
            im -= E[t][j] * Math.sin((2 * Math.PI * k * t) / p);
          }
          out[k] += Math.hypot(re, im) * (lone(k) ? 1 : 2);
        }
      return out;
    })();
    const mistakes: Mistake<number[]>[] = [
      { cause: "the halves not combined: for k = 1 … ⌊(p−1)/2⌋ add |X_{p−k}|² (= |X_k|²) to |X_k|²", output: variant((k, v) => (lone(k) ? v : v / 2)) },
      { cause: "an even p's Nyquist term k = p/2 doubled: it has no twin", output: variant((k, v) => (k !== 0 && 2 * k === p ? 2 * v : v)) },
      { cause: "the DC term left at 0 (the mean subtracted, or k = 0 skipped): keep Σ_j |X_0|² at index 0", output: variant((k, v) => (k === 0 ? 0 : v)) },
      { cause: "the power divided by p (this power is unnormalised: Σ_j |X_k|²)", output: variant((_k, v) => v / p) },
      { cause: "|X_k| summed instead of |X_k|²", output: amplitude },
    ];
    const cause = matchMistake(mistakes, (o) => allClose(o, got as number[], tol));
    throw failure(
      `${who}: ${where}: power[${i}] (k = ${i}): expected ${formatNumber(want[i])}, got ${formatNumber(Number(got[i]))}`,
      cause,
      "power[k] = Σ_j |X_k|² over the embedding's columns, with k and p − k added",
    );
  });
  pass(`your power spectrum matches fourierPower on ${cases.length} embeddings (odd and even p, with DC)`);
}
