import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CsrMatrix,
  accuracy,
  confusionMatrix,
  cosineSimilarityMatrix,
  csrFromRows,
  encodeLabels,
  groupSplit,
  lossAndGradient,
  majorityBaseline,
  selectRows,
  taskData,
  eraOf,
  topFeaturesPerClass,
  topTerms,
  trainNearestCentroid,
  trainSoftmaxRegression,
  TfidfVectorizer,
  cosineSimilarity,
  denseRow,
} from "../../../kernel-lib/src/bow";
import { makeRng } from "../../../kernel-lib/src/util";

function randomCsr(seed: number, nRows: number, nCols: number, density = 0.3): CsrMatrix {
  const rng = makeRng(seed);
  const rows = Array.from({ length: nRows }, () => {
    const m = new Map<number, number>();
    for (let j = 0; j < nCols; j++) if (rng.next() < density) m.set(j, rng.next() * 2 - 1);
    return m;
  });
  return csrFromRows(rows, nCols);
}

describe("similarity", () => {
  it("cosineSimilarityMatrix is symmetric, 1 on the diagonal and agrees with the dense cosine", () => {
    const X = randomCsr(1, 6, 9, 0.5);
    const S = cosineSimilarityMatrix(X);
    for (let i = 0; i < 6; i++) {
      expect(S[i][i]).toBeCloseTo(1, 12);
      for (let j = 0; j < 6; j++) {
        expect(S[i][j]).toBe(S[j][i]);
        expect(S[i][j]).toBeCloseTo(cosineSimilarity(denseRow(X, i), denseRow(X, j)), 12);
      }
    }
  });

  it("an all-zero row gets similarity 0, never NaN; dense cosine of a zero vector throws", () => {
    const X = csrFromRows([new Map([[0, 1]]), new Map()], 2);
    expect(cosineSimilarityMatrix(X)).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(() => cosineSimilarity([0, 0], [1, 0])).toThrow(/zero vector/);
    expect(() => cosineSimilarity([1], [1, 0])).toThrow(/same length/);
  });

  it("topTerms returns the heaviest terms of a row", () => {
    const vec = new TfidfVectorizer();
    const X = vec.fitTransform(["tax tax tax war", "war peace", "peace peace"]);
    expect(topTerms(X, 0, vec.vocabulary, 2).map((t) => t.term)).toEqual(["tax", "war"]);
    expect(() => topTerms(X, 5, vec.vocabulary)).toThrow(/row must be/);
  });
});

describe("labels and metrics", () => {
  it("encodes labels, rejecting unknown class names", () => {
    expect(Array.from(encodeLabels(["b", "a", "b"]).ids)).toEqual([1, 0, 1]);
    expect(() => encodeLabels(["a", "Repubilcan"], ["a", "Republican"])).toThrow(/labels\[1\] is the unknown class "Repubilcan"/);
    expect(() => encodeLabels([])).toThrow(/labels must be a non-empty/);
  });

  it("accuracy, confusion matrix and majority baseline", () => {
    expect(accuracy([0, 1, 2, 1], [0, 1, 1, 1])).toBe(0.75);
    expect(confusionMatrix([0, 1, 2, 1], [0, 1, 1, 1], 3)).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 1, 0],
    ]);
    expect(majorityBaseline([1, 1, 0], [1, 0, 0, 0], 2)).toEqual({ classId: 1, accuracy: 0.25 });
    expect(() => accuracy([0, 1], [0])).toThrow(/same length/);
    expect(() => confusionMatrix([0, 3], [0, 1], 2)).toThrow(/yTrue\[1\] must be a class id/);
  });
});

describe("groupSplit", () => {
  it("never puts a group on both sides and is reproducible by seed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("A", "B", "C", "D", "E", "F"), { minLength: 4, maxLength: 40 }), fc.integer(), (groups, seed) => {
        if (new Set(groups).size < 2) return true;
        const s = groupSplit(groups, { seed, testFraction: 0.3 });
        const trainGroups = new Set(s.train.map((i) => groups[i]));
        const again = groupSplit(groups, { seed, testFraction: 0.3 });
        return (
          s.test.every((i) => !trainGroups.has(groups[i])) &&
          s.train.length + s.test.length === groups.length &&
          s.test.length > 0 &&
          JSON.stringify(again) === JSON.stringify(s)
        );
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it("stratify holds out part of every class and keeps every class in training", () => {
    const groups = ["a1", "a1", "a2", "a3", "a4", "b1", "b2", "b2", "b3", "b4"];
    const labels = ["A", "A", "A", "A", "A", "B", "B", "B", "B", "B"];
    const s = groupSplit(groups, { seed: 4, testFraction: 0.25, stratify: labels });
    for (const c of ["A", "B"]) {
      expect(s.test.some((i) => labels[i] === c)).toBe(true);
      expect(s.train.some((i) => labels[i] === c)).toBe(true);
    }
    expect(() => groupSplit(groups, { stratify: ["A"] })).toThrow(/stratify has 1 labels/);
    expect(() => groupSplit(["x", "x"])).toThrow(/at least 2 distinct groups/);
    expect(() => groupSplit(groups, { testFraction: 1 })).toThrow(/testFraction/);
  });
});

describe("softmax regression", () => {
  it("analytic gradient matches finite differences", () => {
    const X = randomCsr(3, 7, 5);
    const y = [0, 1, 2, 1, 0, 2, 2];
    const K = 3;
    const rng = makeRng(9);
    const theta = Float64Array.from({ length: 5 * K + K }, () => rng.normal() * 0.5);
    const grad = new Float64Array(theta.length);
    lossAndGradient(X, y, K, theta, 0.1, grad);
    const scratch = new Float64Array(theta.length);
    for (let p = 0; p < theta.length; p++) {
      const h = 1e-6;
      const plus = theta.slice();
      plus[p] += h;
      const minus = theta.slice();
      minus[p] -= h;
      const numeric = (lossAndGradient(X, y, K, plus, 0.1, scratch) - lossAndGradient(X, y, K, minus, 0.1, scratch)) / (2 * h);
      expect(grad[p]).toBeCloseTo(numeric, 7);
    }
  });

  it("learns a separable problem, probabilities sum to 1, and converges", async () => {
    // Class = which of three feature blocks is active.
    const rows: Map<number, number>[] = [];
    const y: number[] = [];
    for (let i = 0; i < 30; i++) {
      const c = i % 3;
      rows.push(
        new Map([
          [c * 2, 1],
          [c * 2 + 1, 0.5],
          [6, 0.3],
        ]),
      );
      y.push(c);
    }
    const X = csrFromRows(rows, 7);
    const model = await trainSoftmaxRegression(X, y, 3, { l2: 1e-3, tol: 1e-6 });
    expect(model.converged).toBe(true);
    expect(accuracy(y, model.predict(X))).toBe(1);
    for (const p of model.predictProba(X)) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const losses = model.lossHistory;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(topFeaturesPerClass(model, ["a0", "a1", "b0", "b1", "c0", "c1", "all"], 1).map((t) => t[0].term)).toEqual(["a0", "b0", "c0"]);
    // With an L2 penalty each feature's weights sum to ~0 over classes.
    for (let j = 0; j < 7; j++) expect(Math.abs(model.weights[j * 3] + model.weights[j * 3 + 1] + model.weights[j * 3 + 2])).toBeLessThan(1e-4);
  });

  it("rejects mismatched lengths and bad class ids", async () => {
    const X = randomCsr(4, 3, 4);
    await expect(trainSoftmaxRegression(X, [0, 1], 2)).rejects.toThrow(/y has 2 labels but X has 3 rows/);
    await expect(trainSoftmaxRegression(X, [0, 1, 5], 2)).rejects.toThrow(/y\[2\] must be a class id/);
    await expect(trainSoftmaxRegression(X, [0, 1, 0], 2, { l2: -1 })).rejects.toThrow(/l2 must be/);
    const model = await trainSoftmaxRegression(X, [0, 1, 0], 2, { maxIter: 3 });
    expect(() => model.predict(randomCsr(4, 3, 5))).toThrow(/X has 5 columns but the model has 4/);
  });

  it("an aborted signal ends training after the current step", async () => {
    const X = randomCsr(5, 20, 6);
    const y = Array.from({ length: 20 }, (_, i) => i % 2);
    const stop = new AbortController();
    const model = await trainSoftmaxRegression(X, y, 2, {
      tol: 1e-12,
      signal: stop.signal,
      onStep: (step) => {
        if (step === 5) stop.abort();
      },
    });
    expect(model.lossHistory.length).toBe(5);
    expect(model.converged).toBe(false);
    const untrained = await trainSoftmaxRegression(X, y, 2, { signal: AbortSignal.abort() });
    expect(untrained.lossHistory.length).toBe(0);
  });

  it("nearest centroid classifies by the closest class average", () => {
    const X = csrFromRows(
      [
        new Map([[0, 1]]),
        new Map([
          [0, 0.9],
          [1, 0.1],
        ]),
        new Map([[1, 1]]),
        new Map([
          [1, 0.8],
          [2, 0.2],
        ]),
      ],
      3,
    );
    const model = trainNearestCentroid(selectRows(X, [0, 2]), [0, 1], 2);
    expect(Array.from(model.predict(X))).toEqual([0, 0, 1, 1]);
    expect(() => trainNearestCentroid(X, [0, 0, 0, 0], 2)).toThrow(/class 1 has no training rows/);
  });
});

describe("tasks", () => {
  const addresses = [
    { year: 1801, president: "Jefferson", party: "Democratic-Republican", text: "a" },
    { year: 1861, president: "Lincoln", party: "Republican", text: "b" },
    { year: 1934, president: "Roosevelt", party: "Democratic", text: "c" },
    { year: 2021, president: "Biden", party: "Democratic", text: "d" },
  ];
  it("era and party labels", () => {
    expect(taskData(addresses, "era").classes.length).toBe(4);
    expect(eraOf(1860)).toMatch(/^1790/);
    expect(eraOf(1861)).toMatch(/^1861/);
    const party = taskData(addresses, "party");
    expect(party.labels).toEqual(["Republican", "Democratic", "Democratic"]);
    expect(party.classes).toEqual(["Democratic", "Republican"]);
    expect(() => taskData(addresses, "genre")).toThrow(/task must be one of "era", "party", got "genre"/);
    expect(() => taskData([], "era")).toThrow(/addresses is empty/);
    expect(() => eraOf(1700)).toThrow(/year must be/);
  });
});
