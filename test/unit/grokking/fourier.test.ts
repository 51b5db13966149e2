import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fourierConcentration, fourierPower, gini, keyFrequencies, topKShare } from "../../../kernel-lib/src/grokking/fourier";
import { makeRng } from "../../../kernel-lib/src/util/random";

/** E `[p, d]` row-major from a function of (token, column). */
const table = (p: number, d: number, f: (t: number, j: number) => number) => Float64Array.from({ length: p * d }, (_, i) => f(Math.floor(i / d), i % d));

describe("fourierPower", () => {
  it("puts a cosine and a sine of frequency k into entry k alone", () => {
    const p = 13;
    const E = table(p, 2, (t, j) => (j === 0 ? Math.cos((2 * Math.PI * 4 * t) / p) : Math.sin((2 * Math.PI * 4 * t) / p)));
    const power = fourierPower(E, p, 2);
    expect(power).toHaveLength(7);
    // |X_4|² = |X_9|² = (p/2)² per column: 2 · 2 · (13/2)² in all.
    expect(power[4]).toBeCloseTo(2 * 2 * (p / 2) ** 2, 9);
    power.forEach((v, k) => k !== 4 && expect(v).toBeLessThan(1e-18));
    expect(keyFrequencies(power, 1)).toEqual([4]);
  });

  it("keeps DC at index 0 and an even p's Nyquist term single", () => {
    const E = table(4, 1, (t) => 1 + (t % 2 === 0 ? 1 : -1));
    fourierPower(E, 4, 1).forEach((v, k) => expect(v).toBeCloseTo([16, 0, 16][k], 9));
  });

  it("adds up to p · Σ E² (Parseval)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (p, d, seed) => {
        const rng = makeRng(seed);
        const E = table(p, d, () => rng.normal());
        const total = fourierPower(E, p, d).reduce((s, v) => s + v, 0);
        expect(total).toBeCloseTo(p * E.reduce((s, v) => s + v * v, 0), 6);
      }),
      { numRuns: 30 },
    );
    expect(() => fourierPower([1, 2, 3], 2, 2)).toThrow(/expected 2×2 = 4 numbers, got 3/);
  });
});

describe("concentration", () => {
  it("gini is 0 for equal values, (n − 1)/n for one non-zero value, and ignores order and scale", () => {
    expect(gini([2, 2, 2, 2])).toBe(0);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(0.75, 12);
    expect(gini([5, 1, 3])).toBeCloseTo(gini([30, 10, 50]), 12);
    expect(gini([])).toBe(0);
    expect(topKShare([1, 1, 2], 1)).toBeCloseTo(0.5, 12);
  });

  it("a random embedding is spread out, a few-frequency one concentrated", () => {
    const p = 53;
    const rng = makeRng(1);
    const spread = fourierConcentration(
      table(p, 64, () => rng.normal()),
      p,
      64,
    );
    const few = fourierConcentration(
      table(p, 64, (t, j) => Math.cos((2 * Math.PI * [3, 11, 20][j % 3] * t) / p + j)),
      p,
      64,
    );
    expect(spread.gini).toBeLessThan(0.2);
    expect(few.gini).toBeGreaterThan(0.88); // 3 of 26 frequencies hold everything: (26 − 3)/26 ≈ 0.885 when equal
    expect(few.top5).toBeCloseTo(1, 9);
  });
});
