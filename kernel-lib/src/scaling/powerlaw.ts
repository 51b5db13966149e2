/**
 * Single-variable power laws, as in Kaplan et al. 2020:
 *
 *     L(X) = (Xc / X)^α             (no floor)
 *     L(X) = E + a · X^(−α)         (with an irreducible loss E)
 *
 * The first is a straight line in log-log space: log L = α·log Xc − α·log X.
 */
import { lbfgs } from "./lbfgs";
import { validateXY } from "./validate";
import { centredSums } from "../util/stats";

export interface PowerLawFit {
  /** Exponent α. */
  alpha: number;
  /** Scale Xc: L = (Xc / X)^α. */
  xc: number;
  /** Residual sum of squares of log L. */
  rss: number;
  method: "loglog" | "nls";
}

export interface OffsetPowerLawFit {
  /** Irreducible loss. */
  E: number;
  a: number;
  alpha: number;
  /** Residual sum of squares of log L. */
  rss: number;
}

/** Evaluate a fitted law at x. */
export function powerLaw(fit: Pick<PowerLawFit, "alpha" | "xc">, x: number): number {
  return (fit.xc / x) ** fit.alpha;
}

/** Evaluate a fitted law with offset at x. */
export function offsetPowerLaw(fit: Pick<OffsetPowerLawFit, "E" | "a" | "alpha">, x: number): number {
  return fit.E + fit.a * x ** -fit.alpha;
}

/** Ordinary least squares y = intercept + slope·x. */
export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number; r2: number } {
  const { meanX, meanY, sxy, sxx, syy } = centredSums(x, y);
  if (sxx === 0) throw new RangeError("linearRegression: all x values are equal; a slope is undefined");
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  return { slope, intercept, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/**
 * Fit L = (Xc/X)^α. `loglog` (default) regresses log L on log X; `nls` minimises squared errors of
 * L itself (which weights the large-loss points more), started from the log-log solution.
 */
export function fitPowerLaw(x: readonly number[], y: readonly number[], options: { method?: "loglog" | "nls" } = {}): PowerLawFit {
  validateXY(x, y, 2, "fitPowerLaw");
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const { slope, intercept } = linearRegression(lx, ly);
  let alpha = -slope;
  let logXc = alpha !== 0 ? intercept / alpha : 0;
  const method = options.method ?? "loglog";
  if (method === "nls") {
    // Parameters θ = [α, α·log Xc] keep the model linear in its second parameter.
    const r = lbfgs(
      (t, g) => {
        let f = 0;
        g[0] = 0;
        g[1] = 0;
        for (let i = 0; i < x.length; i++) {
          const pred = Math.exp(t[1] - t[0] * lx[i]);
          const res = pred - y[i];
          f += res * res;
          g[0] += 2 * res * pred * -lx[i];
          g[1] += 2 * res * pred;
        }
        return f;
      },
      [alpha, intercept],
      { maxIterations: 1000 },
    );
    alpha = r.x[0];
    logXc = alpha !== 0 ? r.x[1] / alpha : 0;
  } else if (method !== "loglog") {
    throw new RangeError(`fitPowerLaw: method must be "loglog" or "nls", got ${JSON.stringify(method)}`);
  }
  let rss = 0;
  for (let i = 0; i < x.length; i++) rss += (ly[i] - alpha * (logXc - lx[i])) ** 2;
  return { alpha, xc: Math.exp(logXc), rss, method };
}

/**
 * Fit L = E + a·X^(−α) by nonlinear least squares on log L (L-BFGS over log E, log a, α), from a
 * small grid of starts. Needs at least 4 points.
 */
export function fitOffsetPowerLaw(x: readonly number[], y: readonly number[]): OffsetPowerLawFit {
  validateXY(x, y, 4, "fitOffsetPowerLaw");
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const minY = Math.min(...y);
  const objective = (t: Float64Array, g: Float64Array): number => {
    const E = Math.exp(t[0]);
    const a = Math.exp(t[1]);
    const alpha = t[2];
    let f = 0;
    g[0] = 0;
    g[1] = 0;
    g[2] = 0;
    for (let i = 0; i < lx.length; i++) {
      const term = a * Math.exp(-alpha * lx[i]);
      const pred = E + term;
      const res = Math.log(pred) - ly[i];
      f += res * res;
      const w = (2 * res) / pred;
      g[0] += w * E;
      g[1] += w * term;
      g[2] += w * term * -lx[i];
    }
    return f;
  };
  let best: { f: number; x: Float64Array } | null = null;
  for (const frac of [0.1, 0.5, 0.9]) {
    for (const alpha of [0.1, 0.3, 0.6, 1]) {
      const E0 = Math.log(minY * frac);
      const a0 = Math.log(Math.max(minY * (1 - frac), 1e-12)) + alpha * Math.max(...lx);
      const r = lbfgs(objective, [E0, a0, alpha], { maxIterations: 1000 });
      if (Number.isFinite(r.f) && (best === null || r.f < best.f)) best = { f: r.f, x: r.x };
    }
  }
  if (best === null) throw new Error("fitOffsetPowerLaw: no start converged");
  return { E: Math.exp(best.x[0]), a: Math.exp(best.x[1]), alpha: best.x[2], rss: best.f };
}
