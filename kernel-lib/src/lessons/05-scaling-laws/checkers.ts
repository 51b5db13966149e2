/**
 * Checkers for the functions lesson 05's learner writes: the law L(N, D) from the fit's log-space
 * parameters θ = [a, b, e, α, β], the Huber loss, and the approach-3 objective. Each runs the
 * learner's function on random inputs (fixed seed) against the library's reference, throws naming
 * the first wrong case with expected vs got and the likely cause (found by running the usual
 * mistakes on the same inputs), and otherwise prints one "✓ …" line and returns nothing — the shared
 * checker core (util/checker.ts).
 */
import {
  allClose,
  callLearner,
  close,
  failure,
  firstMismatch,
  formatNumber,
  type Mistake,
  matchMistake,
  pass,
  requireFunction,
  type Tolerance,
} from "../../util/checker";
import { chinchillaLoss, chinchillaObjective } from "../../scaling/chinchilla";
import { fitParabola, isoFlopMinimum } from "../../scaling/isoflop";
import { makeRng, type Rng } from "../../util/random";
import type { ScalingPoint } from "../../scaling/validate";

/** θ in the fit's order: [a, b, e, α, β] with A = e^a, B = e^b, E = e^e. */
export type ChinchillaTheta = number[];

/** The learner's law from θ: L(N, D). */
export type ThetaLossFn = (theta: ChinchillaTheta, N: number, D: number) => number;
/** The learner's Huber loss of one residual. */
export type HuberFn = (r: number, delta: number) => number;
/** The learner's approach-3 objective: Σ Huber_δ(log L̂ − log L) over the points. */
export type ObjectiveFn = (theta: ChinchillaTheta, points: ScalingPoint[], delta: number) => number;

/** Reference Huber loss: r²/2 inside ±δ, δ·(|r| − δ/2) outside (continuous, with a continuous slope). */
export function huberLoss(r: number, delta: number): number {
  const abs = Math.abs(r);
  return abs <= delta ? 0.5 * r * r : delta * (abs - 0.5 * delta);
}

/** The law at θ = [a, b, e, α, β]: e^e + e^a/N^α + e^b/D^β. */
export function thetaLoss(theta: ChinchillaTheta, N: number, D: number): number {
  const [a, b, e, alpha, beta] = theta;
  return chinchillaLoss({ E: Math.exp(e), A: Math.exp(a), B: Math.exp(b), alpha, beta }, N, D);
}

/** A known mistake, as a function of the case's arguments. */
type CaseMistake<Args extends unknown[]> = Mistake<(...args: Args) => number>;

/** Purely relative: the checked values range from 10⁻⁹ to 10⁹. */
const relative = (rel: number): Tolerance => ({ rel, abs: 1e-300, floor: 1e-300 });
/** How closely a mistake must reproduce the learner's answer to name it. */
const REPRODUCES = relative(1e-6);

/** Eight significant digits. */
const fmt = (v: number) => formatNumber(v, 8);

/**
 * Run `fn` on every case; on the first mismatch throw with expected vs got and the cause of the
 * mistake that reproduces the learner's answers on the most cases (the wrong one included).
 */
function runCases<Args extends unknown[]>(
  what: string,
  fn: (...args: Args) => unknown,
  reference: (...args: Args) => number,
  cases: Args[],
  describe: (args: Args) => string,
  mistakes: CaseMistake<Args>[],
  rel: number,
  fallback: string,
): void {
  const answer = (args: Args, i: number): number => {
    const value = callLearner(what, `case ${i + 1} (${describe(args)})`, () => fn(...args));
    if (typeof value !== "number") throw new TypeError(`${what}: case ${i + 1} (${describe(args)}) returned ${typeof value}, not a number`);
    return value;
  };
  for (let i = 0; i < cases.length; i++) {
    const value = answer(cases[i], i);
    const expected = reference(...cases[i]);
    if (close(value, expected, relative(rel))) continue;
    const tryAnswer = (c: Args): number => {
      try {
        return Number(fn(...c));
      } catch {
        return Number.NaN;
      }
    };
    const got = cases.map((c, j) => (j === i ? value : tryAnswer(c)));
    const cause = matchMistake(
      mistakes,
      (m) => close(value, m(...cases[i]), REPRODUCES),
      (m) => cases.filter((c, j) => close(got[j], m.output(...c), REPRODUCES)).length,
    );
    throw failure(
      `${what} is wrong at case ${i + 1} of ${cases.length} (${describe(cases[i])}): expected ${fmt(expected)}, got ${fmt(value)}`,
      cause,
      `check: ${fallback}.`,
    );
  }
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

function randomTheta(rng: Rng): number[] {
  return [uniform(rng, 0, 8), uniform(rng, 0, 10), uniform(rng, -1, 1.5), uniform(rng, 0.05, 0.7), uniform(rng, 0.05, 0.7)];
}

/**
 * Random fits for the objective's checkers: runs drawn from a random law with 2 % noise; θ near that
 * law (small residuals) in even cases, anywhere in odd ones; δ = 1 in every third case, else 10⁻³.
 */
function objectiveCases(rng: Rng, count: number): [ChinchillaTheta, ScalingPoint[], number][] {
  const cases: [ChinchillaTheta, ScalingPoint[], number][] = [];
  for (let i = 0; i < count; i++) {
    const truth = randomTheta(rng);
    const points: ScalingPoint[] = [];
    const n = 6 + rng.int(20);
    for (let j = 0; j < n; j++) {
      const N = 10 ** uniform(rng, 3, 10);
      const D = 10 ** uniform(rng, 4, 12);
      points.push({ N, D, loss: thetaLoss(truth, N, D) * Math.exp(0.02 * rng.normal()) });
    }
    const theta = i % 2 === 0 ? truth.map((v) => v + 0.01 * rng.normal()) : randomTheta(rng);
    cases.push([theta, points, i % 3 === 2 ? 1 : 1e-3]);
  }
  return cases;
}

const showTheta = (t: ChinchillaTheta) => `[${t.map((v) => Number(v.toFixed(3))).join(", ")}]`;

/**
 * Check the learner's law written from θ = [a, b, e, α, β] (natural logs of A, B, E, then α, β):
 * L(N, D) = e^e + e^a/N^α + e^b/D^β, on 40 random θ, N and D.
 */
export function checkChinchillaLoss(fn: ThetaLossFn, options: { seed?: number; cases?: number } = {}): void {
  requireFunction(fn, "checkChinchillaLoss", "checkChinchillaLoss(lossFromTheta)");
  const rng = makeRng(options.seed ?? 5);
  const cases: [ChinchillaTheta, number, number][] = [];
  for (let i = 0; i < (options.cases ?? 40); i++) cases.push([randomTheta(rng), 10 ** uniform(rng, 3, 11), 10 ** uniform(rng, 4, 13)]);
  const law = (E: number, A: number, B: number, alpha: number, beta: number, N: number, D: number) => E + A / N ** alpha + B / D ** beta;
  const mistakes: CaseMistake<[ChinchillaTheta, number, number]>[] = [
    {
      cause: "10^a instead of e^a: θ holds natural logs, so A = Math.exp(a) (likewise B and E)",
      output: ([a, b, e, al, be], N, D) => law(10 ** e, 10 ** a, 10 ** b, al, be, N, D),
    },
    { cause: "E is e^e: exponentiate e as you do a and b", output: ([a, b, e, al, be], N, D) => law(e, Math.exp(a), Math.exp(b), al, be, N, D) },
    {
      cause: "you returned log L (the log-sum-exp the fit works with); the law is L itself: take Math.exp of it",
      output: (t, N, D) => Math.log(thetaLoss(t, N, D)),
    },
    {
      cause: "A·N^α grows with N: the law divides, A / N^α and B / D^β",
      output: ([a, b, e, al, be], N, D) => Math.exp(e) + Math.exp(a) * N ** al + Math.exp(b) * D ** be,
    },
    { cause: "α and β swapped: α belongs to N, β to D", output: ([a, b, e, al, be], N, D) => law(Math.exp(e), Math.exp(a), Math.exp(b), be, al, N, D) },
    {
      cause: "N and D swapped: A/N^α is the model-size term, B/D^β the data term",
      output: ([a, b, e, al, be], N, D) => law(Math.exp(e), Math.exp(a), Math.exp(b), al, be, D, N),
    },
    { cause: "the irreducible loss E is missing: L = E + A/N^α + B/D^β", output: ([a, b, , al, be], N, D) => law(0, Math.exp(a), Math.exp(b), al, be, N, D) },
    {
      cause: "θ read in the wrong order: it is [a, b, e, α, β]",
      output: ([e, a, b, al, be], N, D) => law(Math.exp(e), Math.exp(a), Math.exp(b), al, be, N, D),
    },
  ];
  runCases(
    "your law",
    fn,
    thetaLoss,
    cases,
    ([t, N, D]) => `θ = ${showTheta(t)}, N = ${N.toExponential(2)}, D = ${D.toExponential(2)}`,
    mistakes,
    1e-9,
    "L = exp(e) + exp(a) / N**α + exp(b) / D**β with θ = [a, b, e, α, β]",
  );
  pass(`your law matches chinchillaLoss on ${cases.length} random (θ, N, D)`);
}

/** Check the learner's Huber loss on residuals inside, at and beyond ±δ, for δ from 10⁻³ to 1. */
export function checkHuber(fn: HuberFn, options: { seed?: number } = {}): void {
  requireFunction(fn, "checkHuber", "checkHuber(myHuber)");
  const rng = makeRng(options.seed ?? 7);
  const cases: [number, number][] = [];
  for (const delta of [1e-3, 0.1, 1]) {
    cases.push([0, delta], [delta, delta], [-delta, delta]);
    for (let i = 0; i < 4; i++) cases.push([uniform(rng, -1, 1) * delta, delta]);
    for (let i = 0; i < 4; i++) cases.push([(rng.next() < 0.5 ? -1 : 1) * delta * uniform(rng, 1.5, 50), delta]);
  }
  // Far residuals first, then the boundary and the inside ones.
  cases.sort((p, q) => Math.abs(p[0] / p[1]) - Math.abs(q[0] / q[1])).reverse();
  const mistakes: CaseMistake<[number, number]>[] = [
    { cause: "the quadratic branch is missing the 1/2: r²/2 inside ±δ", output: (r, d) => (Math.abs(r) <= d ? r * r : d * (Math.abs(r) - 0.5 * d)) },
    {
      cause: "the linear branch is missing −δ/2: δ·(|r| − δ/2) makes the two pieces meet at |r| = δ",
      output: (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : d * Math.abs(r)),
    },
    {
      cause: "the linear branch must be scaled by δ: δ·(|r| − δ/2), not |r| − δ/2",
      output: (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : Math.abs(r) - 0.5 * d),
    },
    { cause: "compare |r| with δ: a large negative residual belongs to the linear branch", output: (r, d) => (r <= d ? 0.5 * r * r : d * (r - 0.5 * d)) },
    {
      cause: "use |r| in the linear branch: negative residuals must cost as much as positive ones",
      output: (r, d) => (Math.abs(r) <= d ? 0.5 * r * r : d * (r - 0.5 * d)),
    },
    { cause: "that is the squared loss r²/2 everywhere: beyond ±δ the Huber loss grows linearly", output: (r) => 0.5 * r * r },
    { cause: "that is the absolute loss |r|: inside ±δ the Huber loss is r²/2", output: (r) => Math.abs(r) },
  ];
  runCases("your huber", fn, huberLoss, cases, ([r, d]) => `r = ${fmt(r)}, δ = ${d}`, mistakes, 1e-12, "|r| ≤ δ → r²/2, otherwise δ·(|r| − δ/2)");
  pass(`your huber matches the reference on ${cases.length} residuals inside and outside ±δ`);
}

/**
 * Check the learner's approach-3 objective Σ Huber_δ(log L̂(N, D) − log L) with log L̂ the law at
 * θ = [a, b, e, α, β], against `chinchillaObjective`, on random point sets and θ, for δ = 10⁻³
 * (the paper's) and δ = 1 (every residual in the quadratic branch).
 */
export function checkChinchillaObjective(fn: ObjectiveFn, options: { seed?: number; cases?: number } = {}): void {
  requireFunction(fn, "checkChinchillaObjective", "checkChinchillaObjective(directObjective)");
  const cases = objectiveCases(makeRng(options.seed ?? 11), options.cases ?? 12);
  const sum = (points: readonly ScalingPoint[], f: (p: ScalingPoint) => number) => points.reduce((s, p) => s + f(p), 0);
  const halfless = (r: number, d: number) => (Math.abs(r) <= d ? r * r : d * (Math.abs(r) - 0.5 * d));
  const mistakes: CaseMistake<[ChinchillaTheta, ScalingPoint[], number]>[] = [
    {
      cause: "linear residual L̂ − L: the fit compares log L̂ with log L (relative errors)",
      output: (t, ps, d) => sum(ps, (p) => huberLoss(thetaLoss(t, p.N, p.D) - p.loss, d)),
    },
    {
      cause: "log10 of the losses: use natural logs (Math.log) on both sides",
      output: (t, ps, d) => sum(ps, (p) => huberLoss(Math.log10(thetaLoss(t, p.N, p.D)) - Math.log10(p.loss), d)),
    },
    {
      cause: "10^a instead of e^a in the law: θ holds natural logs",
      output: ([a, b, e, al, be], ps, d) => sum(ps, (p) => huberLoss(Math.log(10 ** e + 10 ** a / p.N ** al + 10 ** b / p.D ** be) - Math.log(p.loss), d)),
    },
    {
      cause: "the Huber quadratic branch is missing the 1/2: r²/2 inside ±δ",
      output: (t, ps, d) => sum(ps, (p) => halfless(Math.log(thetaLoss(t, p.N, p.D) / p.loss), d)),
    },
    {
      cause: "the Huber linear branch is missing −δ/2: δ·(|r| − δ/2)",
      output: (t, ps, d) =>
        sum(ps, (p) => {
          const r = Math.log(thetaLoss(t, p.N, p.D) / p.loss);
          return Math.abs(r) <= d ? 0.5 * r * r : d * Math.abs(r);
        }),
    },
    {
      cause: "squared residuals everywhere: beyond ±δ the Huber loss is δ·(|r| − δ/2)",
      output: (t, ps) => sum(ps, (p) => 0.5 * Math.log(thetaLoss(t, p.N, p.D) / p.loss) ** 2),
    },
    {
      cause: "a mean, not a sum: approach 3 minimises the sum over runs",
      output: (t, ps, d) => sum(ps, (p) => huberLoss(Math.log(thetaLoss(t, p.N, p.D) / p.loss), d)) / ps.length,
    },
    {
      cause: "log L̂ must include E: LSE(a − α log N, b − β log D, e)",
      output: ([a, b, , al, be], ps, d) => sum(ps, (p) => huberLoss(Math.log(Math.exp(a) / p.N ** al + Math.exp(b) / p.D ** be) - Math.log(p.loss), d)),
    },
  ];
  const reference = (t: ChinchillaTheta, ps: readonly ScalingPoint[], d: number) =>
    chinchillaObjective(
      Float64Array.from(ps, (p) => Math.log(p.N)),
      Float64Array.from(ps, (p) => Math.log(p.D)),
      Float64Array.from(ps, (p) => Math.log(p.loss)),
      d,
      Float64Array.from(t),
    );
  runCases(
    "your objective",
    fn,
    reference,
    cases,
    ([t, ps, d]) => `θ = ${showTheta(t)}, ${ps.length} points, δ = ${d}`,
    mistakes,
    1e-9,
    "Σ over points of huber(LSE(a − α·ln N, b − β·ln D, e) − ln L, δ)",
  );
  pass(`your objective matches chinchillaObjective on ${cases.length} random fits (δ = 10⁻³ and δ = 1)`);
}

/** The learner's valley minimum of one IsoFLOP profile: model sizes and their losses at one budget → N_opt. */
export type IsoFlopMinimumFn = (N: number[], loss: number[]) => number;

/** ln N of the vertex of the least-squares parabola loss ≈ c0 + c1·x + c2·x² in x. */
const vertexOf = (x: number[], y: number[]) => {
  const { c1, c2 } = fitParabola(x, y);
  return -c1 / (2 * c2);
};

/**
 * Check the learner's IsoFLOP valley minimum (Chinchilla's approach 2): given the model sizes N
 * trained at one budget and their losses, N_opt is the vertex of the least-squares parabola of the
 * loss in ln N, N_opt = exp(−c1 / (2·c2)). Runs it on 12 noisy, lopsided valleys (fixed seed)
 * against `isoFlopMinimum`.
 */
export function checkIsoFlopMinimum(fn: IsoFlopMinimumFn, options: { seed?: number; cases?: number } = {}): void {
  requireFunction(fn, "checkIsoFlopMinimum", "checkIsoFlopMinimum(myValleyMinimum)");
  const rng = makeRng(options.seed ?? 13);
  const cases: [number[], number[]][] = [];
  for (let i = 0; i < (options.cases ?? 12); i++) {
    const logOpt = Math.log(10) * uniform(rng, 3, 8); // the true best size, 1 k … 100 M parameters
    const n = 5 + rng.int(5);
    const from = logOpt - uniform(rng, 0.8, 2.5); // sampled range off-centre around the optimum
    const to = logOpt + uniform(rng, 0.8, 2.5);
    const N: number[] = [];
    const loss: number[] = [];
    for (let j = 0; j < n; j++) {
      const x = from + ((to - from) * j) / (n - 1);
      const d = x - logOpt;
      N.push(Math.exp(x));
      loss.push(uniform(rng, 2, 3) + 0.05 * d * d + 0.004 * d * d * d + 0.01 * rng.normal());
    }
    cases.push([N, loss]);
  }
  const reference = (N: number[], loss: number[]) => isoFlopMinimum({ C: 1, points: N.map((v, i) => ({ N: v, D: 1, loss: loss[i] })) }).N;
  const ln = (N: number[]) => N.map(Math.log);
  const mistakes: CaseMistake<[number[], number[]]>[] = [
    {
      cause: "the parabola was fitted against N itself: IsoFLOP valleys are parabolas in log N, so fit the loss against Math.log(N)",
      output: (N, L) => vertexOf(N, L),
    },
    {
      cause: "the sign of the vertex: a parabola c0 + c1·x + c2·x² has its minimum at x = −c1 / (2·c2)",
      output: (N, L) => {
        const { c1, c2 } = fitParabola(ln(N), L);
        return Math.exp(c1 / (2 * c2));
      },
    },
    {
      cause: "the vertex is x = −c1 / (2·c2): the 2 is missing",
      output: (N, L) => {
        const { c1, c2 } = fitParabola(ln(N), L);
        return Math.exp(-c1 / c2);
      },
    },
    { cause: "you returned ln N_opt: turn the vertex back into a model size with Math.exp", output: (N, L) => vertexOf(ln(N), L) },
    {
      cause: "the lowest sampled point is not the minimum: fit the parabola through all points and take its vertex",
      output: (N, L) => N[L.indexOf(Math.min(...L))],
    },
    {
      cause: "log bases mixed: the fit was in log10 N, so N_opt = 10^vertex, not Math.exp(vertex)",
      output: (N, L) => Math.exp(vertexOf(N.map(Math.log10), L)),
    },
    { cause: "log bases mixed: the fit was in ln N (Math.log), so N_opt = Math.exp(vertex), not 10^vertex", output: (N, L) => 10 ** vertexOf(ln(N), L) },
    {
      cause: "the parabola was fitted to ln(loss): Chinchilla's approach 2 fits the loss itself against ln N",
      output: (N, L) => Math.exp(vertexOf(ln(N), L.map(Math.log))),
    },
  ];
  runCases(
    "your valley minimum",
    fn,
    reference,
    cases,
    ([N, L]) => `${N.length} sizes from ${N[0].toExponential(2)} to ${N[N.length - 1].toExponential(2)}, lowest loss ${Math.min(...L).toFixed(3)}`,
    mistakes,
    1e-6,
    "fit loss ≈ c0 + c1·ln N + c2·(ln N)² by least squares, then N_opt = exp(−c1 / (2·c2))",
  );
  pass(`your valley minimum matches isoFlopMinimum on ${cases.length} noisy IsoFLOP profiles`);
}

/** The learner's gradient of the approach-3 objective with respect to θ = [a, b, e, α, β]. */
export type ObjectiveGradientFn = (theta: ChinchillaTheta, points: ScalingPoint[], delta: number) => number[];

/** Variants of the objective's gradient: the reference by default, a known mistake with one option changed. */
interface GradientVariant {
  /** Huber′(r): clamp(r, −δ, δ). */
  slope?: (r: number, delta: number) => number;
  /** ∂LSE/∂z: the softmax of z. */
  weights?: (z: number[]) => number[];
  /** ∂z/∂α = −ln N (sign −1). */
  sign?: number;
  /** The log in ∂z/∂α and ∂z/∂β. */
  log?: (x: number) => number;
  mean?: boolean;
}

/** Σ over points of Huber′(r) · ∂r/∂θ with r = LSE(a − α ln N, b − β ln D, e) − ln L. */
function objectiveGradient(theta: ChinchillaTheta, points: readonly ScalingPoint[], delta: number, v: GradientVariant = {}): number[] {
  const [a, b, e, alpha, beta] = theta;
  const slope = v.slope ?? ((r: number, d: number) => Math.max(-d, Math.min(d, r)));
  const log = v.log ?? Math.log;
  const sign = v.sign ?? -1;
  const g = [0, 0, 0, 0, 0];
  for (const p of points) {
    const z = [a - alpha * Math.log(p.N), b - beta * Math.log(p.D), e];
    const m = Math.max(...z);
    const ez = z.map((x) => Math.exp(x - m));
    const sum = ez.reduce((s, x) => s + x, 0);
    const w = v.weights ? v.weights(z) : ez.map((x) => x / sum);
    const h = slope(m + Math.log(sum) - Math.log(p.loss), delta);
    g[0] += h * w[0];
    g[1] += h * w[1];
    g[2] += h * w[2];
    g[3] += sign * h * w[0] * log(p.N);
    g[4] += sign * h * w[1] * log(p.D);
  }
  return v.mean ? g.map((x) => x / points.length) : g;
}

/** The gradient of the approach-3 objective at θ, as `chinchillaObjective` computes it for L-BFGS: [∂a, ∂b, ∂e, ∂α, ∂β]. */
export function chinchillaObjectiveGradient(theta: ChinchillaTheta, points: readonly ScalingPoint[], delta: number): number[] {
  const g = new Float64Array(5);
  chinchillaObjective(
    Float64Array.from(points, (p) => Math.log(p.N)),
    Float64Array.from(points, (p) => Math.log(p.D)),
    Float64Array.from(points, (p) => Math.log(p.loss)),
    delta,
    Float64Array.from(theta),
    g,
  );
  return Array.from(g);
}

const GRADIENT_NAMES = ["∂f/∂a", "∂f/∂b", "∂f/∂e", "∂f/∂α", "∂f/∂β"];

/**
 * Check the learner's gradient of the approach-3 objective Σ Huber_δ(LSE(a − α ln N, b − β ln D, e)
 * − ln L) with respect to θ = [a, b, e, α, β], against the gradient `chinchillaObjective` returns,
 * on random fits (δ = 10⁻³ and δ = 1), element by element.
 */
export function checkObjectiveGradient(fn: ObjectiveGradientFn, options: { seed?: number; cases?: number } = {}): void {
  requireFunction(fn, "checkObjectiveGradient", "checkObjectiveGradient(myObjectiveGradient)");
  const cases = objectiveCases(makeRng(options.seed ?? 17), options.cases ?? 12);
  const mistakes: Mistake<(t: ChinchillaTheta, ps: ScalingPoint[], d: number) => number[]>[] = [
    {
      cause: "the Huber loss's slope is clamp(r, −δ, δ): r itself only inside ±δ, ±δ beyond",
      output: (t, ps, d) => objectiveGradient(t, ps, d, { slope: (r) => r }),
    },
    {
      cause: "inside ±δ the Huber loss's slope is r itself, not ±δ",
      output: (t, ps, d) => objectiveGradient(t, ps, d, { slope: (r, dd) => Math.sign(r) * dd }),
    },
    {
      cause: "∂LSE/∂z_k is the softmax weight exp(z_k − LSE) — each term's share of L̂ — not 1",
      output: (t, ps, d) => objectiveGradient(t, ps, d, { weights: () => [1, 1, 1] }),
    },
    {
      cause: "a − α·ln N falls as α grows: the α and β components carry a minus sign, −ln N and −ln D",
      output: (t, ps, d) => objectiveGradient(t, ps, d, { sign: 1 }),
    },
    { cause: "ln N and ln D, not log10, in the α and β components", output: (t, ps, d) => objectiveGradient(t, ps, d, { log: Math.log10 }) },
    { cause: "a mean, not a sum: the objective sums over runs, so does its gradient", output: (t, ps, d) => objectiveGradient(t, ps, d, { mean: true }) },
  ];
  const tol = (want: number[]): Tolerance => ({ rel: 1e-6, abs: 1e-9 * Math.max(...want.map(Math.abs)), floor: 0 });
  for (let i = 0; i < cases.length; i++) {
    const [t, ps, d] = cases[i];
    const where = `case ${i + 1} of ${cases.length} (θ = ${showTheta(t)}, ${ps.length} points, δ = ${d})`;
    const got = callLearner("your gradient", where, () => fn(t, ps, d));
    if (!Array.isArray(got) || got.length !== 5)
      throw new TypeError(`your gradient: ${where} returned ${JSON.stringify(got)}, not 5 numbers [∂a, ∂b, ∂e, ∂α, ∂β]`);
    const want = chinchillaObjectiveGradient(t, ps, d);
    const k = firstMismatch(want, got, tol(want));
    if (k < 0) continue;
    const cause = matchMistake(mistakes, (m) => allClose(m(t, ps, d), got, tol(want)));
    throw failure(
      `your gradient is wrong at ${where}, element ${k} (${GRADIENT_NAMES[k]}): expected ${fmt(want[k])}, got ${fmt(got[k])}`,
      cause,
      "check: with z = [a − α·ln N, b − β·ln D, e], w = softmax(z) and h = clamp(LSE(z) − ln L, −δ, δ), each run adds h·[w₀, w₁, w₂, −w₀·ln N, −w₁·ln D].",
    );
  }
  pass(`your gradient matches chinchillaObjective's on ${cases.length} random fits (δ = 10⁻³ and δ = 1)`);
}
