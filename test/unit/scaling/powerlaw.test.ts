import { describe, expect, it } from "vitest";
import { fitOffsetPowerLaw, fitPowerLaw, linearRegression, offsetPowerLaw, powerLaw } from "../../../kernel-lib/src/scaling/powerlaw";
import { logSpace } from "../../../kernel-lib/src/scaling/compute";
import { makeRng } from "../../../kernel-lib/src/util/random";

describe("power laws", () => {
  it("linearRegression is exact on a line", () => {
    const r = linearRegression([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(r.slope).toBeCloseTo(2, 12);
    expect(r.intercept).toBeCloseTo(1, 12);
    expect(r.r2).toBeCloseTo(1, 12);
  });

  it("recovers Kaplan's N law (αN = 0.076, Nc = 8.8e13) by both methods", () => {
    const law = { alpha: 0.076, xc: 8.8e13 };
    const x = logSpace(1e5, 1e9, 12);
    const rng = makeRng(3);
    const y = x.map((v) => powerLaw(law, v) * Math.exp(0.002 * rng.normal()));
    for (const method of ["loglog", "nls"] as const) {
      const fit = fitPowerLaw(x, y, { method });
      expect(fit.alpha).toBeCloseTo(0.076, 2);
      expect(Math.abs(Math.log10(fit.xc) - Math.log10(8.8e13))).toBeLessThan(0.5);
    }
  });

  it("recovers a law with an irreducible term", () => {
    const law = { E: 1.5, a: 40, alpha: 0.3 };
    const x = logSpace(1e4, 1e8, 10);
    const fit = fitOffsetPowerLaw(
      x,
      x.map((v) => offsetPowerLaw(law, v)),
    );
    expect(fit.E).toBeCloseTo(1.5, 3);
    expect(fit.alpha).toBeCloseTo(0.3, 3);
    expect(fit.a / 40).toBeCloseTo(1, 2);
  });

  it("names the bad input", () => {
    expect(() => fitPowerLaw([1, 2], [1])).toThrow(/x has 2 values but y has 1/);
    expect(() => fitPowerLaw([1, 0], [1, 2])).toThrow(/x\[1\] = 0/);
    expect(() => fitOffsetPowerLaw([1, 2, 3], [3, 2, 1])).toThrow(/at least 4 points, got 3/);
    expect(() => fitPowerLaw([1, 2], [1, 2], { method: "magic" as never })).toThrow(/method must be/);
  });
});
