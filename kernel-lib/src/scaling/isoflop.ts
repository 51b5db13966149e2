/**
 * Chinchilla's approach 2 (Hoffmann et al. 2022, §3.2): IsoFLOP profiles. For each compute budget C,
 * models of several sizes are trained with the same C ≈ 6·N·D (so a bigger model sees fewer
 * tokens); loss against log N forms a valley, a parabola in log N fitted through it gives the
 * budget's best size N_opt(C) at its vertex, and a straight line through log N_opt against log C
 * gives the exponent a of N_opt ∝ C^a (and b of D_opt ∝ C^b, with D_opt = C / (6·N_opt)).
 *
 * Two ways to get the profiles: runs laid out on fixed-FLOP lines (the IsoFLOP sweep, grouped by
 * budget), or, for a grid of (N, D) runs, each model size's loss interpolated in log–log at fixed C
 * between its runs (`interpolateIsoFlop`).
 */
import { linearRegression } from "./powerlaw";
import type { ScalingModelShape, ScalingRunConfig, ScalingGridOptions } from "./grid";
import { nonEmbeddingParams, scalingGptConfig, scalingRunConfig, scalingRunId } from "./grid";
import type { SweepRunSpec } from "./sweep";
import type { ScalingPoint } from "./validate";

/** One budget of the IsoFLOP sweep and the model shapes trained at it. */
export interface IsoFlopBudget {
  /** Training FLOPs, 6·N·D with N non-embedding parameters. */
  C: number;
  shapes: readonly ScalingModelShape[];
}

/** Runs of the IsoFLOP sweep: each shape at each budget, steps = round(C / (6·N·batch·block)), cheapest first. */
export function buildIsoFlopGrid(
  o: Omit<ScalingGridOptions, "shapes" | "steps"> & { budgets: readonly IsoFlopBudget[] },
): SweepRunSpec<ScalingRunConfig & { budget: number }>[] {
  const runs: { spec: SweepRunSpec<ScalingRunConfig & { budget: number }>; cost: number }[] = [];
  for (const b of o.budgets) {
    if (!(b.C > 0)) throw new RangeError(`budget C must be > 0, got ${b.C}`);
    for (const shape of b.shapes) {
      const N = nonEmbeddingParams(scalingGptConfig({ ...shape, vocabSize: o.vocabSize, blockSize: o.blockSize }));
      const steps = Math.round(b.C / (6 * N * o.batchSize * o.blockSize));
      if (steps < 10)
        throw new RangeError(`budget ${b.C} gives only ${steps} steps to L${shape.nLayer}-C${shape.nEmbd}: use a smaller model or a larger budget`);
      const config = { ...scalingRunConfig(shape, steps, o), budget: b.C };
      runs.push({ spec: { id: scalingRunId(config), config }, cost: b.C });
    }
  }
  return runs.sort((p, q) => p.cost - q.cost).map((r) => r.spec);
}

/** The runs trained at one compute budget C: loss against N (sorted by N), D = C / (6N) for each. */
export interface IsoFlopProfile {
  /** Training FLOPs of the profile (6·N·D). */
  C: number;
  points: ScalingPoint[];
}

/** Training FLOPs of a run, C ≈ 6·N·D (Kaplan et al. 2020; Hoffmann et al. 2022). */
const flops = (p: Pick<ScalingPoint, "N" | "D">) => 6 * p.N * p.D;

function checkBudgets(budgets: readonly number[], who: string): void {
  if (budgets.length === 0 || !budgets.every((C) => Number.isFinite(C) && C > 0))
    throw new RangeError(`${who}: budgets must be positive numbers, got ${JSON.stringify(budgets)}`);
}

/**
 * Group runs laid out on fixed-FLOP lines into IsoFLOP bands: a run belongs to budget C when its
 * 6·N·D is within a factor (1 + tolerance) of C (default 5 %, which step rounding stays inside).
 * Budgets with no runs are left out.
 */
export function isoFlopProfiles(points: readonly ScalingPoint[], budgets: readonly number[], options: { tolerance?: number } = {}): IsoFlopProfile[] {
  checkBudgets(budgets, "isoFlopProfiles");
  const band = Math.log1p(options.tolerance ?? 0.05);
  return budgets
    .map((C) => ({ C, points: points.filter((p) => Math.abs(Math.log(flops(p) / C)) <= band).sort((a, b) => a.N - b.N) }))
    .filter((profile) => profile.points.length > 0);
}

/**
 * IsoFLOP profiles from a grid of (N, D) runs that is not laid out on fixed-FLOP lines: for each
 * model size (runs with the same N), log loss is interpolated linearly in log C between its two
 * runs that bracket C (never extrapolated), and that point joins budget C with D = C / (6N).
 * Budgets reached by fewer than `minPoints` sizes (default 3, a parabola's minimum) are left out.
 */
export function interpolateIsoFlop(points: readonly ScalingPoint[], budgets: readonly number[], options: { minPoints?: number } = {}): IsoFlopProfile[] {
  checkBudgets(budgets, "interpolateIsoFlop");
  const families = new Map<number, ScalingPoint[]>();
  for (const p of points) families.set(p.N, [...(families.get(p.N) ?? []), p]);
  const out: IsoFlopProfile[] = [];
  for (const C of budgets) {
    const at: ScalingPoint[] = [];
    for (const [N, runs] of [...families].sort((a, b) => a[0] - b[0])) {
      const sorted = [...runs].sort((a, b) => a.D - b.D);
      for (let i = 0; i + 1 < sorted.length; i++) {
        const [lo, hi] = [Math.log(flops(sorted[i])), Math.log(flops(sorted[i + 1]))];
        const x = Math.log(C);
        if (x < lo || x > hi) continue;
        const t = (x - lo) / (hi - lo);
        const logLoss = (1 - t) * Math.log(sorted[i].loss) + t * Math.log(sorted[i + 1].loss);
        at.push({ N, D: C / (6 * N), loss: Math.exp(logLoss) });
        break;
      }
    }
    if (at.length >= (options.minPoints ?? 3)) out.push({ C, points: at });
  }
  return out;
}

/** Least-squares parabola y ≈ c0 + c1·x + c2·x² (normal equations on centred x, solved exactly). */
export function fitParabola(x: readonly number[], y: readonly number[]): { c0: number; c1: number; c2: number } {
  if (x.length !== y.length || x.length < 3) throw new RangeError(`fitParabola needs at least 3 (x, y) pairs of equal length, got ${x.length} and ${y.length}`);
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  const u = x.map((v) => v - m);
  const S = (k: number) => u.reduce((s, v) => s + v ** k, 0);
  const T = (k: number) => u.reduce((s, v, i) => s + v ** k * y[i], 0);
  // [n S1 S2; S1 S2 S3; S2 S3 S4] · [d0 d1 d2] = [T0 T1 T2]  (Cramer's rule)
  const [n, s1, s2, s3, s4] = [x.length, S(1), S(2), S(3), S(4)];
  const [t0, t1, t2] = [T(0), T(1), T(2)];
  const det3 = (a: number[]) => a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  const A = [n, s1, s2, s1, s2, s3, s2, s3, s4];
  const det = det3(A);
  if (!(Math.abs(det) > 1e-12 * Math.max(1, Math.abs(n * s2 * s4)))) throw new RangeError("fitParabola: the x values take fewer than 3 distinct values");
  const d0 = det3([t0, s1, s2, t1, s2, s3, t2, s3, s4]) / det;
  const d1 = det3([n, t0, s2, s1, t1, s3, s2, t2, s4]) / det;
  const d2 = det3([n, s1, t0, s1, s2, t1, s2, s3, t2]) / det;
  // back from u = x − m: d0 + d1(x − m) + d2(x − m)²
  return { c0: d0 - d1 * m + d2 * m * m, c1: d1 - 2 * d2 * m, c2: d2 };
}

/** One budget's valley minimum: the vertex of the parabola in ln N through its profile. */
export interface IsoFlopMinimum {
  C: number;
  /** Vertex of loss ≈ c0 + c1·ln N + c2·(ln N)²: ln N_opt = −c1 / (2·c2). */
  N: number;
  /** D_opt = C / (6·N_opt). */
  D: number;
  /** The parabola's loss at its vertex. */
  loss: number;
  /** c2: > 0 for a valley (a minimum), ≤ 0 when the profile bends the other way (no minimum). */
  curvature: number;
  /** Whether the vertex lies inside the sampled N range (otherwise it is an extrapolation). */
  bracketed: boolean;
  /** The profile's lowest measured point, for comparison. */
  lowest: ScalingPoint;
  coefficients: { c0: number; c1: number; c2: number };
}

/** The valley minimum of one IsoFLOP profile (needs ≥ 3 model sizes). */
export function isoFlopMinimum(profile: IsoFlopProfile): IsoFlopMinimum {
  const ps = profile.points;
  if (ps.length < 3) throw new RangeError(`isoFlopMinimum: budget ${profile.C.toExponential(2)} has ${ps.length} model sizes; a parabola needs 3`);
  const x = ps.map((p) => Math.log(p.N));
  const coefficients = fitParabola(
    x,
    ps.map((p) => p.loss),
  );
  const { c0, c1, c2 } = coefficients;
  const v = -c1 / (2 * c2);
  const N = Math.exp(v);
  return {
    C: profile.C,
    N,
    D: profile.C / (6 * N),
    loss: c0 + c1 * v + c2 * v * v,
    curvature: c2,
    bracketed: c2 > 0 && v >= Math.min(...x) && v <= Math.max(...x),
    lowest: ps.reduce((a, b) => (b.loss < a.loss ? b : a)),
    coefficients,
  };
}

/** Approach 2's result: every budget's minimum and the power laws N_opt ∝ C^a, D_opt ∝ C^b through them. */
export interface IsoFlopFit {
  minima: IsoFlopMinimum[];
  /** Exponent of N_opt ∝ C^a (least squares of ln N_opt on ln C over the valleys used). */
  a: number;
  /** Exponent of D_opt ∝ C^b; with D_opt = C/(6·N_opt) it is 1 − a. */
  b: number;
  /** N_opt = kN · C^a. */
  kN: number;
  /** R² of the log–log line. */
  r2: number;
  /** How many budgets entered the line (those with a valley, curvature > 0). */
  used: number;
}

/**
 * Approach 2 end to end: the vertex of each profile, then a straight line through (ln C, ln N_opt)
 * over the budgets whose profile is a valley (curvature > 0; `bracketedOnly` keeps only vertices
 * inside their sampled range). Needs two such budgets.
 */
export function fitIsoFlop(profiles: readonly IsoFlopProfile[], options: { bracketedOnly?: boolean } = {}): IsoFlopFit {
  const minima = profiles.map(isoFlopMinimum);
  const use = minima.filter((m) => (options.bracketedOnly ? m.bracketed : m.curvature > 0));
  if (use.length < 2) throw new RangeError(`fitIsoFlop: ${use.length} of ${minima.length} budgets have a usable valley minimum; a line needs 2`);
  const line = linearRegression(
    use.map((m) => Math.log(m.C)),
    use.map((m) => Math.log(m.N)),
  );
  const lineD = linearRegression(
    use.map((m) => Math.log(m.C)),
    use.map((m) => Math.log(m.D)),
  );
  return { minima, a: line.slope, b: lineD.slope, kN: Math.exp(line.intercept), r2: line.r2, used: use.length };
}
