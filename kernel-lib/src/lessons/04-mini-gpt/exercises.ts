/**
 * Checkers for lesson 04's exercises. Each runs the learner's function on seeded random inputs,
 * compares it with a reference (lesson 03's attention, or plain float64 loops written here), and
 * throws naming the first wrong element (expected vs got) and, when the output matches a known
 * mistake, that mistake ("missing 1/√d scaling"). On success it prints one line starting with ✓
 * and returns nothing. The steps are the shared checker core's (util/checker.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { type SdpaVariantOptions, sdpaVariant } from "../03-attention/checkers";
import { scaledDotProductAttention } from "../../attention/sdpa";
import {
  callLearner,
  failure,
  firstMismatch,
  firstMismatchInRows,
  formatNumber,
  matchMistake,
  type Mistake,
  pass,
  requireFunction,
  type Tolerance,
} from "../../util/checker";
import { makeRng, type Rng } from "../../util/random";

type Matrix = number[][];

/** Attention in float32 (tfjs) either side; LayerNorm with eps 1e-5; top-p on float64 probabilities. */
const ATTENTION_TOL: Tolerance = { abs: 1e-4 };
const LAYER_NORM_TOL: Tolerance = { abs: 1e-3 };
const TOP_P_TOL: Tolerance = { abs: 1e-6 };

function randomMatrix(rng: Rng, rows: number, cols: number, scale = 1, offset = 0): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => offset + scale * rng.normal()));
}

/** Read what a learner's function returned (a tensor or nested arrays) as a matrix, or explain why not. */
function asMatrix(value: unknown, rows: number, cols: number, what: string): Matrix {
  let data: unknown = value;
  if (value instanceof tf.Tensor) {
    if (value.shape.length !== 2 || value.shape[0] !== rows || value.shape[1] !== cols) {
      throw new Error(`${what} has shape [${value.shape.join(", ")}], expected [${rows}, ${cols}]`);
    }
    data = value.arraySync();
  }
  if (!Array.isArray(data) || data.length !== rows || !data.every((r) => Array.isArray(r) && r.length === cols)) {
    throw new Error(
      `${what} must be a [${rows}, ${cols}] tensor (or nested arrays), got ${Array.isArray(data) ? `an array of length ${data.length}` : typeof data}`,
    );
  }
  return data as Matrix;
}

/** Which of the known wrong answers `got` equals, if any. */
function diagnose(got: Matrix, mistakes: Mistake<Matrix>[], tol: Tolerance): string | null {
  return matchMistake(mistakes, (m) => firstMismatchInRows(m, got, tol) === null);
}

const fmt = (x: number): string => formatNumber(x, 6);

/** One head's [T, d] matrix as the [batch 1, heads 1, T, d] tensor lesson 03's attention takes. */
const asHead = (m: Matrix): tf.Tensor4D => tf.tensor4d(m.flat(), [1, 1, m.length, m[0].length]);

/** One head's attention on [T, d] matrices with lesson 03's knobs (right: scale 1/√d, causal mask, softmax over keys). */
function attentionWith(q: Matrix, k: Matrix, v: Matrix, o: Partial<SdpaVariantOptions> = {}): Matrix {
  const [T, d] = [q.length, q[0].length];
  const [q4, k4, v4] = [asHead(q), asHead(k), asHead(v)];
  try {
    const data = sdpaVariant(q4, k4, v4, { scale: 1 / Math.sqrt(d), mask: "bottom-right", axis: "keys", maskAfterSoftmax: false, ...o });
    return Array.from({ length: T }, (_, i) => Array.from(data.subarray(i * v[0].length, (i + 1) * v[0].length)));
  } finally {
    tf.dispose([q4, k4, v4]);
  }
}

/** Lesson 03's causal scaledDotProductAttention on one head's [T, d] matrices. */
function causalAttention(q: Matrix, k: Matrix, v: Matrix): Matrix {
  return tf.tidy(() =>
    (scaledDotProductAttention(asHead(q), asHead(k), asHead(v), { causal: true }).output.reshape([q.length, v[0].length]) as tf.Tensor2D).arraySync(),
  );
}

/**
 * Exercise: `fn(q, k, v)` is one causal self-attention head on tensors `[T, d]` → `[T, d]`:
 * softmax(q kᵀ / √d, with every later position masked out) · v. Throws naming the first wrong
 * element and the likely mistake (no mask, missing 1/√d, mask on the wrong side, …).
 */
export function checkCausalAttention(fn: (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor | number[][]): void {
  requireFunction(fn, "checkCausalAttention", "checkCausalAttention(myCausalAttention)");
  const rng = makeRng(404);
  const T = 6;
  const d = 4; // T ≠ d, so returning the weights [T, T] instead of weights · v shows as a shape error
  for (let trial = 0; trial < 3; trial++) {
    const [q, k, v] = [randomMatrix(rng, T, d, 1.5), randomMatrix(rng, T, d, 1.5), randomMatrix(rng, T, d)];
    const want = causalAttention(q, k, v);
    const out = tf.tidy(() => {
      const r = callLearner("causal attention", `trial ${trial + 1}`, () => fn(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v)));
      if (r instanceof tf.Tensor && r.shape.length === 2 && r.shape[0] === T && r.shape[1] === T) {
        throw new Error(`the output has shape [${T}, ${T}] (T × T): that is the attention weights; multiply them by v to get [${T}, ${d}]`);
      }
      return asMatrix(r, T, d, "the output");
    });
    const bad = firstMismatchInRows(want, out, ATTENTION_TOL);
    if (bad === null) continue;
    const [i, j] = bad;
    const mistakes: Mistake<Matrix>[] = [
      {
        cause: "no causal mask: position t also sees later positions (mask scores where key index > query index)",
        output: attentionWith(q, k, v, { mask: "none" }),
      },
      { cause: "missing 1/√d scaling of the scores", output: attentionWith(q, k, v, { scale: 1 }) },
      { cause: "scores divided by d instead of √d", output: attentionWith(q, k, v, { scale: 1 / d }) },
      { cause: "missing 1/√d scaling and no causal mask", output: attentionWith(q, k, v, { scale: 1, mask: "none" }) },
      { cause: "the mask is on the wrong side: it hides the past and shows the future (keep keys j ≤ i)", output: attentionWith(q, k, v, { mask: "future" }) },
      { cause: "the mask also hides the diagonal: a position must be able to attend to itself", output: attentionWith(q, k, v, { mask: "strict" }) },
      {
        cause: "masked after the softmax: the remaining weights no longer sum to 1 (mask the scores with −∞ before softmax)",
        output: attentionWith(q, k, v, { maskAfterSoftmax: true }),
      },
      {
        cause: "softmax over the wrong axis: normalise each row (over keys, the last axis), not each column",
        output: attentionWith(q, k, v, { axis: "queries" }),
      },
    ];
    let cause = diagnose(out, mistakes, ATTENTION_TOL);
    if (cause === null && Number.isNaN(out[i][j]))
      cause =
        i === 0
          ? "NaN in the first row: every score of position 0 is masked — the mask must keep the diagonal (a position attends to itself)"
          : "NaN: −∞ · 0 somewhere (add −1e9, or −Infinity, to the masked scores only)";
    throw failure(
      `causal attention: output[${i}][${j}] is ${fmt(out[i][j])}, expected ${fmt(want[i][j])} (trial ${trial + 1}, T=${T}, d=${d})`,
      cause,
      "Likely cause: none of the usual mistakes — print your scores and weights for a 3 × 2 example and compare them by hand.",
    );
  }
  pass("causal attention matches the reference on 3 random inputs (mask, 1/√d scaling and softmax axis all right)");
}

/** `norm` applied to each row of `x` — or, for the "wrong axis" mistake, to each column. */
function normalise(x: Matrix, norm: (vals: number[]) => number[], columns: boolean): Matrix {
  if (!columns) return x.map(norm);
  const cols = x[0].map((_, j) => norm(x.map((r) => r[j])));
  return x.map((r, i) => r.map((_, j) => cols[j][i]));
}

/** LayerNorm of each row of `x` in float64: (x − mean) / √(var + eps) · gamma + beta, with the variants a learner may write. */
export function referenceLayerNorm(
  x: Matrix,
  gamma: number[],
  beta: number[],
  o: { eps?: number; unbiased?: boolean; noSqrt?: boolean; columns?: boolean; noGamma?: boolean; noBeta?: boolean } = {},
): Matrix {
  const eps = o.eps ?? 1e-5;
  const norm = (vals: number[]): number[] => {
    const n = vals.length;
    const mean = vals.reduce((a, b) => a + b, 0) / n;
    const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (o.unbiased ? n - 1 : n);
    const denom = o.noSqrt ? variance + eps : Math.sqrt(variance + eps);
    return vals.map((v) => (v - mean) / denom);
  };
  const h = normalise(x, norm, o.columns === true);
  return h.map((r) => r.map((v, j) => (o.noGamma ? v : v * gamma[j]) + (o.noBeta ? 0 : beta[j])));
}

/**
 * Exercise: `fn(x, gamma, beta)` is LayerNorm over the last axis of `x` `[n, C]` with eps 1e-5.
 * The inputs include a constant row (variance 0), where forgetting eps gives NaN.
 */
export function checkLayerNorm(fn: (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor | number[][]): void {
  requireFunction(fn, "checkLayerNorm", "checkLayerNorm(myLayerNorm)");
  const rng = makeRng(505);
  const n = 5;
  const C = 8;
  const x = randomMatrix(rng, n, C, 3, 2);
  x.push(Array(C).fill(2)); // a constant row (exact in float32): variance 0
  const gamma = Array.from({ length: C }, () => 1 + 0.5 * rng.normal());
  const beta = Array.from({ length: C }, () => 0.5 * rng.normal());
  const want = referenceLayerNorm(x, gamma, beta);
  const out = tf.tidy(() =>
    asMatrix(
      callLearner("LayerNorm", "the test input", () => fn(tf.tensor2d(x), tf.tensor1d(gamma), tf.tensor1d(beta))),
      n + 1,
      C,
      "the output",
    ),
  );
  const bad = firstMismatchInRows(want, out, LAYER_NORM_TOL);
  if (bad === null) {
    pass("LayerNorm matches the reference (per-row mean and biased variance, eps inside the square root, gamma and beta)");
    return;
  }
  const [i, j] = bad;
  const mistakes: Mistake<Matrix>[] = [
    {
      cause: "variance divided by C − 1 (unbiased); LayerNorm uses the plain mean of squared deviations (divide by C)",
      output: referenceLayerNorm(x, gamma, beta, { unbiased: true }),
    },
    { cause: "divided by the variance instead of its square root (the standard deviation)", output: referenceLayerNorm(x, gamma, beta, { noSqrt: true }) },
    {
      cause: "normalised each column (axis 0) instead of each row (the last axis, one token's features)",
      output: referenceLayerNorm(x, gamma, beta, { columns: true }),
    },
    { cause: "gamma (the learned scale) is missing", output: referenceLayerNorm(x, gamma, beta, { noGamma: true }) },
    { cause: "beta (the learned shift) is missing", output: referenceLayerNorm(x, gamma, beta, { noBeta: true }) },
    { cause: "gamma and beta are swapped: y = x̂ · gamma + beta", output: referenceLayerNorm(x, beta, gamma) },
  ];
  let cause = diagnose(out, mistakes, LAYER_NORM_TOL);
  if (cause === null && i === n && Number.isNaN(out[i][j]))
    cause = "the constant last row gives NaN: 0 / 0 — add eps (1e-5) to the variance inside the square root";
  throw failure(
    `LayerNorm: output[${i}][${j}] is ${fmt(out[i][j])}, expected ${fmt(want[i][j])}`,
    cause,
    "Likely cause: compute mean and variance per row (axis −1, keepDims), then (x − mean) / √(var + 1e-5) · gamma + beta.",
  );
}

/** RMSNorm of each row of `x` in float64: x / √(mean(x²) + eps) · gamma (Zhang & Sennrich 2019), with the variants a learner may write. */
export function referenceRmsNorm(
  x: Matrix,
  gamma: number[],
  o: { eps?: number; subtractMean?: boolean; noSqrt?: boolean; columns?: boolean; noGamma?: boolean; sumNotMean?: boolean } = {},
): Matrix {
  const eps = o.eps ?? 1e-5;
  const norm = (vals: number[]): number[] => {
    const n = vals.length;
    const mean = o.subtractMean ? vals.reduce((a, b) => a + b, 0) / n : 0;
    const ms = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (o.sumNotMean ? 1 : n);
    const denom = o.noSqrt ? ms + eps : Math.sqrt(ms + eps);
    return vals.map((v) => (v - mean) / denom);
  };
  const h = normalise(x, norm, o.columns === true);
  return h.map((r) => r.map((v, j) => (o.noGamma ? v : v * gamma[j])));
}

/**
 * Exercise: `fn(x, gamma)` is RMSNorm over the last axis of `x` `[n, C]` with eps 1e-5 inside the
 * square root (Llama's normalisation). The inputs include a row of zeros, where forgetting eps
 * gives 0 / 0, and rows with a large mean, where subtracting it (LayerNorm's habit) shows.
 */
export function checkRmsNorm(fn: (x: tf.Tensor2D, gamma: tf.Tensor1D) => tf.Tensor | number[][]): void {
  requireFunction(fn, "checkRmsNorm", "checkRmsNorm(myRmsNorm)");
  const rng = makeRng(707);
  const n = 5;
  const C = 8;
  const x = randomMatrix(rng, n, C, 2, 1.5);
  x.push(Array(C).fill(0)); // a row of zeros: mean square 0
  const gamma = Array.from({ length: C }, () => 1 + 0.5 * rng.normal());
  const want = referenceRmsNorm(x, gamma);
  const out = tf.tidy(() =>
    asMatrix(
      callLearner("RMSNorm", "the test input", () => fn(tf.tensor2d(x), tf.tensor1d(gamma))),
      n + 1,
      C,
      "the output",
    ),
  );
  const bad = firstMismatchInRows(want, out, LAYER_NORM_TOL);
  if (bad === null) {
    pass("RMSNorm matches the reference (per-row root mean square, eps inside the square root, no mean subtracted, gamma)");
    return;
  }
  const [i, j] = bad;
  const mistakes: Mistake<Matrix>[] = [
    {
      cause: "the mean was subtracted: that is LayerNorm; RMSNorm divides x itself by its root mean square",
      output: referenceRmsNorm(x, gamma, { subtractMean: true }),
    },
    { cause: "divided by the mean square instead of its square root", output: referenceRmsNorm(x, gamma, { noSqrt: true }) },
    { cause: "the sum of squares instead of their mean (divide by C)", output: referenceRmsNorm(x, gamma, { sumNotMean: true }) },
    {
      cause: "normalised each column (axis 0) instead of each row (the last axis, one token's features)",
      output: referenceRmsNorm(x, gamma, { columns: true }),
    },
    { cause: "gamma (the learned scale) is missing", output: referenceRmsNorm(x, gamma, { noGamma: true }) },
  ];
  let cause = diagnose(out, mistakes, LAYER_NORM_TOL);
  if (cause === null && i === n && Number.isNaN(out[i][j]))
    cause = "the row of zeros gives NaN: 0 / 0 — add eps (1e-5) to the mean square inside the square root";
  throw failure(
    `RMSNorm: output[${i}][${j}] is ${fmt(out[i][j])}, expected ${fmt(want[i][j])}`,
    cause,
    "Likely cause: compute the mean of x² per row (axis −1, keepDims), then x / √(that + 1e-5) · gamma.",
  );
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const gelu = (z: number): number => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));

/** A · B in float64. */
function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

/** How a learner's gated MLP may differ from SwiGLU. */
export interface SwiGluVariant {
  /** The gate's activation: SiLU (right), the plain sigmoid (GLU), ReLU (ReGLU) or GELU (GeGLU). */
  gate?: "silu" | "sigmoid" | "relu" | "gelu";
  /** The activation put on x·W3 instead of x·W1. */
  swapBranches?: boolean;
  /** The two branches added instead of multiplied. */
  add?: boolean;
  /** No gate at all: SiLU(x·W1)·W2, the plain MLP with SiLU. */
  noGate?: boolean;
}

/** SwiGLU (Shazeer 2020) in float64: (SiLU(x·W1) ⊙ (x·W3))·W2, SiLU(z) = z·σ(z); `variant` makes the usual mistakes. */
export function referenceSwiGlu(x: Matrix, w1: Matrix, w3: Matrix, w2: Matrix, variant: SwiGluVariant = {}): Matrix {
  const act = { silu: (z: number) => z * sigmoid(z), sigmoid, relu: (z: number) => Math.max(0, z), gelu }[variant.gate ?? "silu"];
  const [a, b] = variant.swapBranches ? [matMul(x, w3), matMul(x, w1)] : [matMul(x, w1), matMul(x, w3)];
  const h = a.map((row, i) => row.map((v, j) => (variant.noGate ? act(v) : variant.add ? act(v) + b[i][j] : act(v) * b[i][j])));
  return matMul(h, w2);
}

/**
 * Exercise: `fn(x, w1, w3, w2)` is Llama's feed-forward layer, SwiGLU: x `[n, C]`, w1 and w3
 * `[C, H]`, w2 `[H, C]`; the result (SiLU(x·W1) ⊙ x·W3)·W2 is `[n, C]`.
 */
export function checkSwiGlu(fn: (x: tf.Tensor2D, w1: tf.Tensor2D, w3: tf.Tensor2D, w2: tf.Tensor2D) => tf.Tensor | number[][]): void {
  requireFunction(fn, "checkSwiGlu", "checkSwiGlu(mySwiGlu)");
  const rng = makeRng(808);
  const n = 4;
  const C = 6;
  const H = 10;
  const x = randomMatrix(rng, n, C, 1.5);
  const [w1, w3] = [randomMatrix(rng, C, H, 0.6), randomMatrix(rng, C, H, 0.6)];
  const w2 = randomMatrix(rng, H, C, 0.4);
  const want = referenceSwiGlu(x, w1, w3, w2);
  const out = tf.tidy(() =>
    asMatrix(
      callLearner("SwiGLU", "the test input", () => fn(tf.tensor2d(x), tf.tensor2d(w1), tf.tensor2d(w3), tf.tensor2d(w2))),
      n,
      C,
      "the output",
    ),
  );
  const bad = firstMismatchInRows(want, out, ATTENTION_TOL);
  if (bad === null) {
    pass("SwiGLU matches the reference: (SiLU(x·W1) ⊙ x·W3)·W2");
    return;
  }
  const [i, j] = bad;
  const mistakes: Mistake<Matrix>[] = [
    { cause: "the gate uses the plain sigmoid σ(z) (that is GLU); SiLU is z·σ(z)", output: referenceSwiGlu(x, w1, w3, w2, { gate: "sigmoid" }) },
    { cause: "the gate uses ReLU (that is ReGLU); SwiGLU's is SiLU, z·σ(z)", output: referenceSwiGlu(x, w1, w3, w2, { gate: "relu" }) },
    { cause: "the gate uses GELU (that is GeGLU); SwiGLU's is SiLU, z·σ(z)", output: referenceSwiGlu(x, w1, w3, w2, { gate: "gelu" }) },
    { cause: "SiLU is applied to x·W3 instead of x·W1 (the branches are swapped)", output: referenceSwiGlu(x, w1, w3, w2, { swapBranches: true }) },
    { cause: "the two branches are added; the gate multiplies them element by element", output: referenceSwiGlu(x, w1, w3, w2, { add: true }) },
    { cause: "the gate is missing: SiLU(x·W1)·W2 is a plain MLP; multiply by x·W3 before W2", output: referenceSwiGlu(x, w1, w3, w2, { noGate: true }) },
  ];
  throw failure(
    `SwiGLU: output[${i}][${j}] is ${fmt(out[i][j])}, expected ${fmt(want[i][j])}`,
    diagnose(out, mistakes, ATTENTION_TOL),
    "Likely cause: none of the usual mistakes — compute a = x·W1, b = x·W3, then (a · σ(a)) ⊙ b, then · W2, and compare each with a 1-row example by hand.",
  );
}

/** Top-p filtering in float64: keep the smallest set of likeliest tokens whose probability reaches p, renormalised. */
export function referenceTopP(probs: number[], p: number, o: { renormalise?: boolean; excludeCrossing?: boolean; indexOrder?: boolean } = {}): number[] {
  const order = probs.map((_, i) => i);
  if (!o.indexOrder) order.sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Array<boolean>(probs.length).fill(false);
  let mass = 0;
  for (const i of order) {
    if (o.excludeCrossing && mass + probs[i] >= p && mass > 0) break;
    keep[i] = true;
    mass += probs[i];
    if (mass >= p) break;
  }
  const kept = probs.map((q, i) => (keep[i] ? q : 0));
  const z = kept.reduce((a, b) => a + b, 0);
  return o.renormalise === false ? kept : kept.map((q) => q / z);
}

/**
 * Exercise: `fn(probs, p)` returns the top-p (nucleus) distribution: one number per token, zero
 * outside the smallest set of likeliest tokens whose probabilities sum to at least p, the kept
 * ones renormalised to sum to 1.
 */
export function checkTopP(fn: (probs: number[], p: number) => ArrayLike<number>): void {
  requireFunction(fn, "checkTopP", "checkTopP(myTopP)");
  const rng = makeRng(606);
  const cases: [number[], number][] = [];
  for (const p of [0.5, 0.9, 0.05, 1]) {
    const raw = Array.from({ length: 10 }, () => Math.exp(1.5 * rng.normal()));
    const z = raw.reduce((a, b) => a + b, 0);
    cases.push([raw.map((r) => r / z), p]);
  }
  for (const [probs, p] of cases) {
    const want = referenceTopP(probs, p);
    const result = callLearner("top-p", `p=${p}`, () => fn(probs.slice(), p));
    const got = result == null ? [] : Array.from(result as ArrayLike<number>);
    if (got.length !== probs.length) {
      throw new Error(
        `top-p (p=${p}): returned ${got.length} numbers for ${probs.length} tokens; return one probability per token (0 for the dropped ones), in the input's order`,
      );
    }
    const j = firstMismatch(want, got, TOP_P_TOL);
    if (j < 0) continue;
    const mistakes: Mistake<Matrix>[] = [
      { cause: "the kept probabilities are not renormalised: divide them by their sum", output: [referenceTopP(probs, p, { renormalise: false })] },
      {
        cause: "one token too few: keep adding tokens until the sum reaches p — the token that crosses p stays in",
        output: [referenceTopP(probs, p, { excludeCrossing: true })],
      },
      {
        cause: "kept tokens in index order: sort by probability (likeliest first) before accumulating",
        output: [referenceTopP(probs, p, { indexOrder: true })],
      },
      { cause: "kept tokens in index order and did not renormalise", output: [referenceTopP(probs, p, { indexOrder: true, renormalise: false })] },
    ];
    const sum = got.reduce((a, b) => a + b, 0);
    const cause =
      diagnose([got], mistakes, TOP_P_TOL) ??
      (Math.abs(sum - 1) > 1e-6
        ? `your output sums to ${sum.toFixed(4)}, a distribution sums to 1`
        : "sort the tokens by probability, keep them while the running sum is below p (the one that crosses p too), zero the rest, renormalise");
    throw failure(`top-p (p=${p}): token ${j} has ${fmt(got[j])}, expected ${fmt(want[j])} (input probability ${fmt(probs[j])})`, cause, "");
  }
  pass("top-p keeps the smallest set of likeliest tokens reaching p, renormalised (p = 0.5, 0.9, 0.05 and 1)");
}

/**
 * Exercise (weight tying): given the parameter counts of the same config untied and tied, check
 * the saving is exactly vocabSize × nEmbd (the LM head matrix that tying removes).
 */
export function checkTyingSavings(answer: { untied: number; tied: number; vocabSize: number; nEmbd: number }): void {
  const { untied, tied, vocabSize, nEmbd } = answer;
  if (![untied, tied, vocabSize, nEmbd].every((x) => Number.isInteger(x) && x > 0)) {
    throw new Error("give untied, tied, vocabSize and nEmbd as positive integers (e.g. from model.paramCount())");
  }
  if (tied >= untied) throw new Error(`the tied model should be smaller: tied ${tied} >= untied ${untied}. Did you set tieWeights: true on the second model?`);
  if (untied - tied !== vocabSize * nEmbd) {
    throw new Error(
      `tying saved ${untied - tied} parameters, but sharing the embedding with the LM head removes one ${vocabSize} × ${nEmbd} matrix = ${vocabSize * nEmbd}`,
    );
  }
  pass(
    `tying removes the LM head's ${vocabSize} × ${nEmbd} = ${vocabSize * nEmbd} parameters (${((100 * (untied - tied)) / untied).toFixed(1)} % of the model)`,
  );
}

/** What `compareAcrossSeeds` concludes. */
export interface SeedComparison {
  /** Mean of b − a over seeds. */
  meanDiff: number;
  /** Sample standard deviation of the per-seed differences. */
  sdDiff: number;
  /** Standard error of the mean difference (sd / √seeds). */
  stdErr: number;
  /** meanDiff / stdErr: the paired t statistic. */
  t: number;
  /** The two-sided 95 % critical value of t with seeds − 1 degrees of freedom. */
  tCritical: number;
  /** One sentence drawn from the numbers. */
  conclusion: string;
}

/** Two-sided 95 % critical values of Student's t for 1…10 degrees of freedom (then ≈ 2). */
const T_CRITICAL_95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/**
 * Exercise (GELU vs ReLU): val losses of two variants trained with the same seeds, steps and
 * batches (`a[i]` and `b[i]` share seed i). Concludes from the measured spread with a paired
 * t-test: a mean difference within the 95 % band of seed-to-seed noise is "no measurable
 * difference", otherwise it names the better variant. With 2 seeds the band is ±12.7 standard
 * errors: a few seeds rarely settle a small difference, which is the point.
 */
export function compareAcrossSeeds(a: number[], b: number[], names: [string, string] = ["a", "b"]): SeedComparison {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
    throw new Error(`give one val loss per seed for each variant (same seeds), got ${a?.length} and ${b?.length}`);
  if (a.length < 2) throw new Error(`need at least 2 seeds to measure a spread, got ${a.length}`);
  for (const [name, xs] of [
    [names[0], a],
    [names[1], b],
  ] as const) {
    const badIdx = xs.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
    if (badIdx >= 0) throw new Error(`${name}[${badIdx}] must be a finite val loss, got ${xs[badIdx]}`);
  }
  const diffs = a.map((x, i) => b[i] - x);
  const n = diffs.length;
  const meanDiff = diffs.reduce((s, x) => s + x, 0) / n;
  const sdDiff = Math.sqrt(diffs.reduce((s, x) => s + (x - meanDiff) ** 2, 0) / (n - 1));
  const stdErr = sdDiff / Math.sqrt(n);
  const t = stdErr > 0 ? meanDiff / stdErr : meanDiff === 0 ? 0 : Math.sign(meanDiff) * Infinity;
  const tCritical = T_CRITICAL_95[n - 2] ?? 2;
  const signed = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);
  const measured = `${names[1]} − ${names[0]} = ${signed(meanDiff)} nats (mean over ${n} seeds; per seed ${diffs.map(signed).join(", ")}; standard error ${stdErr.toFixed(3)}, t = ${Number.isFinite(t) ? t.toFixed(1) : t})`;
  let conclusion: string;
  if (Math.abs(t) < tCritical) {
    conclusion = `${measured}: |t| < ${tCritical} (95 % with ${n - 1} degree${n > 2 ? "s" : ""} of freedom) — no measurable difference with ${n} seeds at this scale`;
  } else {
    const better = meanDiff > 0 ? names[0] : names[1];
    conclusion = `${measured}: |t| ≥ ${tCritical} (95 % with ${n - 1} degree${n > 2 ? "s" : ""} of freedom) — ${better} is measurably better at this scale and training length`;
  }
  pass(conclusion);
  return { meanDiff, sdDiff, stdErr, t, tCritical, conclusion };
}
