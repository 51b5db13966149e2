import { describe, expect, it } from "vitest";
import { CHINCHILLA_GRID, CHINCHILLA_PUBLISHED, chinchillaLoss, chinchillaObjective, fitChinchilla } from "../../../kernel-lib/src/scaling/chinchilla";
import { computeOptimal, logSpace } from "../../../kernel-lib/src/scaling/compute";
import { makeRng } from "../../../kernel-lib/src/util/random";

/** Points from a known law on a grid of N and D, with multiplicative noise of `noise` (relative). */
function synthetic(law: { E: number; A: number; B: number; alpha: number; beta: number }, noise: number, seed: number) {
  const rng = makeRng(seed);
  const points = [];
  for (const N of logSpace(1e6, 1e9, 8)) {
    for (const D of logSpace(1e8, 1e11, 8)) {
      points.push({ N, D, loss: chinchillaLoss(law, N, D) * Math.exp(noise * rng.normal()) });
    }
  }
  return points;
}

describe("fitChinchilla", () => {
  it("uses the paper's grid of 4 500 starts", () => {
    const g = CHINCHILLA_GRID;
    expect(g.alpha).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(g.e).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(g.a).toEqual([0, 5, 10, 15, 20, 25]);
    expect(g.alpha.length * g.beta.length * g.e.length * g.a.length * g.b.length).toBe(4500);
  });

  it("recovers the published law from noiseless points", () => {
    const fit = fitChinchilla(synthetic(CHINCHILLA_PUBLISHED, 0, 1));
    expect(fit.starts).toBe(4500);
    expect(fit.E).toBeCloseTo(1.69, 3);
    expect(fit.alpha).toBeCloseTo(0.34, 3);
    expect(fit.beta).toBeCloseTo(0.28, 3);
    expect(fit.A / 406.4).toBeCloseTo(1, 2);
    expect(fit.B / 410.7).toBeCloseTo(1, 2);
  });

  it("recovers a different law within tolerance under 0.5 % noise", () => {
    const law = { E: 2.1, A: 900, B: 250, alpha: 0.45, beta: 0.3 };
    const fit = fitChinchilla(synthetic(law, 0.005, 2));
    expect(Math.abs(fit.E - law.E)).toBeLessThan(0.1);
    expect(Math.abs(fit.alpha - law.alpha)).toBeLessThan(0.05);
    expect(Math.abs(fit.beta - law.beta)).toBeLessThan(0.05);
    // Predictions matter more than parameters: within 1 % everywhere on the grid.
    for (const p of synthetic(law, 0, 3)) expect(Math.abs(chinchillaLoss(fit, p.N, p.D) / p.loss - 1)).toBeLessThan(0.01);
  });

  it("has an analytic gradient that matches finite differences", () => {
    const pts = synthetic({ E: 1.8, A: 300, B: 500, alpha: 0.3, beta: 0.35 }, 0.01, 4);
    const logN = Float64Array.from(pts, (p) => Math.log(p.N));
    const logD = Float64Array.from(pts, (p) => Math.log(p.D));
    const logL = Float64Array.from(pts, (p) => Math.log(p.loss));
    for (const delta of [1e-3, 10]) {
      const theta = Float64Array.from([5.5, 6.1, 0.4, 0.31, 0.33]);
      const grad = new Float64Array(5);
      chinchillaObjective(logN, logD, logL, delta, theta, grad);
      for (let j = 0; j < 5; j++) {
        const h = 1e-6;
        const tp = Float64Array.from(theta);
        const tm = Float64Array.from(theta);
        tp[j] += h;
        tm[j] -= h;
        const fd = (chinchillaObjective(logN, logD, logL, delta, tp) - chinchillaObjective(logN, logD, logL, delta, tm)) / (2 * h);
        expect(Math.abs(fd - grad[j])).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it("gives bootstrap intervals that contain the truth", () => {
    const law = { E: 1.9, A: 500, B: 400, alpha: 0.35, beta: 0.3 };
    const fit = fitChinchilla(synthetic(law, 0.003, 5), { bootstrap: 20, seed: 1, confidence: 0.95 });
    const iv = fit.intervals!;
    expect(iv.alpha[0]).toBeLessThanOrEqual(fit.alpha);
    expect(iv.alpha[1]).toBeGreaterThanOrEqual(fit.alpha);
    expect(iv.E[0]).toBeLessThan(law.E + 0.05);
    expect(iv.E[1]).toBeGreaterThan(law.E - 0.05);
  });

  it("rejects degenerate input with a message naming the problem", () => {
    const ok = synthetic(CHINCHILLA_PUBLISHED, 0, 1).slice(0, 6);
    expect(() => fitChinchilla(ok.slice(0, 4))).toThrow(/at least 5 points, got 4/);
    expect(() => fitChinchilla([...ok.slice(0, 5), { N: -1, D: 1e9, loss: 3 }])).toThrow(/point 5 has N = -1; it must be > 0/);
    expect(() => fitChinchilla([...ok.slice(0, 5), { N: 1e6, D: 0, loss: 3 }])).toThrow(/point 5 has D = 0/);
    expect(() => fitChinchilla([...ok.slice(0, 5), { N: 1e6, D: 1e9, loss: Number.NaN }])).toThrow(/point 5 has loss = NaN; it must be a finite number/);
  });
});

describe("computeOptimal", () => {
  it("reproduces Chinchilla's allocation: ≈ 20 tokens per parameter near 5.8e23 FLOPs", () => {
    // Approach 3's published law gives fewer tokens per parameter than approaches 1–2; for Chinchilla's
    // budget (70 B params × 1.4 T tokens ≈ 5.88e23) it allocates N ≈ 3e10–4e10.
    const p = computeOptimal(CHINCHILLA_PUBLISHED, 5.88e23);
    expect(p.N * p.D * 6).toBeCloseTo(5.88e23, -20);
    expect(p.N).toBeGreaterThan(2e10);
    expect(p.N).toBeLessThan(6e10);
  });

  it("is the minimum of the loss along the iso-compute line", () => {
    const law = { E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 };
    const C = 1e21;
    const opt = computeOptimal(law, C);
    for (const k of [0.5, 0.8, 1.25, 2]) {
      const N = opt.N * k;
      expect(chinchillaLoss(law, N, C / 6 / N)).toBeGreaterThan(opt.loss);
    }
  });

  it("rejects a budget or law without an optimum", () => {
    expect(() => computeOptimal(CHINCHILLA_PUBLISHED, 0)).toThrow(/C must be a finite number > 0, got 0/);
    expect(() => computeOptimal({ ...CHINCHILLA_PUBLISHED, alpha: 0 }, 1e20)).toThrow(/alpha > 0/);
  });
});
