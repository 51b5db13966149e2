/**
 * Checkers for the implement-it exercises of lesson 01, on the shared checker core
 * (util/checker.ts). Each runs the learner's function on seeded random inputs, compares with
 * kernel-lib's reference, and throws at the first wrong value with expected vs got and the likely
 * cause (it recomputes the usual mistakes and names the one the learner's output matches). On
 * success it prints one line starting with "✓" and returns nothing.
 */
import {
  allClose,
  callLearner,
  close,
  failure,
  firstMismatch,
  formatNumber,
  matchMistake,
  type Mistake,
  pass,
  requireFunction,
  type Tolerance,
} from "../../util/checker";
import { makeRng, Rng } from "../../util";
import { softmaxStep } from "../../bow/logistic";
import { cosineSimilarity } from "../../bow/similarity";
import { CsrMatrix, csrFromRows } from "../../bow/sparse";
import { computeIdf } from "../../bow/tfidf";

/** Answers agree with the reference to 1e-9 (relative; absolute below 1). */
const TOL: Tolerance = { rel: 1e-9 };

/** Ten significant digits: enough to show a difference the tolerance sees. */
const fmt = (x: number): string => formatNumber(x, 10);

/** A likely mistake: its cause and what it computes on the current input. */
type Variant = Mistake<ArrayLike<number>>;

/**
 * The cause whose values match `got` everywhere, else the one matching the first wrong
 * element, else null.
 */
function likelyCause(got: ArrayLike<number>, first: number, variants: Variant[]): string | null {
  return (
    matchMistake(variants, (values) => allClose(values, got, TOL)) ??
    matchMistake(variants, (values) => first < values.length && close(got[first], values[first], TOL))
  );
}

function toNumbers(name: string, value: unknown, expectedLength: number, what: string, lengthHint = ""): number[] {
  if (value === null || typeof value !== "object" || typeof (value as ArrayLike<number>).length !== "number") {
    throw new Error(`${name}: on ${what} your function returned ${String(value)}, expected an array of ${expectedLength} numbers`);
  }
  const arr = Array.from(value as ArrayLike<number>);
  if (arr.length !== expectedLength)
    throw new Error(`${name}: on ${what} your function returned ${arr.length} values, expected ${expectedLength}${lengthHint}`);
  return arr;
}

// ---------------------------------------------------------------------------------------------
// idf

/** A learner's idf: a documents × terms count matrix in, one idf weight per term (column) out. */
export type IdfFunction = (counts: number[][]) => ArrayLike<number>;

/** Seeded random count matrices: every term in at least one document, some counts above 1. */
function randomCounts(rng: Rng, nDocs: number, nTerms: number): number[][] {
  const counts = Array.from({ length: nDocs }, () => Array.from({ length: nTerms }, () => (rng.next() < 0.45 ? 0 : 1 + rng.int(4))));
  for (let j = 0; j < nTerms; j++) if (counts.every((row) => row[j] === 0)) counts[rng.int(nDocs)][j] = 1 + rng.int(3);
  counts.forEach((row) => (row[0] = 1 + rng.int(3))); // term 0 is in every document: idf exactly 1
  return counts;
}

function idfVariants(counts: number[][]): Variant[] {
  const n = counts.length;
  const V = counts[0].length;
  const df = Array.from({ length: V }, (_, j) => counts.filter((row) => row[j] > 0).length);
  const tc = Array.from({ length: V }, (_, j) => counts.reduce((s, row) => s + row[j], 0));
  const map = (f: (j: number) => number) => Array.from({ length: V }, (_, j) => f(j));
  return [
    { cause: "log base 10: use the natural log, Math.log (Math.log10 gives smaller weights)", output: map((j) => Math.log10((1 + n) / (1 + df[j])) + 1) },
    { cause: "log base 2: use the natural log, Math.log", output: map((j) => Math.log2((1 + n) / (1 + df[j])) + 1) },
    { cause: "missing +1 smoothing: that is ln(n / df) + 1; smooth idf adds 1 to n and to df", output: map((j) => Math.log(n / df[j]) + 1) },
    { cause: "+1 smoothing on the top only: use ln((1 + n) / (1 + df)) + 1", output: map((j) => Math.log((1 + n) / df[j]) + 1) },
    { cause: "+1 smoothing on the bottom only: use ln((1 + n) / (1 + df)) + 1", output: map((j) => Math.log(n / (1 + df[j])) + 1) },
    { cause: "missing the final + 1: a term in every document must keep weight 1, not 0", output: map((j) => Math.log((1 + n) / (1 + df[j]))) },
    {
      cause: "df counted as term occurrences: df(t) is the number of documents containing t (count a document once, however often t occurs in it)",
      output: map((j) => Math.log((1 + n) / (1 + tc[j])) + 1),
    },
    { cause: "df counted as term occurrences and no +1 smoothing", output: map((j) => Math.log(n / tc[j]) + 1) },
    { cause: "ratio upside down: idf = ln((1 + n) / (1 + df)) + 1, rare terms get the larger weight", output: map((j) => Math.log((1 + df[j]) / (1 + n)) + 1) },
    { cause: "n taken as the number of terms (columns); n is the number of documents (rows)", output: map((j) => Math.log((1 + V) / (1 + df[j])) + 1) },
  ];
}

/**
 * Check a learner's smooth idf, idf(t) = ln((1 + n) / (1 + df(t))) + 1, against kernel-lib's
 * `computeIdf` on seeded random count matrices (documents × terms). Throws at the first wrong
 * value naming the term, expected vs got, and the likely cause (log base, missing smoothing,
 * df counted as occurrences, …).
 */
export function checkIdf(fn: IdfFunction, options: { seed?: number; trials?: number } = {}): void {
  requireFunction(fn, "checkIdf", "checkIdf(myIdf)");
  const rng = makeRng(options.seed ?? 1);
  const trials = options.trials ?? 20;
  for (let t = 0; t < trials; t++) {
    const n = 3 + rng.int(6);
    const V = n + 1 + rng.int(4); // never as many terms as documents, so n-vs-V mix-ups show
    const counts = randomCounts(rng, n, V);
    const copy = counts.map((row) => row.slice());
    const what = `random input ${t + 1} (${n} documents × ${V} terms: ${JSON.stringify(counts)})`;
    const raw = callLearner("checkIdf", what, () => fn(copy));
    const got = toNumbers(
      "checkIdf",
      raw,
      V,
      what,
      raw && (raw as ArrayLike<number>).length === n ? " (one weight per term, i.e. per column — not per document)" : " (one weight per term, i.e. per column)",
    );
    const expected = computeIdf(
      csrFromRows(
        counts.map((row) => new Map(row.map((c, j) => [j, c] as [number, number]))),
        V,
      ),
    );
    const first = firstMismatch(expected, got, TOL);
    if (first < 0) continue;
    const df = counts.filter((row) => row[first] > 0).length;
    const occ = counts.reduce((s, row) => s + row[first], 0);
    throw failure(
      `checkIdf: wrong idf[${first}] on ${what}. Term ${first} is in ${df} of ${n} documents (${occ} occurrences): expected ${fmt(expected[first])}, got ${fmt(got[first])}`,
      likelyCause(got, first, idfVariants(counts)),
      "Not one of the usual mistakes: compare with idf(t) = ln((1 + n) / (1 + df(t))) + 1.",
    );
  }
  pass(`checkIdf: your idf matches kernel-lib's computeIdf on ${trials} random count matrices.`);
}

// ---------------------------------------------------------------------------------------------
// cosine similarity of sparse vectors

/** A sparse vector: sorted distinct term indices and their (non-zero) values. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/** A learner's cosine similarity of two sparse vectors. */
export type CosineFunction = (a: SparseVector, b: SparseVector) => number;

function randomSparse(rng: Rng, dim: number, nnz: number): SparseVector {
  const set = new Set<number>();
  while (set.size < nnz) set.add(rng.int(dim));
  const indices = [...set].sort((x, y) => x - y);
  return { indices, values: indices.map(() => Number((0.1 + 2.9 * rng.next()).toFixed(3))) };
}

function toDenseVector(v: SparseVector, dim: number): Float64Array {
  const out = new Float64Array(dim);
  v.indices.forEach((j, k) => (out[j] = v.values[k]));
  return out;
}

function cosineVariants(a: SparseVector, b: SparseVector, dim: number): Variant[] {
  const da = toDenseVector(a, dim);
  const db = toDenseVector(b, dim);
  let dot = 0;
  let na = 0;
  let nb = 0;
  let sa = 0;
  let sb = 0;
  for (let j = 0; j < dim; j++) {
    dot += da[j] * db[j];
    na += da[j] * da[j];
    nb += db[j] * db[j];
    if (da[j] !== 0 && db[j] !== 0) {
      sa += da[j] * da[j];
      sb += db[j] * db[j];
    }
  }
  let byPos = 0;
  for (let k = 0; k < Math.min(a.values.length, b.values.length); k++) byPos += a.values[k] * b.values[k];
  return [
    { cause: "no normalisation: that is the dot product; divide by ‖a‖·‖b‖", output: [dot] },
    { cause: "divided by the squared norms: ‖a‖ is the square root of the sum of squares", output: [dot / (na * nb)] },
    { cause: "norms taken over the shared terms only: ‖a‖ and ‖b‖ sum over all of each vector's entries", output: [sa > 0 ? dot / Math.sqrt(sa * sb) : 0] },
    {
      cause: "entries paired by position, not by term index: walk both sorted index lists and multiply only where the indices are equal",
      output: [byPos / Math.sqrt(na * nb)],
    },
  ];
}

/**
 * Check a learner's cosine similarity of two sparse vectors (sorted indices + values, the rows of
 * a CSR matrix) against kernel-lib's `cosineSimilarity` on seeded random pairs, including pairs
 * with no term in common. Throws at the first wrong pair with expected vs got and the likely cause.
 */
export function checkCosine(fn: CosineFunction, options: { seed?: number; trials?: number } = {}): void {
  requireFunction(fn, "checkCosine", "checkCosine(myCosine)");
  const rng = makeRng(options.seed ?? 1);
  const trials = options.trials ?? 30;
  const dim = 20;
  for (let t = 0; t < trials; t++) {
    const a = randomSparse(rng, dim, 2 + rng.int(5));
    let b = randomSparse(rng, dim, 2 + rng.int(5));
    if (t === 0) b = { indices: [...Array(dim).keys()].filter((j) => !a.indices.includes(j)).slice(0, 3), values: [1, 2, 0.5] }; // disjoint: cosine 0
    const expected = cosineSimilarity(toDenseVector(a, dim), toDenseVector(b, dim));
    const what = `pair ${t + 1}: a = ${JSON.stringify(a)}, b = ${JSON.stringify(b)}`;
    const got = callLearner("checkCosine", what, () =>
      fn({ indices: a.indices.slice(), values: a.values.slice() }, { indices: b.indices.slice(), values: b.values.slice() }),
    );
    if (typeof got !== "number") throw new Error(`checkCosine: on ${what} your function returned ${String(got)}, expected a number`);
    if (close(got, expected, TOL)) continue;
    const cause = !Number.isFinite(got)
      ? "division by zero: with no term in common the dot product is 0 and so is the cosine; divide by the norms of the whole vectors"
      : likelyCause([got], 0, cosineVariants(a, b, dim));
    throw failure(
      `checkCosine: wrong cosine on ${what}: expected ${fmt(expected)}, got ${fmt(got)}`,
      cause,
      "Not one of the usual mistakes: cosine = Σ a_j b_j over shared j, divided by √(Σ a_j²) · √(Σ b_j²).",
    );
  }
  pass(`checkCosine: your sparse cosine matches kernel-lib's cosineSimilarity on ${trials} random pairs.`);
}

// ---------------------------------------------------------------------------------------------
// one gradient step of softmax regression

/**
 * A learner's gradient step of softmax regression on sparse rows: X (CSR, n × V), class ids y,
 * weights W[j][c] (V × K) and bias b (K), penalty l2 (on W only, objective mean cross-entropy +
 * l2/2 ‖W‖²) and step size lr; returns the new W and b.
 */
export type SoftmaxStepFunction = (
  X: CsrMatrix,
  y: number[],
  W: Float64Array[],
  b: Float64Array,
  l2: number,
  lr: number,
) => { W: ArrayLike<number>[]; b: ArrayLike<number> };

interface StepInput {
  X: CsrMatrix;
  y: number[];
  W: Float64Array[];
  b: Float64Array;
  l2: number;
  lr: number;
}

function randomStepInput(rng: Rng, scale: number): StepInput {
  const n = 4 + rng.int(5);
  const V = 5 + rng.int(6);
  const K = 3 + rng.int(2);
  const rows: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Map<number, number>();
    for (let j = 0; j < V; j++) if (rng.next() < 0.4) row.set(j, 0.1 + rng.next());
    if (row.size === 0) row.set(rng.int(V), 1);
    rows.push(row);
  }
  const y = Array.from({ length: n }, () => rng.int(K));
  const W = Array.from({ length: V }, () => Float64Array.from({ length: K }, () => scale * rng.normal()));
  const b = Float64Array.from({ length: K }, () => scale * rng.normal());
  return { X: csrFromRows(rows, V), y, W, b, l2: 0.05 + 0.2 * rng.next(), lr: 0.5 };
}

/** The new (W, b) flattened feature-major then bias, for a given gradient recipe. */
function stepVariant(inp: StepInput, recipe: { sign?: number; mean?: boolean; l2W?: number; l2b?: number }): Float64Array {
  const { X, y, W, b, lr } = inp;
  const K = b.length;
  const V = W.length;
  const n = X.nRows;
  const gW = W.map(() => new Float64Array(K));
  const gb = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const z = Float64Array.from(b);
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) for (let c = 0; c < K; c++) z[c] += X.data[k] * W[X.indices[k]][c];
    const m = Math.max(...z);
    let s = 0;
    for (let c = 0; c < K; c++) s += Math.exp(z[c] - m);
    for (let c = 0; c < K; c++) {
      const g = ((recipe.sign ?? 1) * (Math.exp(z[c] - m) / s - (c === y[i] ? 1 : 0))) / ((recipe.mean ?? true) ? n : 1);
      gb[c] += g;
      for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) gW[X.indices[k]][c] += g * X.data[k];
    }
  }
  const out = new Float64Array(V * K + K);
  for (let j = 0; j < V; j++) for (let c = 0; c < K; c++) out[j * K + c] = W[j][c] - lr * (gW[j][c] + (recipe.l2W ?? 1) * inp.l2 * W[j][c]);
  for (let c = 0; c < K; c++) out[V * K + c] = b[c] - lr * (gb[c] + (recipe.l2b ?? 0) * inp.l2 * b[c]);
  return out;
}

/**
 * Check a learner's gradient step of softmax regression against kernel-lib's `softmaxStep` on
 * seeded random sparse data and weights (one input has large logits, where exp overflows unless
 * the largest logit is subtracted first). Throws at the first wrong parameter with expected vs got
 * and the likely cause (bias penalised, sum instead of mean, L2 term missing or doubled, sign).
 */
export function checkSoftmaxStep(fn: SoftmaxStepFunction, options: { seed?: number; trials?: number } = {}): void {
  requireFunction(fn, "checkSoftmaxStep", "checkSoftmaxStep(mySparseStep)");
  const rng = makeRng(options.seed ?? 1);
  const trials = options.trials ?? 8;
  for (let t = 0; t < trials; t++) {
    const inp = randomStepInput(rng, t === trials - 1 ? 5000 : 0.5);
    const V = inp.W.length;
    const K = inp.b.length;
    const flatW = new Float64Array(V * K);
    inp.W.forEach((row, j) => flatW.set(row, j * K));
    const ref = softmaxStep(inp.X, inp.y, K, { weights: flatW, bias: inp.b }, { l2: inp.l2, learningRate: inp.lr });
    const expected = new Float64Array(V * K + K);
    expected.set(ref.weights);
    expected.set(ref.bias, V * K);
    const what = `random input ${t + 1} (${inp.X.nRows} rows × ${V} features, ${K} classes, l2 = ${fmt(inp.l2)}, lr = ${inp.lr}${t === trials - 1 ? ", large weights" : ""})`;
    const out = callLearner("checkSoftmaxStep", what, () =>
      fn(
        inp.X,
        inp.y.slice(),
        inp.W.map((r) => r.slice()),
        inp.b.slice(),
        inp.l2,
        inp.lr,
      ),
    );
    if (!out || !Array.isArray(out.W) || !out.b) throw new Error(`checkSoftmaxStep: on ${what} return { W, b } with W an array of ${V} rows of ${K} numbers`);
    if (out.W.length !== V) throw new Error(`checkSoftmaxStep: on ${what} W has ${out.W.length} rows, expected ${V} (one per feature)`);
    const got = new Float64Array(V * K + K);
    out.W.forEach((row, j) => got.set(toNumbers("checkSoftmaxStep", row, K, `${what}, W[${j}]`), j * K));
    got.set(toNumbers("checkSoftmaxStep", out.b, K, `${what}, b`), V * K);
    const first = firstMismatch(expected, got, TOL);
    if (first < 0) continue;
    const where = first < V * K ? `W[${Math.floor(first / K)}][${first % K}]` : `b[${first - V * K}]`;
    const variants: Variant[] = [
      { cause: "the bias is penalised too: the L2 term λ·W applies to the weights only", output: stepVariant(inp, { l2b: 1 }) },
      { cause: "gradient summed over the rows, not averaged: divide (p − onehot(y)) by n", output: stepVariant(inp, { mean: false }) },
      { cause: "L2 term missing: add λ·W to the weight gradient", output: stepVariant(inp, { l2W: 0 }) },
      { cause: "L2 gradient doubled: the penalty is (λ/2)‖W‖², its gradient λ·W", output: stepVariant(inp, { l2W: 2 }) },
      { cause: "gradient sign flipped: d(cross-entropy)/dz = p − onehot(y), and the step subtracts lr · gradient", output: stepVariant(inp, { sign: -1 }) },
    ];
    const cause = !Number.isFinite(got[first])
      ? "exp overflowed: subtract the largest logit from every logit before Math.exp (softmax does not change)"
      : likelyCause(got, first, variants);
    throw failure(
      `checkSoftmaxStep: wrong ${where} after the step on ${what}: expected ${fmt(expected[first])}, got ${fmt(got[first])}`,
      cause,
      "Not one of the usual mistakes: logits z = x·W + b, p = softmax(z), gradient (p − onehot(y)) / n times x, plus λ·W.",
    );
  }
  pass(`checkSoftmaxStep: your step matches kernel-lib's softmaxStep on ${trials} random inputs.`);
}
