/**
 * Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models"), approach 3:
 *
 *     L(N, D) = E + A / N^α + B / D^β
 *
 * fitted in log space. With a = log A, b = log B, e = log E the model's log-loss is
 * LSE(a − α·log N, b − β·log D, e), and the fit minimises Σ Huber_δ(LSE(…) − log L) with δ = 1e-3
 * by L-BFGS, from every point of the paper's grid of starts, keeping the best.
 */
import { lbfgs } from "./lbfgs";
import { makeRng } from "../util/random";
import { type ScalingPoint, validatePoints } from "./validate";

export interface ChinchillaFit {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
  /** The minimised sum of Huber losses. */
  objective: number;
}

export interface ChinchillaOptions {
  /** Huber threshold δ (default 1e-3, as in the paper). */
  delta?: number;
  /** Grid of starts; defaults are the paper's. */
  grid?: { alpha?: number[]; beta?: number[]; e?: number[]; a?: number[]; b?: number[] };
  /** L-BFGS iteration cap per start (default 200). */
  maxIterations?: number;
  /** Bootstrap resamples for confidence intervals (default 0 = none). */
  bootstrap?: number;
  /** Confidence level of the bootstrap intervals (default 0.9). */
  confidence?: number;
  /** Seed for the bootstrap resampling (default 0). */
  seed?: number;
}

export interface ChinchillaResult extends ChinchillaFit {
  /** How many grid starts were run. */
  starts: number;
  /** Bootstrap intervals per parameter, when requested. */
  intervals?: Record<"E" | "A" | "B" | "alpha" | "beta", [number, number]>;
}

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 1e9) / 1e9);
  return out;
};

/** The paper's grid: α, β ∈ {0, 0.5, …, 2}; e ∈ {−1, −0.5, …, 1}; a, b ∈ {0, 5, …, 25}. */
export const CHINCHILLA_GRID = {
  alpha: range(0, 2, 0.5),
  beta: range(0, 2, 0.5),
  e: range(-1, 1, 0.5),
  a: range(0, 25, 5),
  b: range(0, 25, 5),
};

/** Published approach-3 estimates (Hoffmann et al. 2022, Eq. 10). */
export const CHINCHILLA_PUBLISHED: ChinchillaFit = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28, objective: Number.NaN };

/** Loss predicted by a fitted law. */
export function chinchillaLoss(fit: Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">, N: number, D: number): number {
  return fit.E + fit.A / N ** fit.alpha + fit.B / D ** fit.beta;
}

/**
 * The approach-3 objective over parameters θ = [a, b, e, α, β]; fills `grad` when given.
 * Exported so tests can check its gradient against finite differences.
 */
export function chinchillaObjective(
  logN: Float64Array,
  logD: Float64Array,
  logL: Float64Array,
  delta: number,
  theta: Float64Array,
  grad?: Float64Array,
): number {
  const [a, b, e, alpha, beta] = theta;
  let total = 0;
  let ga = 0;
  let gb = 0;
  let ge = 0;
  let gAlpha = 0;
  let gBeta = 0;
  for (let i = 0; i < logN.length; i++) {
    const t1 = a - alpha * logN[i];
    const t2 = b - beta * logD[i];
    const m = Math.max(t1, t2, e);
    const x1 = Math.exp(t1 - m);
    const x2 = Math.exp(t2 - m);
    const x3 = Math.exp(e - m);
    const sum = x1 + x2 + x3;
    const r = m + Math.log(sum) - logL[i];
    const absR = Math.abs(r);
    let dr: number;
    if (absR <= delta) {
      total += 0.5 * r * r;
      dr = r;
    } else {
      total += delta * (absR - 0.5 * delta);
      dr = delta * Math.sign(r);
    }
    if (grad) {
      const w1 = (dr * x1) / sum;
      const w2 = (dr * x2) / sum;
      ga += w1;
      gb += w2;
      ge += (dr * x3) / sum;
      gAlpha -= w1 * logN[i];
      gBeta -= w2 * logD[i];
    }
  }
  if (grad) {
    grad[0] = ga;
    grad[1] = gb;
    grad[2] = ge;
    grad[3] = gAlpha;
    grad[4] = gBeta;
  }
  return total;
}

function fitOnce(points: readonly ScalingPoint[], options: ChinchillaOptions): ChinchillaFit & { starts: number } {
  const n = points.length;
  const logN = new Float64Array(n);
  const logD = new Float64Array(n);
  const logL = new Float64Array(n);
  points.forEach((p, i) => {
    logN[i] = Math.log(p.N);
    logD[i] = Math.log(p.D);
    logL[i] = Math.log(p.loss);
  });
  const delta = options.delta ?? 1e-3;
  const grid = { ...CHINCHILLA_GRID, ...options.grid };
  const objective = (theta: Float64Array, grad: Float64Array) => chinchillaObjective(logN, logD, logL, delta, theta, grad);
  // Every start runs to a loose tolerance; the few best are then polished to a tight one. This
  // finds the same optimum as tight runs from every start at about half the cost.
  const loose = { maxIterations: options.maxIterations ?? 200, gradTol: 1e-6, fTol: 1e-8 };
  const tight = { maxIterations: 2000, gradTol: 1e-10, fTol: 1e-14 };
  const leaders: { f: number; x: Float64Array }[] = [];
  const keep = 5;
  let starts = 0;
  const x0 = new Float64Array(5);
  for (const alpha of grid.alpha)
    for (const beta of grid.beta)
      for (const e of grid.e)
        for (const a of grid.a)
          for (const b of grid.b) {
            x0[0] = a;
            x0[1] = b;
            x0[2] = e;
            x0[3] = alpha;
            x0[4] = beta;
            starts++;
            const r = lbfgs(objective, x0, loose);
            if (!Number.isFinite(r.f)) continue;
            if (leaders.length < keep || r.f < leaders[leaders.length - 1].f) {
              leaders.push({ f: r.f, x: r.x });
              leaders.sort((p, q) => p.f - q.f);
              if (leaders.length > keep) leaders.pop();
            }
          }
  let best: { f: number; x: Float64Array } | null = null;
  for (const leader of leaders) {
    const r = lbfgs(objective, leader.x, tight);
    const candidate = r.f <= leader.f ? { f: r.f, x: r.x } : leader;
    if (best === null || candidate.f < best.f) best = candidate;
  }
  if (best === null) throw new Error("fitChinchilla: no start converged to a finite objective");
  const [a, b, e, alpha, beta] = best.x;
  return { E: Math.exp(e), A: Math.exp(a), B: Math.exp(b), alpha, beta, objective: best.f, starts };
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Fit L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. approach 3). Needs at least 5 points with
 * positive, finite N, D and loss.
 */
export function fitChinchilla(points: readonly ScalingPoint[], options: ChinchillaOptions = {}): ChinchillaResult {
  validatePoints(points, 5, "fitChinchilla");
  const delta = options.delta ?? 1e-3;
  if (!(delta > 0)) throw new RangeError(`fitChinchilla: delta must be > 0, got ${delta}`);
  const fit = fitOnce(points, options);
  const result: ChinchillaResult = { ...fit };
  const resamples = options.bootstrap ?? 0;
  if (resamples > 0) {
    const rng = makeRng(options.seed ?? 0);
    // Each resample restarts from a small grid around the full-data optimum: far cheaper than
    // the 4 500-start grid and lands in the same basin.
    const near = (v: number, step: number) => [v - step, v, v + step];
    const grid = {
      alpha: near(fit.alpha, 0.1),
      beta: near(fit.beta, 0.1),
      e: [Math.log(fit.E)],
      a: near(Math.log(fit.A), 1),
      b: near(Math.log(fit.B), 1),
    };
    const samples: Record<"E" | "A" | "B" | "alpha" | "beta", number[]> = { E: [], A: [], B: [], alpha: [], beta: [] };
    for (let r = 0; r < resamples; r++) {
      const sample = points.map(() => points[rng.int(points.length)]);
      const f = fitOnce(sample, { ...options, grid });
      for (const k of Object.keys(samples) as (keyof typeof samples)[]) samples[k].push(f[k]);
    }
    const level = options.confidence ?? 0.9;
    const lo = (1 - level) / 2;
    result.intervals = Object.fromEntries(
      Object.entries(samples).map(([k, v]) => {
        const s = [...v].sort((p, q) => p - q);
        return [k, [quantile(s, lo), quantile(s, 1 - lo)]];
      }),
    ) as ChinchillaResult["intervals"];
  }
  return result;
}
