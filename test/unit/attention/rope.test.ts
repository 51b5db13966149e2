import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { applyRope, ropeAngles, ropePermutation, rotatePair, type RopePairing } from "../../../kernel-lib/src/attention";
import { maxAbsDiff, randn, useBackend } from "./helpers";

beforeAll(useBackend);

const PAIRINGS: RopePairing[] = ["interleaved", "half"];

/** ⟨rope(q at position m), rope(k at position n)⟩ for one q and one k vector. */
function rotatedDot(q: number[], k: number[], m: number, n: number, pairing: RopePairing, base: number): number {
  const d = q.length;
  return tf.tidy(() => {
    const rq = applyRope(tf.tensor4d(q, [1, 1, 1, d]), { offset: m, pairing, base });
    const rk = applyRope(tf.tensor4d(k, [1, 1, 1, d]), { offset: n, pairing, base });
    return rq.mul(rk).sum().dataSync()[0];
  });
}

describe("applyRope", () => {
  for (const pairing of PAIRINGS) {
    it(`${pairing}: the rotated q·k depends only on m − n (property)`, () => {
      const vec = fc.array(fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), { minLength: 8, maxLength: 8 });
      fc.assert(
        fc.property(
          vec,
          vec,
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 60 }),
          fc.constantFrom(100, 10000),
          (q, k, m, n, shift, base) => {
            const a = rotatedDot(q, k, m, n, pairing, base);
            const b = rotatedDot(q, k, m + shift, n + shift, pairing, base);
            expect(Math.abs(a - b)).toBeLessThan(1e-4 * (1 + Math.abs(a)));
          },
        ),
        { seed: 42, numRuns: 60 },
      );
    });

    it(`${pairing}: preserves norms and is the identity at position 0`, () => {
      const x = randn([2, 3, 6, 8], 1);
      const r = applyRope(x, { pairing });
      expect(maxAbsDiff(r.norm("euclidean", -1), x.norm("euclidean", -1))).toBeLessThan(1e-5);
      expect(maxAbsDiff(r.slice([0, 0, 0, 0], [2, 3, 1, 8]), x.slice([0, 0, 0, 0], [2, 3, 1, 8]))).toBeLessThan(1e-7);
    });

    it(`${pairing}: offset shifts positions (rope of a suffix = suffix of rope)`, () => {
      const x = randn([1, 2, 7, 4], 2);
      const full = applyRope(x, { pairing });
      const tail = applyRope(x.slice([0, 0, 4, 0], [1, 2, 3, 4]), { pairing, offset: 4 });
      expect(maxAbsDiff(tail, full.slice([0, 0, 4, 0], [1, 2, 3, 4]))).toBeLessThan(1e-6);
    });
  }

  it("the two pairings are the same rotation on permuted dimensions", () => {
    const d = 8;
    const perm = ropePermutation(d);
    expect(perm).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    const x = randn([2, 2, 5, d], 3);
    const idx = tf.tensor1d(perm, "int32");
    const viaInterleaved = tf.gather(applyRope(x, { pairing: "interleaved", offset: 2 }), idx, 3);
    const viaHalf = applyRope(tf.gather(x, idx, 3), { pairing: "half", offset: 2 });
    expect(maxAbsDiff(viaInterleaved, viaHalf)).toBeLessThan(1e-6);
  });

  it("rotates the first pair at position m by m radians (θ_0 = 1)", () => {
    const x = tf.tensor4d([1, 0, 0, 0], [1, 1, 1, 4]);
    const r = applyRope(x, { offset: 3 }).dataSync();
    const [cx, cy] = rotatePair(1, 0, 3);
    expect(r[0]).toBeCloseTo(cx, 6);
    expect(r[1]).toBeCloseTo(cy, 6);
    expect(ropeAngles(2, 4, { base: 100 })[1][1]).toBeCloseTo(0.1, 12);
  });

  it("errors name the shape for an odd head dimension and bad options", () => {
    expect(() => applyRope(randn([1, 2, 3, 5], 4))).toThrow(/even head dimension, got x of shape \[1,2,3,5\]/);
    expect(() => applyRope(randn([2, 3, 4], 4))).toThrow(/rank 4.*\[2,3,4\]/);
    expect(() => applyRope(randn([1, 1, 1, 2], 4), { pairing: "zip" as RopePairing })).toThrow(/pairing/);
    expect(() => applyRope(randn([1, 1, 1, 2], 4), { offset: -1 })).toThrow(/offset must be an integer >= 0, got -1/);
  });

  it("leaks no tensors", () => {
    const x = randn([1, 2, 4, 4], 5);
    const before = tf.memory().numTensors;
    for (const pairing of PAIRINGS) applyRope(x, { pairing }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
