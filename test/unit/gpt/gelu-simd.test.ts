import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { geluSimd, geluSimdAvailable } from "../../../kernel-lib/src/gpt/gelu-simd";
import { erfApprox, gelu } from "../../../kernel-lib/src/gpt/ops";
import { useWasm } from "./backend";

beforeAll(useWasm);

/** The JavaScript reference: value and derivative with the same erf formula. */
function reference(v: number): { y: number; d: number } {
  const cdf = 0.5 * (1 + erfApprox(v * Math.SQRT1_2));
  return { y: v * cdf, d: cdf + (v * Math.exp(-v * v / 2)) / Math.sqrt(2 * Math.PI) };
}

describe("GELU as a WebAssembly SIMD kernel", () => {
  it("is available here (Node ≥ 16 has WebAssembly SIMD)", () => {
    expect(geluSimdAvailable()).toBe(true);
  });

  it("matches the JavaScript loop on a grid from −100 to 100, including 0, −0 and tiny values", () => {
    const xs = [0, -0, 1e-8, -1e-8, 100, -100, 9, -9, 13.5, -13.5, 87, -87];
    for (let v = -8; v <= 8; v += 1 / 64) xs.push(v);
    while (xs.length % 4) xs.push(0.25);
    const x = Float32Array.from(xs);
    const r = geluSimd(x)!;
    for (let i = 0; i < x.length; i++) {
      const ref = reference(x[i]);
      expect(Math.abs(r.y[i] - ref.y)).toBeLessThan(1e-6 * (1 + Math.abs(ref.y)));
      expect(Math.abs(r.d[i] - ref.d)).toBeLessThan(1e-6);
    }
    expect(Object.is(r.y[0], 0)).toBe(true);
  });

  it("property: agrees with the reference for any float32 input (fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -40, max: 40, noNaN: true }), { minLength: 1, maxLength: 64 }), (vals) => {
        const padded = [...vals];
        while (padded.length % 4) padded.push(0);
        const x = Float32Array.from(padded);
        const r = geluSimd(x)!;
        for (let i = 0; i < x.length; i++) {
          const ref = reference(x[i]);
          if (Math.abs(r.y[i] - ref.y) > 1e-6 * (1 + Math.abs(ref.y)) || Math.abs(r.d[i] - ref.d) > 1e-6) return false;
        }
        return true;
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it("refuses lengths that are not a multiple of 4 (the op falls back to the loop)", () => {
    expect(geluSimd(new Float32Array(5))).toBeNull();
  });

  it("the gelu op gives the same values and gradient on both paths", () => {
    // 8 elements take the SIMD path, the same values plus one take the JavaScript loop.
    const vals = [-3, -1.5, -0.2, 0, 0.3, 1, 2.5, 6];
    const simdPath = tf.tensor1d(vals);
    const loopPath = tf.tensor1d([...vals, 0]);
    const g = (t: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(gelu(u), tf.range(1, u.size + 1))))(t);
    const a = gelu(simdPath).dataSync();
    const b = gelu(loopPath).dataSync();
    const ga = g(simdPath).dataSync();
    const gb = g(loopPath).dataSync();
    for (let i = 0; i < vals.length; i++) {
      expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
      expect(Math.abs(ga[i] - gb[i])).toBeLessThan(1e-5);
    }
  });
});
