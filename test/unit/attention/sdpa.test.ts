import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { causalMask, causalMaskArray, paddingMask, repeatKv, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { maxAbsDiff, randn, useBackend } from "./helpers";

beforeAll(useBackend);

/** softmax(q kᵀ/√d) v for one head in plain JS, with an optional allowed(i, j). */
function naive(q: number[][], k: number[][], v: number[][], allowed: (i: number, j: number) => boolean) {
  const d = q[0].length;
  return q.map((qi, i) => {
    const s = k.map((kj, j) => (allowed(i, j) ? qi.reduce((acc, x, t) => acc + x * kj[t], 0) / Math.sqrt(d) : -Infinity));
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    const w = e.map((x) => x / z);
    return v[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * v[j][c], 0));
  });
}

describe("scaledDotProductAttention", () => {
  it("matches a plain-JS reference, causal with lq < lk (bottom-right)", () => {
    const q = randn([1, 1, 3, 4], 1);
    const k = randn([1, 1, 6, 4], 2);
    const v = randn([1, 1, 6, 3], 3);
    const out = scaledDotProductAttention(q, k, v, { causal: true }).output;
    const ref = naive(
      (q.arraySync() as number[][][][])[0][0],
      (k.arraySync() as number[][][][])[0][0],
      (v.arraySync() as number[][][][])[0][0],
      (i, j) => j <= i + 3,
    );
    expect(out.shape).toEqual([1, 1, 3, 3]);
    expect(maxAbsDiff(out, ref.flat())).toBeLessThan(1e-5);
  });

  it("weights: rows sum to 1, zero above the bottom-right diagonal", () => {
    const q = randn([2, 3, 4, 8], 4);
    const k = randn([2, 3, 7, 8], 5);
    const r = scaledDotProductAttention(q, k, randn([2, 3, 7, 8], 6), { causal: true, returnWeights: true });
    const w = r.weights!.arraySync() as number[][][][];
    for (const batch of w)
      for (const head of batch)
        head.forEach((row, i) => {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          row.forEach((x, j) => (j > i + 3 ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0)));
        });
  });

  it("omits weights unless asked", () => {
    const x = randn([1, 1, 2, 2], 7);
    expect(scaledDotProductAttention(x, x, x).weights).toBeUndefined();
  });

  it("grouped-query attention equals MHA on repeated kv heads (head h reads kv head floor(h / group))", () => {
    const q = randn([2, 6, 5, 4], 8);
    const k = randn([2, 2, 5, 4], 9);
    const v = randn([2, 2, 5, 4], 10);
    const gqa = scaledDotProductAttention(q, k, v, { causal: true }).output;
    const mha = scaledDotProductAttention(q, repeatKv(k as tf.Tensor4D, 3), repeatKv(v as tf.Tensor4D, 3), { causal: true }).output;
    expect(maxAbsDiff(gqa, mha)).toBeLessThan(1e-6);
    const rep = repeatKv(k as tf.Tensor4D, 3);
    // heads 0,1,2 are copies of kv head 0; heads 3,4,5 of kv head 1
    expect(maxAbsDiff(rep.slice([0, 4, 0, 0], [2, 1, 5, 4]), k.slice([0, 1, 0, 0], [2, 1, 5, 4]))).toBe(0);
  });

  it("a boolean mask combines with the causal mask and broadcasts", () => {
    const x = randn([2, 2, 4, 4], 11);
    const pad = paddingMask([4, 2], 4);
    const w = scaledDotProductAttention(x, x, x, { causal: true, mask: pad, returnWeights: true }).weights!.arraySync() as number[][][][];
    expect(w[1][0][3][2]).toBe(0);
    expect(w[1][0][3][3]).toBe(0);
    expect(w[1][1][3][0] + w[1][1][3][1]).toBeCloseTo(1, 5);
    expect(w[0][0][0][1]).toBe(0); // causal
    expect(w[0][0][3][3]).toBeGreaterThan(0);
  });

  it("explicit causal mask equals the causal flag", () => {
    const q = randn([1, 2, 3, 4], 12);
    const k = randn([1, 2, 5, 4], 13);
    const a = scaledDotProductAttention(q, k, k, { causal: true }).output;
    const b = scaledDotProductAttention(q, k, k, { mask: causalMask(3, 5) }).output;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    expect(causalMaskArray(2, 3)).toEqual([
      [true, true, false],
      [true, true, true],
    ]);
  });

  it("a row with nothing to attend to gives finite numbers, never NaN", () => {
    const x = randn([1, 1, 2, 2], 14);
    const none = tf.tensor4d([false, false], [1, 1, 1, 2], "bool");
    const out = scaledDotProductAttention(x, x, x, { mask: none }).output;
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("errors name the shapes", () => {
    const q = randn([1, 4, 3, 8], 15);
    expect(() => scaledDotProductAttention(q, randn([1, 3, 3, 8], 1), randn([1, 3, 3, 8], 1))).toThrow(
      /q heads \(4\) must be a multiple of k\/v heads \(3\).*\[1,4,3,8\]/,
    );
    expect(() => scaledDotProductAttention(q, randn([1, 4, 3, 6], 1), randn([1, 4, 3, 8], 1))).toThrow(/head dimensions differ: q \[1,4,3,8\], k \[1,4,3,6\]/);
    expect(() => scaledDotProductAttention(q, randn([1, 4, 3, 8], 1), randn([1, 4, 2, 8], 1))).toThrow(/same heads and length/);
    expect(() => scaledDotProductAttention(q, randn([2, 4, 3, 8], 1), randn([2, 4, 3, 8], 1))).toThrow(/batch sizes differ/);
    expect(() => scaledDotProductAttention(randn([4, 3, 8], 1), q, q)).toThrow(/q must be rank 4.*\[4,3,8\]/);
    expect(() => scaledDotProductAttention(q, randn([1, 4, 2, 8], 1), randn([1, 4, 2, 8], 1), { causal: true })).toThrow(/lq <= lk/);
    expect(() => scaledDotProductAttention(q, q, q, { mask: tf.ones([3, 3]) })).toThrow(/bool/);
    expect(() => scaledDotProductAttention(q, q, q, { mask: tf.ones([2, 3], "bool") })).toThrow(/mask of shape \[2,3\] does not broadcast to \[1,4,3,3\]/);
  });

  it("dropout: seeded, zero rows stay normalised in expectation, off by default", () => {
    const x = randn([1, 2, 8, 4], 16);
    const a = scaledDotProductAttention(x, x, x, { dropout: 0.5, dropoutSeed: 3 }).output;
    const b = scaledDotProductAttention(x, x, x, { dropout: 0.5, dropoutSeed: 3 }).output;
    const c = scaledDotProductAttention(x, x, x).output;
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
    expect(() => scaledDotProductAttention(x, x, x, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });

  it("leaks no tensors", () => {
    const x = randn([1, 2, 4, 4], 17);
    const k = randn([1, 1, 4, 4], 18);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = scaledDotProductAttention(x, k, k, { causal: true, returnWeights: true, mask: causalMask(4, 4) });
      r.output.dispose();
      r.weights!.dispose();
    }
    // causalMask(4, 4) made one tensor per call above
    expect(tf.memory().numTensors - before).toBe(3);
  });
});
