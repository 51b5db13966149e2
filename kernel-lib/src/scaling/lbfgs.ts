/**
 * L-BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4 / 7.5) with a line
 * search that satisfies the strong Wolfe conditions (Algorithms 3.5 and 3.6, cubic interpolation).
 *
 * The objective fills `grad` and returns f(x). Vectors are Float64Array; nothing is allocated per
 * iteration beyond the fixed history, which keeps thousands of restarts cheap.
 */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** History length m (default 10). */
  memory?: number;
  /** Stop when max |g_i| falls below this (default 1e-9). */
  gradTol?: number;
  /** Stop when |f_k − f_{k+1}| ≤ fTol · max(|f_k|, |f_{k+1}|, 1) (default 1e-12). */
  fTol?: number;
  /** Iteration cap (default 500). */
  maxIterations?: number;
  /** Sufficient-decrease constant c1 (default 1e-4). */
  c1?: number;
  /** Curvature constant c2 (default 0.9). */
  c2?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: "gradient" | "function" | "max-iterations" | "line-search";
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Minimiser of the cubic interpolating f and f' at two points, clamped to [lo, hi]. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number, lo: number, hi: number): number {
  const d1 = da + db - 3 * ((fa - fb) / (a - b));
  const disc = d1 * d1 - da * db;
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    if (Number.isFinite(t) && t >= lo && t <= hi) return t;
  }
  return (lo + hi) / 2;
}

interface LineSearchState {
  n: number;
  x: Float64Array;
  d: Float64Array;
  xt: Float64Array;
  gt: Float64Array;
  evaluations: number;
}

/** Strong-Wolfe line search along d from x; on success xt/gt hold the new point and gradient. */
function lineSearch(fn: Objective, s: LineSearchState, f0: number, dg0: number, alpha0: number, c1: number, c2: number): { alpha: number; f: number } | null {
  const phi = (alpha: number): { f: number; dg: number } => {
    for (let i = 0; i < s.n; i++) s.xt[i] = s.x[i] + alpha * s.d[i];
    const f = fn(s.xt, s.gt);
    s.evaluations++;
    return { f, dg: dot(s.gt, s.d) };
  };
  const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): { alpha: number; f: number } | null => {
    for (let k = 0; k < 30; k++) {
      const a = Math.min(lo, hi);
      const b = Math.max(lo, hi);
      const margin = 0.1 * (b - a);
      const alpha = cubicMin(lo, flo, dlo, hi, fhi, dhi, a + margin, b - margin);
      const p = phi(alpha);
      if (!Number.isFinite(p.f) || p.f > f0 + c1 * alpha * dg0 || p.f >= flo) {
        hi = alpha;
        fhi = p.f;
        dhi = p.dg;
      } else {
        if (Math.abs(p.dg) <= -c2 * dg0) return { alpha, f: p.f };
        if (p.dg * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = alpha;
        flo = p.f;
        dlo = p.dg;
      }
      if (Math.abs(hi - lo) < 1e-16) break;
    }
    // Accept the best sufficient-decrease point found, if any.
    if (lo > 0 && flo <= f0 + c1 * lo * dg0) {
      phi(lo);
      return { alpha: lo, f: flo };
    }
    return null;
  };

  let prevAlpha = 0;
  let prevF = f0;
  let prevDg = dg0;
  let alpha = alpha0;
  for (let i = 0; i < 30; i++) {
    const p = phi(alpha);
    if (!Number.isFinite(p.f)) {
      // Stepped outside the domain: shrink towards the last good point.
      alpha = prevAlpha + (alpha - prevAlpha) / 10;
      continue;
    }
    if (p.f > f0 + c1 * alpha * dg0 || (i > 0 && p.f >= prevF)) return zoom(prevAlpha, prevF, prevDg, alpha, p.f, p.dg);
    if (Math.abs(p.dg) <= -c2 * dg0) return { alpha, f: p.f };
    if (p.dg >= 0) return zoom(alpha, p.f, p.dg, prevAlpha, prevF, prevDg);
    prevAlpha = alpha;
    prevF = p.f;
    prevDg = p.dg;
    alpha *= 2;
  }
  return null;
}

/** Minimise `fn` from `x0` with L-BFGS. */
export function lbfgs(fn: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  if (n === 0) throw new RangeError("lbfgs: x0 must have at least one element");
  const m = options.memory ?? 10;
  const gradTol = options.gradTol ?? 1e-9;
  const fTol = options.fTol ?? 1e-12;
  const maxIterations = options.maxIterations ?? 500;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const state: LineSearchState = { n, x, d: new Float64Array(n), xt: new Float64Array(n), gt: new Float64Array(n), evaluations: 0 };
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphaHist = new Float64Array(m);
  let stored = 0;
  let head = 0;

  let f = fn(x, g);
  state.evaluations = 1;
  if (!Number.isFinite(f)) throw new RangeError(`lbfgs: objective is ${f} at the starting point`);
  const d = state.d;
  let iterations = 0;
  let reason: LbfgsResult["reason"] = "max-iterations";

  while (iterations < maxIterations) {
    if (maxAbs(g) <= gradTol) {
      reason = "gradient";
      break;
    }
    // Two-loop recursion: d = −H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      alphaHist[j] = rho[j] * dot(S[j], d);
      for (let i = 0; i < n; i++) d[i] -= alphaHist[j] * Y[j][i];
    }
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      const gamma = dot(S[j], Y[j]) / dot(Y[j], Y[j]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const beta = rho[j] * dot(Y[j], d);
      for (let i = 0; i < n; i++) d[i] += S[j][i] * (alphaHist[j] - beta);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      dg = dot(d, g);
    }
    const alpha0 = stored === 0 ? Math.min(1, 1 / Math.sqrt(-dg)) : 1;
    const step = lineSearch(fn, state, f, dg, alpha0, c1, c2);
    iterations++;
    if (step === null) {
      reason = "line-search";
      break;
    }
    // Update history with s = x_new − x, y = g_new − g.
    const s = S[head];
    const y = Y[head];
    for (let i = 0; i < n; i++) {
      s[i] = state.xt[i] - x[i];
      y[i] = state.gt[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-300) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    const fOld = f;
    x.set(state.xt);
    g.set(state.gt);
    f = step.f;
    if (Math.abs(fOld - f) <= fTol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      reason = maxAbs(g) <= gradTol ? "gradient" : "function";
      break;
    }
  }
  return {
    x,
    f,
    gradNorm: Math.sqrt(dot(g, g)),
    iterations,
    evaluations: state.evaluations,
    converged: reason === "gradient" || reason === "function",
    reason,
  };
}
