/**
 * What lesson 05 calls: find and load sweep results, split them for the prediction exercise,
 * tabulate a fitted law over (N, D) for the iso-loss chart, and train runs again with a progress
 * bar and a live chart (resumable through `runSweep`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { baseConfig, baseLayout, liveChart, PALETTE, progressBar, type Figure } from "../../charts";
import type { TokenData } from "../../gpt/data";
import { chinchillaLoss, type ChinchillaFit } from "../../scaling/chinchilla";
import { trainScalingRun, type ScalingRunConfig } from "../../scaling/grid";
import type { IsoFlopMinimum, IsoFlopProfile } from "../../scaling/isoflop";
import { findProjectFile } from "../../util/paths";
import { readSweep, runSweep, type SweepFile, type SweepRunSpec } from "../../scaling/sweep";
import type { ScalingPoint } from "../../scaling/validate";

/** A loaded sweep of the lesson's grid. */
export type ScalingSweep = SweepFile<ScalingRunConfig>;

/**
 * The results file of a sweep: a path to an existing .json file as given, otherwise
 * datasets/scaling/<name>.json of the project.
 */
export function sweepPath(nameOrPath: string): string {
  if (typeof nameOrPath !== "string" || nameOrPath.length === 0) throw new RangeError(`sweep must be a name or a path, got ${JSON.stringify(nameOrPath)}`);
  if (nameOrPath.endsWith(".json")) {
    if (!fs.existsSync(nameOrPath)) throw new Error(`sweep results ${nameOrPath} do not exist`);
    return path.resolve(nameOrPath);
  }
  const rel = path.join("datasets", "scaling", `${nameOrPath}.json`);
  const found = findProjectFile(rel);
  if (!found) throw new Error(`sweep "${nameOrPath}" not found (looked for ${rel}); run: node scripts/scaling-sweep.cjs`);
  return found;
}

/** Where the notebook writes runs it trains again: runs/scaling/<name>-rerun.json (git-ignored). */
export function rerunPath(name: string): string {
  const root = findProjectFile("datasets") ?? process.cwd();
  return path.join(path.dirname(root), "runs", "scaling", `${name}-rerun.json`);
}

/** Load a sweep by name or path. */
export function loadScalingSweep(nameOrPath: string): ScalingSweep {
  return readSweep<ScalingRunConfig>(sweepPath(nameOrPath));
}

/** A point with the id of the run it came from. */
export type RunPoint = ScalingPoint & { id: string };

/**
 * The prediction exercise's split: the target is the largest model at its largest budget; the
 * law is fitted on every run of the *smaller* models only, so the forecast extrapolates in N.
 */
export function predictionSplit(points: readonly RunPoint[]): { fitOn: RunPoint[]; target: RunPoint } {
  if (points.length < 6) throw new RangeError(`predictionSplit needs at least 6 runs, got ${points.length}`);
  const maxN = Math.max(...points.map((p) => p.N));
  const biggest = points.filter((p) => p.N === maxN);
  const target = biggest.reduce((a, b) => (b.D > a.D ? b : a));
  const fitOn = points.filter((p) => p.N < maxN);
  if (fitOn.length < 5) throw new RangeError(`predictionSplit: only ${fitOn.length} runs are smaller than the target; the fit needs 5`);
  return { fitOn, target };
}

/** Relative error of a prediction, (predicted − actual) / actual. */
export function relativeError(predicted: number, actual: number): number {
  if (!(Number.isFinite(predicted) && Number.isFinite(actual) && actual !== 0)) {
    throw new RangeError(`relativeError needs finite numbers and actual != 0, got predicted=${predicted}, actual=${actual}`);
  }
  return (predicted - actual) / actual;
}

/** The law on a grid: z[i][j] = L(Ns[j], Ds[i]) (rows = D, columns = N), for a heatmap of iso-loss bands. */
export function lossGrid(fit: Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">, Ns: readonly number[], Ds: readonly number[]): number[][] {
  return Ds.map((D) => Ns.map((N) => chinchillaLoss(fit, N, D)));
}

/** Short axis label for a count: 3300 → "3.3k", 2.8e5 → "280k", 1.2e6 → "1.2M". */
export function shortCount(x: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [v, s] of units) if (Math.abs(x) >= v) return `${Number((x / v).toPrecision(2))}${s}`;
  return String(Number(x.toPrecision(2)));
}

/** Options of `trainRunsLive`. */
export interface LiveSweepOptions {
  /** Results file (resumed when it exists). */
  path: string;
  name?: string;
  backend?: string;
  notes?: string;
  /** Stops the run in progress after its current step; finished runs stay saved. */
  signal?: AbortSignal;
}

/**
 * Train `runs` through `runSweep` (finished ones are skipped), with a progress bar over the runs
 * and a live chart of each run's training loss, so a notebook shows what is happening.
 */
export async function trainRunsLive(runs: readonly SweepRunSpec<ScalingRunConfig>[], data: TokenData, options: LiveSweepOptions): Promise<ScalingSweep> {
  const bar = progressBar(runs.length, "runs");
  const chart = liveChart({ title: "training loss of each run", xTitle: "step", yTitle: "loss (nats/char)", series: runs.map((r) => r.id) });
  const abort = new AbortController();
  try {
    return await runSweep(
      runs,
      (config, spec) =>
        trainScalingRun(config, data, {
          signal: options.signal,
          onStep: (s) => {
            if (s.step % 5 === 0) chart.push(spec.id, s.step, s.loss);
          },
        }).catch((err: unknown) => {
          abort.abort();
          throw err;
        }),
      {
        path: options.path,
        name: options.name,
        backend: options.backend,
        notes: options.notes,
        signal: abort.signal,
        onRun: (r, status) => bar.tick(1, { run: r.id, [status]: r.valLoss.toFixed(3) }),
      },
    );
  } finally {
    bar.done();
    chart.done();
  }
}

/** Options of `isoLossContour`. */
export interface IsoLossOptions {
  /** N range drawn (default: around the points). */
  nRange: [number, number];
  /** D range drawn. */
  dRange: [number, number];
  /** Measured runs drawn on top, labelled with their loss. */
  points?: readonly ScalingPoint[];
  /** Compute-optimal frontier drawn on top (N, D pairs). */
  frontier?: readonly { N: number; D: number }[];
  title?: string;
  /** Grid cells per axis (default 60). */
  resolution?: number;
}

/**
 * Iso-loss contours of a fitted law over (N, D), on log10 axes, with the measured runs and
 * (optionally) the compute-optimal frontier on top. A Plotly `contour` figure: each band is one
 * loss level, and the contour lines are the (N, D) pairs that reach the same loss.
 */
export function isoLossContour(fit: Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">, o: IsoLossOptions): Figure {
  const res = o.resolution ?? 60;
  const lx = [Math.log10(o.nRange[0]), Math.log10(o.nRange[1])];
  const ly = [Math.log10(o.dRange[0]), Math.log10(o.dRange[1])];
  if (!(lx.every(Number.isFinite) && ly.every(Number.isFinite) && lx[1] > lx[0] && ly[1] > ly[0])) {
    throw new RangeError(
      `isoLossContour: nRange and dRange must be increasing positive pairs, got ${JSON.stringify(o.nRange)} and ${JSON.stringify(o.dRange)}`,
    );
  }
  const xs = Array.from({ length: res }, (_, i) => lx[0] + ((lx[1] - lx[0]) * i) / (res - 1));
  const ys = Array.from({ length: res }, (_, i) => ly[0] + ((ly[1] - ly[0]) * i) / (res - 1));
  const z = lossGrid(
    fit,
    xs.map((x) => 10 ** x),
    ys.map((y) => 10 ** y),
  );
  const data: object[] = [
    {
      type: "contour",
      x: xs,
      y: ys,
      z,
      colorscale: "Viridis",
      reversescale: true,
      contours: { coloring: "heatmap", showlabels: true, labelfont: { color: "white" } },
      colorbar: { title: { text: "loss" } },
      name: "fitted law",
      hovertemplate: "N=10^%{x:.2f} D=10^%{y:.2f} loss=%{z:.3f}<extra></extra>",
    },
  ];
  if (o.points && o.points.length > 0) {
    data.push({
      type: "scatter",
      mode: "markers+text",
      name: "runs",
      x: o.points.map((p) => Math.log10(p.N)),
      y: o.points.map((p) => Math.log10(p.D)),
      text: o.points.map((p) => p.loss.toFixed(2)),
      textposition: "top center",
      textfont: { color: "white", size: 10 },
      marker: { color: "white", size: 8, line: { color: "black", width: 1 } },
    });
  }
  if (o.frontier && o.frontier.length > 0) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: "compute-optimal",
      x: o.frontier.map((p) => Math.log10(p.N)),
      y: o.frontier.map((p) => Math.log10(p.D)),
      line: { color: "red", width: 3, dash: "dash" },
    });
  }
  const tick = (lo: number, hi: number) => {
    const vals: number[] = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) vals.push(e);
    return { tickvals: vals, ticktext: vals.map((e) => shortCount(10 ** e)) };
  };
  return {
    data,
    layout: {
      ...baseLayout({
        title: o.title ?? "iso-loss contours of the fitted law",
        xTitle: "N (non-embedding parameters, log scale)",
        yTitle: "D (training tokens, log scale)",
      }),
      xaxis: { title: { text: "N (non-embedding parameters, log scale)" }, range: lx, ...tick(lx[0], lx[1]) },
      yaxis: { title: { text: "D (training tokens, log scale)" }, range: ly, ...tick(ly[0], ly[1]) },
      legend: { orientation: "h", y: -0.2 },
    },
    config: baseConfig(),
  };
}

/**
 * IsoFLOP valleys: for each budget its runs' loss against N (log axis), the parabola in ln N fitted
 * through them, and its vertex N_opt (a star; hollow when it lies outside the sampled sizes).
 * `minima[i]` belongs to `profiles[i]`.
 */
export function isoFlopValleys(profiles: readonly IsoFlopProfile[], minima: readonly IsoFlopMinimum[], o: { title?: string } = {}): Figure {
  if (profiles.length !== minima.length) throw new RangeError(`isoFlopValleys: ${profiles.length} profiles but ${minima.length} minima`);
  const data: object[] = [];
  profiles.forEach((profile, i) => {
    const color = PALETTE[i % PALETTE.length];
    const m = minima[i];
    const name = `C = ${profile.C.toExponential(1)} FLOPs`;
    const xs = profile.points.map((p) => Math.log(p.N));
    const lo = Math.min(...xs, Math.log(m.N)) - 0.2;
    const hi = Math.max(...xs) + 0.2;
    const curve = Array.from({ length: 60 }, (_, k) => lo + ((hi - lo) * k) / 59);
    const { c0, c1, c2 } = m.coefficients;
    data.push(
      {
        type: "scatter",
        mode: "markers",
        name,
        legendgroup: name,
        x: profile.points.map((p) => p.N),
        y: profile.points.map((p) => p.loss),
        marker: { size: 9, color },
      },
      {
        type: "scatter",
        mode: "lines",
        name: `parabola in ln N`,
        legendgroup: name,
        showlegend: false,
        x: curve.map(Math.exp),
        y: curve.map((x) => c0 + c1 * x + c2 * x * x),
        line: { color, width: 2, dash: "dash" },
      },
      {
        type: "scatter",
        mode: "markers",
        name: `N_opt ≈ ${shortCount(m.N)}`,
        legendgroup: name,
        x: [m.N],
        y: [m.loss],
        marker: { size: 16, symbol: m.bracketed ? "star" : "star-open", color, line: { color: "black", width: 1 } },
      },
    );
  });
  return {
    data,
    layout: {
      ...baseLayout({
        title: o.title ?? "IsoFLOP profiles: loss against N at fixed compute",
        xTitle: "N (non-embedding parameters)",
        yTitle: "val loss (nats/char)",
        logX: true,
      }),
      showlegend: true,
    },
    config: baseConfig(),
  };
}
