import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { matrixRows, sgnsStep, sigmoid, tableSigmoid, trainSkipGramReference } from "../../../kernel-lib/src/word2vec/reference";
import { trainSkipGram, trainSkipGramSync } from "../../../kernel-lib/src/word2vec/train";
import { neighbourOverlap } from "../../../kernel-lib/src/lessons/02-word2vec/lesson";
import { GROUPS, topicCorpus } from "./topic-corpus";

const corpus = topicCorpus(400);
const base = { dim: 16, window: 3, negative: 5, sample: 1e-2, minCount: 1, epochs: 3, seed: 5 };

function randomRows(rng: ReturnType<typeof makeRng>, n: number, dim: number, scale = 0.5): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => (rng.next() * 2 - 1) * scale));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** ℓ = log σ(u·v) + Σ log σ(−u·vₙ) in double precision. */
function objective(u: number[], v: number[], negs: number[][]): number {
  const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0);
  return Math.log(sigmoid(dot(u, v))) + negs.reduce((s, n) => s + Math.log(sigmoid(-dot(u, n))), 0);
}

describe("sgnsStep: the reference update", () => {
  it("moves every vector by lr × the gradient of log σ(u·v) + Σ log σ(−u·vₙ) (finite differences)", () => {
    const rng = makeRng(3);
    const dim = 6;
    const wIn = randomRows(rng, 5, dim);
    const wOut = randomRows(rng, 5, dim);
    const centre = 1;
    const context = 2;
    const negatives = [0, 3, 4];
    const lr = 1e-3;
    const before = { u: Array.from(wIn[centre]), v: Array.from(wOut[context]), n: negatives.map((i) => Array.from(wOut[i])) };
    const loss = sgnsStep(wIn, wOut, centre, context, negatives, lr);
    expect(loss).toBeCloseTo(-objective(before.u, before.v, before.n), 5);
    const h = 1e-6;
    const numGrad = (bump: (d: number, j: number) => number) => Array.from({ length: dim }, (_, j) => (bump(h, j) - bump(-h, j)) / (2 * h));
    const gradU = numGrad((d, j) =>
      objective(
        before.u.map((x, i) => (i === j ? x + d : x)),
        before.v,
        before.n,
      ),
    );
    const gradV = numGrad((d, j) =>
      objective(
        before.u,
        before.v.map((x, i) => (i === j ? x + d : x)),
        before.n,
      ),
    );
    const gradN0 = numGrad((d, j) =>
      objective(
        before.u,
        before.v,
        before.n.map((n, k) => (k === 0 ? n.map((x, i) => (i === j ? x + d : x)) : n)),
      ),
    );
    for (let j = 0; j < dim; j++) {
      expect(wIn[centre][j] - before.u[j]).toBeCloseTo(lr * gradU[j], 7);
      expect(wOut[context][j] - before.v[j]).toBeCloseTo(lr * gradV[j], 7);
      expect(wOut[negatives[0]][j] - before.n[0][j]).toBeCloseTo(lr * gradN0[j], 7);
    }
  });

  it("leaves rows that take no part untouched, and matrixRows are views", () => {
    const m = new Float32Array(12).fill(0.1);
    const rows = matrixRows(m, 3);
    expect(rows.length).toBe(4);
    rows[2][1] = 5;
    expect(m[7]).toBe(5);
    const out = matrixRows(new Float32Array(12).fill(0.2), 3);
    sgnsStep(rows, out, 0, 1, [2], 0.5);
    expect(Array.from(rows[3])).toEqual(Array.from(rows[3]).map(() => Math.fround(0.1)));
    expect(Array.from(out[3])).toEqual([0.2, 0.2, 0.2].map(Math.fround));
  });
});

describe("the fast kernels against the reference loop", () => {
  const sigma = tableSigmoid();
  it("table σ is word2vec.c's: 0 and 1 beyond ±6, close to σ inside", () => {
    expect(sigma(7)).toBe(1);
    expect(sigma(-6)).toBe(0);
    for (const x of [-5.9, -1, 0, 0.3, 5.9]) expect(Math.abs(sigma(x) - sigmoid(x))).toBeLessThan(0.01);
  });

  // Measured max |difference|: 8.8e-6 (SIMD: f32 lanes round the dot products differently), 0 (JavaScript).
  // dim 20 runs the SIMD loops' 16-float steps and their 4-float remainder.
  for (const [dim, kernel, tol] of [
    [16, "WebAssembly SIMD", 1e-4],
    [20, "WebAssembly SIMD", 1e-4],
    [10, "JavaScript", 1e-6],
  ] as const) {
    it(`${kernel} kernel (dim ${dim}) gives the reference loop's vectors`, () => {
      const o = { ...base, dim };
      const fast = trainSkipGramSync(corpus, o);
      const ref = trainSkipGramReference(corpus, o, sigma);
      const d = Math.max(maxDiff(fast.vectors, ref.vectors), maxDiff(fast.output!, ref.output!));
      // The loops draw the same pairs and negatives; only float rounding differs.
      expect(d).toBeLessThan(tol);
      expect(fast.stats.keptWords).toBe(ref.stats.keptWords);
      expect(Math.abs(fast.stats.finalLoss - ref.stats.finalLoss)).toBeLessThan(0.01);
    });
  }

  it("with the exact σ the reference learns the same neighbours", () => {
    const fast = trainSkipGramSync(corpus, base);
    const ref = trainSkipGramReference(corpus, base);
    for (const w of ["cat", "red", "one"]) expect(neighbourOverlap(fast, ref, w, 5)).toBe(1);
  });
});

const worker = path.resolve(__dirname, "../../../kernel-lib/dist/word2vec/worker.js");
describe.skipIf(!fs.existsSync(worker))("threaded (Hogwild) training against the reference", () => {
  it("finds the reference's neighbours with 2 threads", async () => {
    const ref = trainSkipGramReference(corpus, base);
    const two = await trainSkipGram(corpus, { ...base, threads: 2 });
    for (const g of Object.values(GROUPS)) {
      expect(neighbourOverlap(two, ref, g[0], 5)).toBe(1);
    }
  });
});
