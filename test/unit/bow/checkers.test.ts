import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { csrFromRows, denseRow, lossAndGradient, softmaxStep, trainSoftmaxRegression, type CsrMatrix } from "../../../kernel-lib/src/bow";
import { checkCosine, checkIdf, checkSoftmaxStep, type SparseVector } from "../../../kernel-lib/src/lessons/01-bag-of-words";

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

// ---- idf: a correct one, and one per named mistake.
const dfOf = (counts: number[][], j: number) => counts.filter((row) => row[j] > 0).length;
const occOf = (counts: number[][], j: number) => counts.reduce((s, row) => s + row[j], 0);
const idfWith = (f: (n: number, df: number, occ: number, V: number) => number) => (counts: number[][]) =>
  counts[0].map((_, j) => f(counts.length, dfOf(counts, j), occOf(counts, j), counts[0].length));

describe("checkIdf", () => {
  it("passes a correct idf and prints one ✓ line", () => {
    expect(checkIdf(idfWith((n, df) => Math.log((1 + n) / (1 + df)) + 1))).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toMatch(/^✓ checkIdf/);
  });

  it.each([
    ["log base 10", (n: number, df: number) => Math.log10((1 + n) / (1 + df)) + 1, /log base 10/],
    ["log base 2", (n: number, df: number) => Math.log2((1 + n) / (1 + df)) + 1, /log base 2/],
    ["no smoothing", (n: number, df: number) => Math.log(n / df) + 1, /missing \+1 smoothing/],
    ["smoothing on top only", (n: number, df: number) => Math.log((1 + n) / df) + 1, /top only/],
    ["no final + 1", (n: number, df: number) => Math.log((1 + n) / (1 + df)), /missing the final \+ 1/],
    ["df as occurrences", (n: number, _df: number, occ: number) => Math.log((1 + n) / (1 + occ)) + 1, /df counted as term occurrences/],
    ["n as number of terms", (_n: number, df: number, _o: number, V: number) => Math.log((1 + V) / (1 + df)) + 1, /number of terms/],
    ["ratio upside down", (n: number, df: number) => Math.log((1 + df) / (1 + n)) + 1, /upside down/],
  ])("names the cause: %s", (_name, f, cause) => {
    expect(() => checkIdf(idfWith(f))).toThrow(cause);
    expect(() => checkIdf(idfWith(f))).toThrow(/wrong idf\[\d+\].*expected [\d.]+, got [-\d.]+/);
  });

  it("explains wrong shapes, throws and unknown mistakes", () => {
    expect(() => checkIdf((counts) => counts.map(() => 1))).toThrow(/not per document/);
    expect(() =>
      checkIdf(() => {
        throw new Error("boom");
      }),
    ).toThrow(/your function threw on random input 1.*boom/);
    expect(() => checkIdf(idfWith((n, df) => Math.log((1 + n) / (1 + df)) + 1.5))).toThrow(/Not one of the usual mistakes/);
    expect(() => checkIdf(42 as never)).toThrow(/pass your function/);
  });
});

// ---- cosine of sparse vectors.
function sparseCosine(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (let p = 0, q = 0; p < a.indices.length && q < b.indices.length; ) {
    if (a.indices[p] === b.indices[q]) dot += a.values[p++] * b.values[q++];
    else if (a.indices[p] < b.indices[q]) p++;
    else q++;
  }
  const norm = (v: SparseVector) => Math.sqrt(v.values.reduce((s, x) => s + x * x, 0));
  return dot / (norm(a) * norm(b));
}
function sparseDot(a: SparseVector, b: SparseVector): number {
  return sparseCosine(a, b) * Math.hypot(...a.values) * Math.hypot(...b.values);
}

describe("checkCosine", () => {
  it("passes a correct sparse cosine", () => {
    expect(checkCosine(sparseCosine)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toMatch(/^✓ checkCosine/);
  });

  it("names each mistake", () => {
    expect(() => checkCosine(sparseDot)).toThrow(/no normalisation/);
    const sq = (v: SparseVector) => v.values.reduce((s, x) => s + x * x, 0);
    expect(() => checkCosine((a, b) => sparseDot(a, b) / (sq(a) * sq(b)))).toThrow(/squared norms/);
    const byPosition = (a: SparseVector, b: SparseVector) => {
      let dot = 0;
      for (let k = 0; k < Math.min(a.values.length, b.values.length); k++) dot += a.values[k] * b.values[k];
      return dot / Math.sqrt(sq(a) * sq(b));
    };
    expect(() => checkCosine(byPosition)).toThrow(/paired by position/);
    const sharedNorms = (a: SparseVector, b: SparseVector) => {
      const shared = a.indices.filter((j) => b.indices.includes(j));
      const s = (v: SparseVector) => shared.reduce((t, j) => t + v.values[v.indices.indexOf(j)] ** 2, 0);
      return sparseDot(a, b) / Math.sqrt(s(a) * s(b));
    };
    expect(() => checkCosine(sharedNorms)).toThrow(/division by zero|shared terms only/);
    expect(() => checkCosine(sharedNorms)).toThrow(/expected 0, got NaN/);
  });
});

// ---- one step of softmax regression on sparse rows.
type Recipe = { mean?: boolean; l2W?: number; l2b?: number; sign?: number; stable?: boolean };
// A learner-style step on dense rows (denseRow), with switches for each named mistake.
const stepWith = (r: Recipe) => (X: CsrMatrix, y: number[], W: Float64Array[], b: Float64Array, l2: number, lr: number) => {
  const n = X.nRows;
  const rows = Array.from({ length: n }, (_, i) => denseRow(X, i));
  const probs = rows.map((x) => {
    const z = Array.from(b, (bc, c) => bc + x.reduce((s, xj, j) => s + xj * W[j][c], 0));
    const shift = r.stable === false ? 0 : Math.max(...z);
    const e = z.map((v) => Math.exp(v - shift));
    const total = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / total);
  });
  const scale = (r.sign ?? 1) / (r.mean === false ? 1 : n);
  const dz = probs.map((p, i) => p.map((pc, c) => scale * (pc - (c === y[i] ? 1 : 0))));
  const gradB = Array.from(b, (_, c) => dz.reduce((s, d) => s + d[c], 0));
  return {
    W: W.map((row, j) => row.map((w, c) => w - lr * (rows.reduce((s, x, i) => s + x[j] * dz[i][c], 0) + (r.l2W ?? 1) * l2 * w))),
    b: b.map((v, c) => v - lr * (gradB[c] + (r.l2b ?? 0) * l2 * v)),
  };
};

describe("checkSoftmaxStep", () => {
  it("passes a correct step", () => {
    expect(checkSoftmaxStep(stepWith({}))).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toMatch(/^✓ checkSoftmaxStep/);
  });

  it.each([
    ["bias penalised", { l2b: 1 }, /bias is penalised/],
    ["sum not mean", { mean: false }, /summed over the rows/],
    ["no L2", { l2W: 0 }, /L2 term missing/],
    ["L2 doubled", { l2W: 2 }, /L2 gradient doubled/],
    ["sign flipped", { sign: -1 }, /sign flipped/],
    ["exp overflow", { stable: false }, /exp overflowed/],
  ] as [string, Recipe, RegExp][])("names the cause: %s", (_name, recipe, cause) => {
    expect(() => checkSoftmaxStep(stepWith(recipe))).toThrow(cause);
    expect(() => checkSoftmaxStep(stepWith(recipe))).toThrow(/wrong (W|b)\[\d+\]/);
  });
});

describe("softmaxStep", () => {
  const X = csrFromRows(
    [
      new Map([
        [0, 1],
        [2, 0.5],
      ]),
      new Map([[1, 2]]),
      new Map([
        [0, 0.3],
        [1, 0.4],
        [2, 1],
      ]),
    ],
    3,
  );
  const y = [0, 1, 2];

  it("is θ − lr · ∇ of the training objective", () => {
    const weights = Float64Array.from({ length: 9 }, (_, p) => Math.sin(p + 1));
    const bias = Float64Array.from([0.1, -0.2, 0.3]);
    const grad = new Float64Array(12);
    const theta = new Float64Array(12);
    theta.set(weights);
    theta.set(bias, 9);
    const loss = lossAndGradient(X, y, 3, theta, 0.1, grad);
    const step = softmaxStep(X, y, 3, { weights, bias }, { l2: 0.1, learningRate: 0.7 });
    expect(step.loss).toBe(loss);
    for (let p = 0; p < 9; p++) expect(step.weights[p]).toBeCloseTo(weights[p] - 0.7 * grad[p], 14);
    for (let c = 0; c < 3; c++) expect(step.bias[c]).toBeCloseTo(bias[c] - 0.7 * grad[9 + c], 14);
  });

  it("from zero is the trainer's first step", async () => {
    const model = await trainSoftmaxRegression(X, y, 3, { l2: 0.1, maxIter: 1, learningRate: 0.7 });
    const step = softmaxStep(X, y, 3, { weights: new Float64Array(9), bias: new Float64Array(3) }, { l2: 0.1, learningRate: 0.7 });
    expect(Array.from(model.weights)).toEqual(Array.from(step.weights));
    expect(Array.from(model.bias)).toEqual(Array.from(step.bias));
  });

  it("validates shapes", () => {
    expect(() => softmaxStep(X, y, 3, { weights: new Float64Array(8), bias: new Float64Array(3) }, { learningRate: 1 })).toThrow(/weights must have/);
    expect(() => softmaxStep(X, y, 3, { weights: new Float64Array(9), bias: new Float64Array(2) }, { learningRate: 1 })).toThrow(/bias must have/);
    expect(() => softmaxStep(X, y, 3, { weights: new Float64Array(9), bias: new Float64Array(3) }, { learningRate: 0 })).toThrow(/learningRate/);
  });
});
