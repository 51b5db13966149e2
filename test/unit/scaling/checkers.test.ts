import { describe, expect, it, vi } from "vitest";
import {
  checkChinchillaLoss,
  checkChinchillaObjective,
  checkHuber,
  checkObjectiveGradient,
  huberLoss,
  thetaLoss,
  type ChinchillaTheta,
} from "../../../kernel-lib/src/lessons/05-scaling-laws/checkers";
import { CHINCHILLA_PUBLISHED, chinchillaLoss } from "../../../kernel-lib/src/scaling/chinchilla";
import type { ScalingPoint } from "../../../kernel-lib/src/scaling/validate";

vi.spyOn(console, "log").mockImplementation(() => undefined);

/** What a learner writes: the law from θ = [a, b, e, α, β]. */
const lawOk = (t: ChinchillaTheta, N: number, D: number) => Math.exp(t[2]) + Math.exp(t[0]) / N ** t[3] + Math.exp(t[1]) / D ** t[4];

const huberOk = (r: number, d: number) => (Math.abs(r) <= d ? 0.5 * r * r : d * (Math.abs(r) - 0.5 * d));

/** A learner's objective with a pluggable residual and Huber, written with a stable log-sum-exp. */
function objectiveWith(residual: (logLhat: number, p: ScalingPoint) => number, huber = huberOk, reduce: "sum" | "mean" = "sum") {
  return (t: ChinchillaTheta, points: readonly ScalingPoint[], d: number) => {
    const [a, b, e, alpha, beta] = t;
    let total = 0;
    for (const p of points) {
      const x = [a - alpha * Math.log(p.N), b - beta * Math.log(p.D), e];
      const m = Math.max(...x);
      const logLhat = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
      total += huber(residual(logLhat, p), d);
    }
    return reduce === "sum" ? total : total / points.length;
  };
}
const logResidual = (logLhat: number, p: ScalingPoint) => logLhat - Math.log(p.loss);

describe("reference pieces", () => {
  it("thetaLoss is chinchillaLoss at E = e^e, A = e^a, B = e^b", () => {
    const f = CHINCHILLA_PUBLISHED;
    const t = [Math.log(f.A), Math.log(f.B), Math.log(f.E), f.alpha, f.beta];
    expect(thetaLoss(t, 70e9, 1.4e12)).toBeCloseTo(chinchillaLoss(f, 70e9, 1.4e12), 12);
  });
  it("huberLoss is continuous at ±δ with slope δ beyond", () => {
    expect(huberLoss(1e-3, 1e-3)).toBeCloseTo(5e-7, 15);
    expect(huberLoss(-1e-3 - 1e-9, 1e-3)).toBeCloseTo(5e-7 + 1e-12, 15);
    expect(huberLoss(-2, 1)).toBe(1.5);
  });
});

describe("checkChinchillaLoss", () => {
  it("passes a correct law", () => {
    expect(checkChinchillaLoss(lawOk)).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ your law matches chinchillaLoss on 40/));
  });
  const bugs: [string, (t: ChinchillaTheta, N: number, D: number) => number, RegExp][] = [
    ["10^a (log10)", (t, N, D) => 10 ** t[2] + 10 ** t[0] / N ** t[3] + 10 ** t[1] / D ** t[4], /10\^a instead of e\^a/],
    ["E = e, not e^e", (t, N, D) => t[2] + Math.exp(t[0]) / N ** t[3] + Math.exp(t[1]) / D ** t[4], /E is e\^e/],
    ["log L returned", (t, N, D) => Math.log(lawOk(t, N, D)), /returned log L/],
    ["multiplies by N^α", (t, N, D) => Math.exp(t[2]) + Math.exp(t[0]) * N ** t[3] + Math.exp(t[1]) * D ** t[4], /the law divides/],
    ["α, β swapped", (t, N, D) => Math.exp(t[2]) + Math.exp(t[0]) / N ** t[4] + Math.exp(t[1]) / D ** t[3], /α and β swapped/],
    ["N, D swapped", (t, N, D) => lawOk(t, D, N), /N and D swapped/],
    ["E missing", (t, N, D) => Math.exp(t[0]) / N ** t[3] + Math.exp(t[1]) / D ** t[4], /irreducible loss E is missing/],
    ["θ order", (t, N, D) => Math.exp(t[0]) + Math.exp(t[1]) / N ** t[3] + Math.exp(t[2]) / D ** t[4], /wrong order/],
  ];
  for (const [name, fn, cause] of bugs) {
    it(`names the cause: ${name}`, () => {
      expect(() => checkChinchillaLoss(fn)).toThrow(cause);
      expect(() => checkChinchillaLoss(fn)).toThrow(/wrong at case 1 of 40 \(θ = \[.*\], N = .*\): expected .*, got /);
    });
  }
  it("falls back to the formula for an unknown mistake and rejects non-numbers", () => {
    expect(() => checkChinchillaLoss((t, N, D) => lawOk(t, N, D) * 1.01)).toThrow(/check: L = exp\(e\)/);
    expect(() => checkChinchillaLoss((() => "2") as unknown as (t: ChinchillaTheta, N: number, D: number) => number)).toThrow(/returned string/);
    expect(() => checkChinchillaLoss(undefined as unknown as (t: ChinchillaTheta, N: number, D: number) => number)).toThrow(/pass your function/);
  });
});

describe("checkHuber", () => {
  it("passes a correct Huber loss", () => {
    expect(checkHuber(huberOk)).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ your huber matches/));
  });
  const bugs: [string, (r: number, d: number) => number, RegExp][] = [
    ["quadratic branch without 1/2", (r, d) => (Math.abs(r) <= d ? r * r : d * (Math.abs(r) - 0.5 * d)), /missing the 1\/2/],
    ["linear branch without −δ/2", (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : d * Math.abs(r)), /missing −δ\/2/],
    ["linear branch not scaled by δ", (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : Math.abs(r) - 0.5 * d), /scaled by δ/],
    ["condition without |r|", (r, d) => (r <= d ? 0.5 * r * r : d * (r - 0.5 * d)), /compare \|r\| with δ/],
    ["value without |r|", (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : d * (r - 0.5 * d)), /use \|r\| in the linear branch/],
    ["squared loss", (r) => 0.5 * r * r, /squared loss/],
    ["absolute loss", (r) => Math.abs(r), /absolute loss/],
  ];
  for (const [name, fn, cause] of bugs) {
    it(`names the cause: ${name}`, () => {
      expect(() => checkHuber(fn)).toThrow(cause);
      expect(() => checkHuber(fn)).toThrow(/your huber is wrong at case \d+ of \d+ \(r = .*, δ = .*\): expected .*, got /);
    });
  }
});

describe("checkChinchillaObjective", () => {
  it("passes a correct objective", () => {
    expect(checkChinchillaObjective(objectiveWith(logResidual))).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ your objective matches chinchillaObjective on 12/));
  });
  const halfless = (r: number, d: number) => (Math.abs(r) <= d ? r * r : d * (Math.abs(r) - 0.5 * d));
  const bugs: [string, ReturnType<typeof objectiveWith>, RegExp][] = [
    ["linear residual", objectiveWith((l, p) => Math.exp(l) - p.loss), /linear residual/],
    ["log10", objectiveWith((l, p) => l / Math.LN10 - Math.log10(p.loss)), /log10 of the losses/],
    [
      "10^a in the law",
      (t, ps, d) => ps.reduce((s, p) => s + huberOk(Math.log(10 ** t[2] + 10 ** t[0] / p.N ** t[3] + 10 ** t[1] / p.D ** t[4]) - Math.log(p.loss), d), 0),
      /10\^a instead of e\^a/,
    ],
    ["Huber without 1/2", objectiveWith(logResidual, halfless), /quadratic branch is missing the 1\/2/],
    ["Huber without −δ/2", objectiveWith(logResidual, (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : d * Math.abs(r))), /linear branch is missing −δ\/2/],
    ["squared residuals", objectiveWith(logResidual, (r) => 0.5 * r * r), /squared residuals everywhere/],
    ["mean", objectiveWith(logResidual, huberOk, "mean"), /a mean, not a sum/],
    ["E left out", (t, ps, d) => objectiveWith(logResidual)([t[0], t[1], -800, t[3], t[4]], ps, d), /must include E/],
  ];
  for (const [name, fn, cause] of bugs) {
    it(`names the cause: ${name}`, () => {
      expect(() => checkChinchillaObjective(fn)).toThrow(cause);
      expect(() => checkChinchillaObjective(fn)).toThrow(/your objective is wrong at case \d+ of 12 \(θ = .*, \d+ points, δ = .*\): expected .*, got /);
    });
  }
});

describe("checkObjectiveGradient", () => {
  /** What a learner writes: h = Huber′(r), w = softmax(z), each run adds h·[w0, w1, w2, −w0 ln N, −w1 ln D]. */
  const gradientWith =
    (o: { slope?: (r: number, d: number) => number; ones?: boolean; sign?: number; log?: (x: number) => number; mean?: boolean } = {}) =>
    (t: ChinchillaTheta, points: ScalingPoint[], d: number): number[] => {
      const [a, b, e, alpha, beta] = t;
      const g = [0, 0, 0, 0, 0];
      for (const p of points) {
        const z = [a - alpha * Math.log(p.N), b - beta * Math.log(p.D), e];
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
        const w = o.ones ? [1, 1, 1] : z.map((v) => Math.exp(v - lse));
        const r = lse - Math.log(p.loss);
        const h = o.slope ? o.slope(r, d) : Math.max(-d, Math.min(d, r));
        const log = o.log ?? Math.log;
        const sign = o.sign ?? -1;
        const add = [h * w[0], h * w[1], h * w[2], sign * h * w[0] * log(p.N), sign * h * w[1] * log(p.D)];
        add.forEach((v, k) => {
          g[k] += v;
        });
      }
      return o.mean ? g.map((v) => v / points.length) : g;
    };
  it("passes the exact gradient", () => {
    expect(checkObjectiveGradient(gradientWith())).toBeUndefined();
  });
  it.each([
    ["no clamp", gradientWith({ slope: (r) => r }), /clamp\(r, −δ, δ\)/],
    ["±δ everywhere", gradientWith({ slope: (r, d) => Math.sign(r) * d }), /inside ±δ/],
    ["no softmax", gradientWith({ ones: true }), /softmax weight/],
    ["wrong sign on α, β", gradientWith({ sign: 1 }), /minus sign/],
    ["log10", gradientWith({ log: Math.log10 }), /not log10/],
    ["a mean", gradientWith({ mean: true }), /a mean, not a sum/],
  ] as const)("names the likely cause: %s", (_name, fn, cause) => {
    expect(() => checkObjectiveGradient(fn)).toThrow(cause);
    expect(() => checkObjectiveGradient(fn)).toThrow(/element \d \(∂f\/∂\S+\): expected .* got /);
  });
  it("rejects a wrong shape and says what to compute when no mistake matches", () => {
    expect(() => checkObjectiveGradient(() => [1, 2])).toThrow(/not 5 numbers/);
    expect(() => checkObjectiveGradient(() => [1, 2, 3, 4, 5])).toThrow(/each run adds h·/);
  });
});
