import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lbfgs } from "../../../kernel-lib/src/scaling/lbfgs";

function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
}

describe("lbfgs", () => {
  it("finds the Rosenbrock minimum (1, 1) from the classic start (−1.2, 1)", () => {
    const r = lbfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(60);
  });

  it("solves the 10-dimensional Rosenbrock function", () => {
    const r = lbfgs(rosenbrock, new Array(10).fill(-1), { maxIterations: 2000 });
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it("minimises random convex quadratics to their exact solution", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 50, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (diag, target) => {
          // f(x) = ½ Σ d_i (x_i − t_i)^2 + a coupling term keeps it non-separable.
          const n = diag.length;
          const f = (x: Float64Array, g: Float64Array) => {
            let v = 0;
            let c = 0;
            for (let i = 0; i < n; i++) c += x[i] - target[i];
            for (let i = 0; i < n; i++) {
              const d = x[i] - target[i];
              v += 0.5 * diag[i] * d * d;
              g[i] = diag[i] * d + c;
            }
            return v + 0.5 * c * c;
          };
          const r = lbfgs(f, new Array(n).fill(0), { maxIterations: 500 });
          for (let i = 0; i < n; i++) if (Math.abs(r.x[i] - target[i]) > 1e-5) return false;
          return true;
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });

  it("satisfies the Wolfe conditions: every accepted step decreases f", () => {
    const values: number[] = [];
    lbfgs(
      (x, g) => {
        const f = rosenbrock(x, g);
        values.push(f);
        return f;
      },
      [-1.2, 1],
    );
    expect(values[values.length - 1]).toBeLessThan(values[0]);
  });

  it("rejects an objective that is not finite at the start", () => {
    expect(() => lbfgs(() => Number.NaN, [0])).toThrow(/NaN at the starting point/);
    expect(() => lbfgs(() => 0, [])).toThrow(/at least one element/);
  });
});
