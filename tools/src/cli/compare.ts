/**
 * `llm-lessons compare DIR… [--metric NAME]… [--html FILE]`: the runs of sweeps (DIR/summary.json)
 * and of `run --out DIR` (every NAME.metrics.json below DIR) side by side — a table of the
 * parameters that differ and the chosen metrics in the terminal, and an offline HTML report with
 * Plotly charts: each metric against each parameter that differs, and the curves the notebooks
 * recorded (`recordMetric(name, [..])` or `{x, y}`) overlaid, one line per run.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, relative, resolve } from "path";
import { type Figure, baseConfig, baseLayout, chartDivHtml, escapeHtml } from "kernel-lib/charts";
import { seriesXY } from "kernel-lib/runtime";
import { MetricsFile } from "../runner/runner";
import { SweepSummary } from "./sweep";
import { PLOTLY_FILE, formatCell, htmlPage, htmlTable, writePlotlyBeside } from "./html-page";

/** One run as the comparison sees it. */
export interface ComparedRun {
  /** The folder given on the command line that holds the run. */
  source: string;
  /** The run's name: its folder in a sweep, else its metrics file relative to `source` without `.metrics.json`. */
  where: string;
  params: Record<string, unknown>;
  repeat: number;
  status: string;
  seconds: number;
  metrics: Record<string, unknown>;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** Every `*.metrics.json` under `dir` (at most `depth` folders down; node_modules skipped). */
export function findMetricsFiles(dir: string, depth = 4): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (e.endsWith(".metrics.json")) out.push(p);
    else if (depth > 0 && e !== "node_modules" && !e.startsWith(".") && statSync(p).isDirectory()) out.push(...findMetricsFiles(p, depth - 1));
  }
  return out;
}

function statusOfCells(file: MetricsFile): string {
  const bad = file.cells?.find((c) => c.status !== "ok" && c.status !== "skipped");
  return bad ? (bad.status === "error" ? "failed" : bad.status) : "ok";
}

/** Load the runs under each path: a sweep folder, a folder of runs, or one metrics.json file. */
export function loadRuns(paths: readonly string[]): ComparedRun[] {
  const runs: ComparedRun[] = [];
  for (const given of paths) {
    const path = resolve(given);
    if (!existsSync(path)) throw new Error(`${given}: no such file or folder`);
    const summary = statSync(path).isDirectory() ? readJson<SweepSummary>(join(path, "summary.json")) : null;
    if (summary && Array.isArray(summary.runs)) {
      for (const row of summary.runs) {
        const full = readJson<MetricsFile>(join(path, row.metricsFile));
        runs.push({
          source: given,
          where: row.slug,
          params: row.params,
          repeat: row.repeat ?? 1,
          status: row.status,
          seconds: row.seconds,
          metrics: { ...row.metrics, ...(full?.metrics ?? {}) },
        });
      }
      continue;
    }
    const files = statSync(path).isDirectory() ? findMetricsFiles(path) : [path];
    for (const f of files) {
      const m = readJson<MetricsFile>(f);
      if (!m || typeof m.metrics !== "object") continue;
      const runJson = readJson<{ status?: string; repeat?: number }>(join(dirname(f), "run.json"));
      runs.push({
        source: given,
        where: (relative(statSync(path).isDirectory() ? path : dirname(path), f) || basename(f)).replace(/\.metrics\.json$/, ""),
        params: m.params ?? {},
        repeat: runJson?.repeat ?? 1,
        status: runJson?.status ?? statusOfCells(m),
        seconds: m.seconds,
        metrics: m.metrics ?? {},
      });
    }
  }
  return runs;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A parameter value as a label: strings as they are, a parameter a run did not set as "default". */
function valueText(v: unknown): string {
  return v === undefined ? "default" : typeof v === "string" ? v : JSON.stringify(v);
}

/** Parameter names whose values are not the same in every run (in first-seen order). */
export function differingParams(runs: readonly ComparedRun[]): string[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  return names.filter((n) => runs.some((r) => !same(r.params[n], runs[0].params[n])));
}

/** Names of metrics that are numbers in at least one run. */
export function numericMetricNames(runs: readonly ComparedRun[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics).filter((k) => typeof r.metrics[k] === "number")))];
}

/** Names of metrics that are curves in at least one run. */
export function seriesMetricNames(runs: readonly ComparedRun[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics).filter((k) => seriesXY(r.metrics[k]) !== null)))];
}

/** The table of runs: header and rows. */
export function compareTable(runs: readonly ComparedRun[], metrics: readonly string[]): { header: string[]; rows: unknown[][] } {
  const params = differingParams(runs);
  const sources = new Set(runs.map((r) => r.source)).size > 1;
  const repeats = new Set(runs.map((r) => r.repeat)).size > 1;
  const header = ["#", "run", ...(sources ? ["from"] : []), ...params, ...(repeats ? ["repeat"] : []), "status", "seconds", ...metrics];
  const rows = runs.map((r, i) => [
    i + 1,
    r.where,
    ...(sources ? [r.source] : []),
    ...params.map((p) => r.params[p]),
    ...(repeats ? [r.repeat] : []),
    r.status,
    r.seconds,
    ...metrics.map((m) => (seriesXY(r.metrics[m]) ? "(curve)" : r.metrics[m])),
  ]);
  return { header, rows };
}

/** A plain-text table with aligned columns (numbers right-aligned). */
export function textTable(header: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map(formatCell));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  const line = (r: string[], raw?: unknown[]): string =>
    r
      .map((c, j) => (typeof raw?.[j] === "number" ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...cells.map((r, i) => line(r, rows[i]))].join("\n") + "\n";
}

/** A short name for a run: its differing parameters, else its folder. */
export function runLabel(run: ComparedRun, params: readonly string[]): string {
  const parts = params.map((p) => `${p}=${valueText(run.params[p])}`);
  if (run.repeat > 1) parts.push(`#${run.repeat}`);
  return parts.join(" ") || run.where;
}

/** True when a numeric axis should be logarithmic (all > 0, spanning more than 1.5 decades). */
function wantsLog(xs: number[]): boolean {
  if (xs.length < 2 || xs.some((x) => x <= 0)) return false;
  return Math.log10(Math.max(...xs) / Math.min(...xs)) > 1.5;
}

/** The figures of the report: each metric against each differing parameter, then the curves. */
export function compareFigures(runs: readonly ComparedRun[], metrics: readonly string[], curves: readonly string[]): Figure[] {
  const figs: Figure[] = [];
  const params = differingParams(runs);
  const ok = runs.filter((r) => r.status === "ok" || Object.keys(r.metrics).length > 0);
  for (const m of metrics) {
    for (const p of params) {
      const others = params.filter((q) => q !== p);
      const groups = new Map<string, ComparedRun[]>();
      for (const r of ok) {
        if (typeof r.metrics[m] !== "number") continue;
        const key = others.map((q) => `${q}=${valueText(r.params[q])}`).join(" ");
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
      if (groups.size === 0) continue;
      const xsAll = ok.map((r) => r.params[p]);
      const numeric = xsAll.every((x) => typeof x === "number");
      const data = [...groups.entries()].map(([key, rs]) => {
        const sorted = numeric ? [...rs].sort((a, b) => (a.params[p] as number) - (b.params[p] as number)) : rs;
        return {
          type: "scatter",
          mode: "lines+markers",
          name: key || m,
          x: sorted.map((r) => (numeric ? r.params[p] : valueText(r.params[p]))),
          y: sorted.map((r) => r.metrics[m]),
        };
      });
      const layout = baseLayout({ title: `${m} against ${p}`, xTitle: p, yTitle: m, logX: numeric && wantsLog(xsAll as number[]) });
      if (!numeric) (layout.xaxis as Record<string, unknown>).type = "category";
      layout.showlegend = groups.size > 1;
      figs.push({ data, layout, config: baseConfig() });
    }
  }
  for (const c of curves) {
    const data = runs
      .map((r) => ({ r, s: seriesXY(r.metrics[c]) }))
      .filter((e) => e.s !== null)
      .map(({ r, s }) => ({ type: "scatter", mode: "lines", name: runLabel(r, params), x: s!.x, y: s!.y }));
    if (data.length === 0) continue;
    const layout = baseLayout({ title: `${c}, one line per run`, xTitle: "x (as recorded)", yTitle: c });
    layout.showlegend = true;
    figs.push({ data, layout, config: baseConfig() });
  }
  return figs;
}

/** The whole report page (plotly.js is expected beside it as PLOTLY_FILE). */
export function compareHtml(runs: readonly ComparedRun[], metrics: readonly string[], curves: readonly string[], sources: readonly string[]): string {
  const { header, rows } = compareTable(runs, metrics);
  const figs = compareFigures(runs, metrics, curves);
  const body =
    `<main>\n<h1>Comparison of ${runs.length} run${runs.length === 1 ? "" : "s"}</h1>\n` +
    `<p class="muted">From ${sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(", ")}; written by <code>llm-lessons compare</code> on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC.</p>\n` +
    htmlTable(header, rows, (i) => (runs[i].status === "ok" ? "" : "failed")) +
    (figs.length === 0 ? `<p class="muted">No chart: no parameter differs between the runs and no curve was recorded.</p>\n` : "") +
    figs.map((f) => `<div class="chart">${chartDivHtml(f)}</div>`).join("\n") +
    `\n</main>`;
  return htmlPage(`Comparison of ${runs.length} runs`, body, { plotlySrc: PLOTLY_FILE });
}

/** Options of `compareCommand` as commander parses them. */
export interface CompareCommandOptions {
  metric?: string[];
  html?: string;
}

/** Run the command; returns the exit code (0 ok, 2 nothing to compare or bad arguments). */
export function compareCommand(dirs: string[], options: CompareCommandOptions): number {
  let runs: ComparedRun[];
  try {
    runs = loadRuns(dirs);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (runs.length === 0) {
    process.stderr.write(`no runs found in ${dirs.join(", ")} (expected a sweep folder with summary.json, or NAME.metrics.json files)\n`);
    return 2;
  }
  const requested = options.metric ?? [];
  const known = new Set(runs.flatMap((r) => Object.keys(r.metrics)));
  const missing = requested.filter((m) => !known.has(m));
  if (missing.length > 0) {
    process.stderr.write(`no run recorded ${missing.map((m) => `"${m}"`).join(", ")}; recorded metrics: ${[...known].sort().join(", ")}\n`);
    return 2;
  }
  const series = new Set(seriesMetricNames(runs));
  const metrics = requested.length > 0 ? requested : numericMetricNames(runs);
  const curves = requested.length > 0 ? requested.filter((m) => series.has(m)) : [...series];
  const { header, rows } = compareTable(runs, metrics);
  process.stdout.write(textTable(header, rows));
  if (options.html) {
    const file = resolve(options.html);
    mkdirSync(dirname(file), { recursive: true });
    writePlotlyBeside(dirname(file));
    writeFileSync(
      file,
      compareHtml(
        runs,
        metrics.filter((m) => !series.has(m)),
        curves,
        dirs,
      ),
    );
    process.stderr.write(`report: ${file} (with ${PLOTLY_FILE} beside it; opens offline)\n`);
  }
  return 0;
}
