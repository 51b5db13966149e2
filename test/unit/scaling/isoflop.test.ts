import { describe, expect, it, vi } from "vitest";
import { checkIsoFlopMinimum } from "../../../kernel-lib/src/lessons/05-scaling-laws/checkers";
import { CHINCHILLA_PUBLISHED, chinchillaLoss } from "../../../kernel-lib/src/scaling/chinchilla";
import { computeOptimal, logSpace } from "../../../kernel-lib/src/scaling/compute";
import { ISOFLOP_BUDGETS, SCALING_GRID } from "../../../kernel-lib/src/lessons/05-scaling-laws/presets";
import { buildIsoFlopGrid, fitIsoFlop, fitParabola, interpolateIsoFlop, isoFlopMinimum, isoFlopProfiles } from "../../../kernel-lib/src/scaling/isoflop";
import { makeRng } from "../../../kernel-lib/src/util/random";
import type { ScalingPoint } from "../../../kernel-lib/src/scaling/validate";

vi.spyOn(console, "log").mockImplementation(() => undefined);

const law = CHINCHILLA_PUBLISHED;
/** The published law's own exponent of N_opt: β / (α + β) = 0.4516. */
const trueA = law.beta / (law.alpha + law.beta);

/** IsoFLOP runs of the published law: `sizes` log-spaced N over ±`span` decades around each budget's optimum, with log-normal noise. */
function synthetic(budgets: number[], sizes: number, span: number, noise: number, seed: number): ScalingPoint[] {
  const rng = makeRng(seed);
  const out: ScalingPoint[] = [];
  for (const C of budgets) {
    const best = computeOptimal(law, C).N;
    for (const N of logSpace(best / 10 ** span, best * 10 ** span, sizes)) {
      const D = C / (6 * N);
      out.push({ N, D, loss: chinchillaLoss(law, N, D) * Math.exp(noise * rng.normal()) });
    }
  }
  return out;
}

describe("fitParabola", () => {
  it("recovers an exact parabola's coefficients, far from x = 0 too", () => {
    const x = [10, 11, 12.5, 13, 15];
    const p = fitParabola(
      x,
      x.map((v) => 3 - 0.4 * v + 0.02 * v * v),
    );
    expect(p.c0).toBeCloseTo(3, 9);
    expect(p.c1).toBeCloseTo(-0.4, 9);
    expect(p.c2).toBeCloseTo(0.02, 10);
  });
  it("is the least-squares fit: residuals are orthogonal to 1, x and x²", () => {
    const rng = makeRng(3);
    const x = Array.from({ length: 9 }, (_, i) => i + rng.next());
    const y = x.map(() => rng.normal());
    const { c0, c1, c2 } = fitParabola(x, y);
    const r = x.map((v, i) => y[i] - (c0 + c1 * v + c2 * v * v));
    for (const k of [0, 1, 2]) expect(Math.abs(r.reduce((s, e, i) => s + e * x[i] ** k, 0))).toBeLessThan(1e-9);
  });
  it("refuses fewer than three distinct x values", () => {
    expect(() => fitParabola([1, 2], [1, 2])).toThrow(/at least 3/);
    expect(() => fitParabola([1, 1, 2, 2], [1, 2, 3, 4])).toThrow(/3 distinct/);
  });
});

describe("isoFlopMinimum", () => {
  it("puts the vertex at exp(−c1 / 2c2) in ln N and says whether it is inside the sampled range", () => {
    const Ns = [1e3, 3e3, 1e4, 3e4, 1e5];
    const at = (logOpt: number) => ({ C: 6e12, points: Ns.map((N) => ({ N, D: 6e12 / 6 / N, loss: 2 + 0.1 * (Math.log(N) - logOpt) ** 2 })) });
    const inside = isoFlopMinimum(at(Math.log(5e3)));
    expect(inside.N).toBeCloseTo(5e3, 6);
    expect(inside.D).toBeCloseTo(6e12 / 6 / 5e3, 3);
    expect(inside.loss).toBeCloseTo(2, 10);
    expect(inside.bracketed).toBe(true);
    expect(inside.lowest.N).toBe(3e3);
    const outside = isoFlopMinimum(at(Math.log(100)));
    expect(outside.N).toBeCloseTo(100, 6);
    expect(outside.bracketed).toBe(false);
    const hill = isoFlopMinimum({ C: 1, points: Ns.map((N) => ({ N, D: 1, loss: 3 - 0.1 * (Math.log(N) - 8) ** 2 })) });
    expect(hill.curvature).toBeLessThan(0);
    expect(hill.bracketed).toBe(false);
  });
  it("needs three sizes", () => {
    expect(() => isoFlopMinimum({ C: 1, points: [{ N: 1, D: 1, loss: 1 }] })).toThrow(/needs 3/);
  });
});

describe("approach 2 recovers a known exponent", () => {
  const budgets = logSpace(1e18, 1e22, 5);
  it("from IsoFLOP runs of the published law (seed 1, 1 % noise): a ≈ β/(α+β), b = 1 − a", () => {
    const profiles = isoFlopProfiles(synthetic(budgets, 9, 0.8, 0.01, 1), budgets);
    expect(profiles.map((p) => p.points.length)).toEqual([9, 9, 9, 9, 9]);
    const fit = fitIsoFlop(profiles);
    expect(fit.used).toBe(5);
    expect(fit.minima.every((m) => m.bracketed)).toBe(true);
    expect(Math.abs(fit.a - trueA)).toBeLessThan(0.02);
    expect(fit.b).toBeCloseTo(1 - fit.a, 9);
    expect(fit.r2).toBeGreaterThan(0.99);
  });
  it("noise-free runs pin it tighter", () => {
    const fit = fitIsoFlop(isoFlopProfiles(synthetic(budgets, 9, 0.5, 0, 1), budgets));
    expect(Math.abs(fit.a - trueA)).toBeLessThan(0.005);
  });
  it("from a plain (N, D) grid interpolated at fixed C", () => {
    const grid: ScalingPoint[] = [];
    for (const N of logSpace(1e8, 1e11, 10)) for (const D of logSpace(1e9, 1e13, 17)) grid.push({ N, D, loss: chinchillaLoss(law, N, D) });
    const profiles = interpolateIsoFlop(grid, logSpace(1e19, 1e21, 3));
    expect(profiles.length).toBe(3);
    for (const p of profiles) for (const q of p.points) expect(q.loss / chinchillaLoss(law, q.N, q.D) - 1).toBeLessThan(2e-3);
    expect(Math.abs(fitIsoFlop(profiles).a - trueA)).toBeLessThan(0.03);
  });
  it("fitIsoFlop needs two valleys", () => {
    const hills = [1, 2].map((C) => ({ C, points: [1, 2, 3].map((N) => ({ N, D: 1, loss: -((N - 2) ** 2) })) }));
    expect(() => fitIsoFlop(hills)).toThrow(/a line needs 2/);
  });
});

describe("isoFlopProfiles and interpolateIsoFlop", () => {
  it("groups runs into bands around each budget and leaves empty budgets out", () => {
    const pts = [
      { N: 100, D: 1e6 / 6 / 100, loss: 3 },
      { N: 200, D: (1.02 * 1e6) / 6 / 200, loss: 2.9 },
      { N: 50, D: (1.2 * 1e6) / 6 / 50, loss: 2 },
    ];
    const profiles = isoFlopProfiles(pts, [1e6, 1e9]);
    expect(profiles).toHaveLength(1);
    expect(profiles[0].points.map((p) => p.N)).toEqual([100, 200]);
    expect(isoFlopProfiles(pts, [1e6], { tolerance: 0.25 })[0].points.map((p) => p.N)).toEqual([50, 100, 200]);
  });
  it("interpolates log loss linearly in log C and never extrapolates", () => {
    const pts = [
      { N: 10, D: 100, loss: 4 },
      { N: 10, D: 400, loss: 1 },
      { N: 30, D: 100, loss: 4 },
      { N: 30, D: 400, loss: 1 },
      { N: 40, D: 100, loss: 4 },
      { N: 40, D: 400, loss: 1 },
    ];
    const C = 6 * 10 * 200; // halfway (in log C) for N = 10; below the N = 20 and 40 families
    const [p] = interpolateIsoFlop(pts, [C], { minPoints: 1 });
    expect(p.points).toHaveLength(1);
    expect(p.points[0].loss).toBeCloseTo(2, 12);
    expect(p.points[0].D).toBeCloseTo(200, 9);
    expect(interpolateIsoFlop(pts, [C])).toHaveLength(0);
    expect(() => interpolateIsoFlop(pts, [])).toThrow(/budgets/);
  });
});

describe("the IsoFLOP sweep's grid", () => {
  it("puts every run within 1 % of its budget, ids unique", () => {
    const runs = buildIsoFlopGrid({ ...SCALING_GRID, budgets: ISOFLOP_BUDGETS, vocabSize: 99 });
    expect(runs).toHaveLength(ISOFLOP_BUDGETS.reduce((s, b) => s + b.shapes.length, 0));
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    for (const r of runs) {
      const C = 6 * r.config.steps * 16 * 32;
      expect(r.config.budget).toBeGreaterThan(0);
      expect(Number.isFinite(C)).toBe(true);
    }
  });
});

describe("checkIsoFlopMinimum", () => {
  const parabolaVertex = (x: number[], y: number[]) => {
    const { c1, c2 } = fitParabola(x, y);
    return -c1 / (2 * c2);
  };
  const right = (N: number[], L: number[]) => Math.exp(parabolaVertex(N.map(Math.log), L));
  it("passes the vertex in ln N, and the same vertex found in log10 N", () => {
    expect(checkIsoFlopMinimum(right)).toBeUndefined();
    expect(() => checkIsoFlopMinimum((N, L) => 10 ** parabolaVertex(N.map(Math.log10), L))).not.toThrow();
  });
  const wrong: [string, (N: number[], L: number[]) => number, RegExp][] = [
    ["a fit in N", (N, L) => parabolaVertex(N, L), /parabolas in log N/],
    [
      "a flipped sign",
      (N, L) => {
        const { c1, c2 } = fitParabola(N.map(Math.log), L);
        return Math.exp(c1 / (2 * c2));
      },
      /sign of the vertex/,
    ],
    ["ln N_opt", (N, L) => parabolaVertex(N.map(Math.log), L), /Math\.exp/],
    ["the lowest point", (N, L) => N[L.indexOf(Math.min(...L))], /lowest sampled point/],
    ["log10 then exp", (N, L) => Math.exp(parabolaVertex(N.map(Math.log10), L)), /10\^vertex/],
    ["ln then 10^", (N, L) => 10 ** parabolaVertex(N.map(Math.log), L), /not 10\^vertex/],
    [
      "the 2 missing",
      (N, L) => {
        const { c1, c2 } = fitParabola(N.map(Math.log), L);
        return Math.exp(-c1 / c2);
      },
      /the 2 is missing/,
    ],
  ];
  it.each(wrong)("names the likely cause of %s", (_name, fn, cause) => {
    expect(() => checkIsoFlopMinimum(fn)).toThrow(cause);
    expect(() => checkIsoFlopMinimum(fn)).toThrow(/case 1 of 12 .*expected .* got /);
  });
  it("says what to compute when no known mistake matches, and rejects a non-function", () => {
    expect(() => checkIsoFlopMinimum(() => 1234)).toThrow(/N_opt = exp\(−c1/);
    expect(() => checkIsoFlopMinimum(null as unknown as () => number)).toThrow(/pass your function/);
  });
});
