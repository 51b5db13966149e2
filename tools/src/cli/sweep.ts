/**
 * `llm-lessons sweep NOTEBOOK -p name=v1,v2,… [-p …] [--out DIR] [--repeat K] [--zip]`: runs a
 * notebook once per combination of parameter values (the grid, or paired lists with `--zip`),
 * one run at a time through the real kernel, as `run` does. Layout of DIR:
 *
 *     DIR/runs/<slug>/NAME.ipynb, NAME.metrics.json   what `run` writes
 *     DIR/runs/<slug>/run.json                        written last: the run is finished
 *     DIR/summary.csv, DIR/summary.json               one row per run
 *
 * Resumable: a run whose run.json exists is not run again (a killed run never wrote one); a
 * failed run is recorded with its error and the sweep goes on (`--retry-failed` reruns those).
 *
 * Sharded (`--shard i/N`, for job arrays on several machines): shard i runs every N-th run of the
 * plan, starting with the i-th, into DIR/shard-i-of-N/ (the same layout, resumable alike); then
 * `--merge` with the same arguments gathers every shard's run.json into DIR/summary.csv and
 * summary.json, in the order and with the rows the unsharded sweep would have written.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { ParamError, checkLessonParams, injectParameters, parseParamValue } from "../runner/inject";
import { readNotebook } from "../runner/nbformat";
import { RunResult, notebookName, runNotebook } from "../runner/runner";
import { cleanErrorText } from "./run";

/** One `-p` of a sweep: a name and the values it takes. */
export interface SweepAxis {
  name: string;
  values: unknown[];
}

/** How a run of a sweep ended. */
export type SweepStatus = "ok" | "failed" | "timeout";

/** One row of summary.json (and run.json of a run). */
export interface SweepRow {
  slug: string;
  /** 1-based repetition of the same parameters (`--repeat`). */
  repeat: number;
  params: Record<string, unknown>;
  status: SweepStatus;
  seconds: number;
  /** One line: the failing cell and the error message. */
  error: string | null;
  /** The whole error text (stack of the notebook code included). */
  errorText?: string;
  /** Every scalar metric (numbers, strings, booleans); curves stay in NAME.metrics.json. */
  metrics: Record<string, number | string | boolean | null>;
  /** Paths relative to the sweep folder. */
  notebook: string;
  metricsFile: string;
}

/** summary.json */
export interface SweepSummary {
  notebook: string;
  axes: SweepAxis[];
  zip: boolean;
  repeat: number;
  /** A shard's summary: which part of the plan it ran (`planned`: the runs of the whole sweep). */
  shard?: { index: number; count: number; planned: number };
  runs: SweepRow[];
}

/** One part of a sharded sweep: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `--shard i/N` (1 ≤ i ≤ N, whole numbers); throws ParamError saying what is allowed. */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ParamError(`--shard must be i/N with whole numbers 1 ≤ i ≤ N (e.g. --shard 2/3), got ${JSON.stringify(raw)}`);
  }
  return { index, count };
}

/**
 * The runs of shard `index` of `count`: every count-th run of the plan, from the index-th on.
 * Round robin, so that each shard gets a share of every part of the grid (the first axis varies
 * slowest: model sizes, say, are spread over the shards instead of the largest landing on one).
 * The shards are disjoint and together give the whole plan.
 */
export function shardPlan<T>(plan: readonly T[], shard: Shard): T[] {
  return plan.filter((_, k) => k % shard.count === shard.index - 1);
}

/** The folder of a shard inside the sweep folder. */
export function shardFolder(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

/** Split on commas that are not escaped with a backslash; `\,` becomes `,` and `\\` becomes `\`. */
export function splitUnescaped(raw: string): string[] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === "\\" && (raw[i + 1] === "," || raw[i + 1] === "\\")) {
      cur += raw[i + 1];
      i += 1;
    } else if (ch === ",") {
      parts.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

/**
 * The values of one `-p name=…` of a sweep. A JSON list gives the values (`[1,"a,b"]`; a single
 * list value is `[[1,2]]`); other JSON is one value (`{"a":1,"b":2}`); else the text is split on
 * commas not escaped as `\,` and each part is read like a `-p` value of `run` (JSON when it parses,
 * else a string).
 */
export function parseSweepValues(raw: string): unknown[] {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      return Array.isArray(v) ? v : [v];
    } catch {
      // not JSON: split below
    }
  }
  return splitUnescaped(raw).map(parseParamValue);
}

/** Parse the `-p` arguments of a sweep; throws ParamError naming a bad one. */
export function parseSweepArgs(args: readonly string[]): SweepAxis[] {
  const axes: SweepAxis[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const name = eq < 0 ? "" : arg.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new ParamError(`-p expects name=v1,v2,… with a valid identifier as name, got ${JSON.stringify(arg)}`);
    }
    if (axes.some((a) => a.name === name)) throw new ParamError(`-p ${name} is given twice; list all its values in one -p ${name}=v1,v2,…`);
    const values = parseSweepValues(arg.slice(eq + 1));
    if (values.length === 0) throw new ParamError(`-p ${name} has no values`);
    axes.push({ name, values });
  }
  return axes;
}

/**
 * The parameter sets of a sweep: every combination (the first axis varies slowest), or with `zip`
 * the i-th value of every list together (lists of one value are used in every run).
 */
export function sweepCombinations(axes: readonly SweepAxis[], zip = false): Record<string, unknown>[] {
  if (axes.length === 0) return [{}];
  if (zip) {
    const lengths = [...new Set(axes.map((a) => a.values.length).filter((n) => n > 1))];
    if (lengths.length > 1) {
      throw new ParamError(`--zip needs lists of the same length (or of one value): ${axes.map((a) => `${a.name} has ${a.values.length}`).join(", ")}`);
    }
    const n = lengths[0] ?? 1;
    return Array.from({ length: n }, (_, i) => Object.fromEntries(axes.map((a) => [a.name, a.values.length === 1 ? a.values[0] : a.values[i]])));
  }
  let combos: Record<string, unknown>[] = [{}];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.name]: v })));
  return combos;
}

/** The names of the axes with more than one value. */
export function sweptNames(axes: readonly SweepAxis[]): string[] {
  return axes.filter((a) => a.values.length > 1).map((a) => a.name);
}

/**
 * The folder name of one run: the swept values (readable, filesystem-safe), the repetition, and
 * a hash of all parameters so that runs with other fixed values never count as done.
 */
export function runSlug(params: Record<string, unknown>, swept: readonly string[], repeat: number, repeats: number): string {
  const text = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
  const readable = swept
    .map((n) => `${n}=${text(params[n])}`)
    .join("_")
    .replace(/[^\w.=+-]+/g, "-")
    .slice(0, 80);
  const hash = createHash("sha1")
    .update(JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest("hex")
    .slice(0, 8);
  return [readable || "run", repeats > 1 ? `r${repeat}` : "", hash].filter((s) => s !== "").join("_");
}

/** The scalar metrics of a metrics object (curves and other JSON are left out). */
export function scalarMetrics(metrics: Record<string, unknown>): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {};
  for (const [k, v] of Object.entries(metrics)) {
    if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** One CSV field (RFC 4180 quoting). */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? "" : typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** summary.csv: run, repeat, every parameter, status, seconds, error, every scalar metric. */
export function summaryCsv(rows: readonly SweepRow[]): string {
  const paramNames = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const fixed = new Set(["run", "repeat", ...paramNames, "status", "seconds", "error"]);
  const header = [...fixed, ...metricNames.map((n) => (fixed.has(n) ? `metric.${n}` : n))];
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) {
    lines.push(
      [r.slug, r.repeat, ...paramNames.map((n) => r.params[n]), r.status, r.seconds, r.error, ...metricNames.map((n) => r.metrics[n])].map(csvField).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/** Write a file so that a reader never sees it half-written. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** "1 min 05 s" / "12 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${String(s % 60).padStart(2, "0")} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** Options of `sweepCommand` as commander parses them. */
export interface SweepCommandOptions {
  param?: string[];
  out?: string;
  repeat?: string;
  zip?: boolean;
  timeout?: string;
  retryFailed?: boolean;
  verbose?: boolean;
  /** `i/N`: run only shard i of N (see parseShard). */
  shard?: string;
  /** Gather the shards' runs into the sweep folder's summary instead of running anything. */
  merge?: boolean;
}

function rowOf(result: RunResult, slug: string, repeat: number, params: Record<string, unknown>, dir: string): SweepRow {
  const status: SweepStatus = result.ok ? "ok" : result.timedOut ? "timeout" : "failed";
  let error: string | null = null;
  let errorText: string | undefined;
  if (!result.ok) {
    errorText = result.timedOut ? (result.error ?? "") : cleanErrorText(result.error ?? "");
    const line = shortError(errorText);
    error = result.failedCell !== undefined && !result.timedOut ? `cell ${result.failedCell}: ${line}` : line;
  }
  return {
    slug,
    repeat,
    params,
    status,
    seconds: result.seconds,
    error,
    ...(errorText !== undefined ? { errorText } : {}),
    metrics: scalarMetrics(result.metrics),
    notebook: relative(dir, result.notebookPath),
    metricsFile: relative(dir, result.metricsPath),
  };
}

/** One line of an error text: the `SomeError: message` line when there is one, else the first line. */
export function shortError(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b.*:/.test(l)) ?? lines[0] ?? "";
}

/** Read a finished run's run.json, or null when the run has not finished (or belongs to other parameters). */
function finishedRow(file: string, params: Record<string, unknown>): SweepRow | null {
  if (!existsSync(file)) return null;
  try {
    const row = JSON.parse(readFileSync(file, "utf8")) as SweepRow;
    return JSON.stringify(row.params) === JSON.stringify(params) ? row : null;
  } catch {
    return null;
  }
}

/** Run the command; returns the exit code (0 all ok, 1 a run failed, 2 bad arguments, 130 Ctrl-C). */
export async function sweepCommand(notebook: string, options: SweepCommandOptions): Promise<number> {
  const fail = (msg: string): number => {
    process.stderr.write(`${msg}\n`);
    return 2;
  };
  const repeats = options.repeat === undefined ? 1 : Number(options.repeat);
  if (!Number.isInteger(repeats) || repeats < 1) return fail(`--repeat must be a whole number ≥ 1, got ${JSON.stringify(options.repeat)}`);
  const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    return fail(`--timeout must be a number of seconds > 0, got ${JSON.stringify(options.timeout)}`);
  }
  let axes: SweepAxis[];
  let combos: Record<string, unknown>[];
  let shard: Shard | null = null;
  const nbPath = resolve(notebook);
  try {
    if (options.shard !== undefined && options.merge) throw new ParamError("--shard and --merge do not go together: run each shard, then --merge once");
    if (options.shard !== undefined) shard = parseShard(options.shard);
    axes = parseSweepArgs(options.param ?? []);
    combos = sweepCombinations(axes, options.zip);
    const nb = readNotebook(nbPath);
    injectParameters(nb, combos[0], basename(nbPath)); // unknown names fail here, before any kernel starts
    for (const params of combos) checkLessonParams(params, basename(nbPath)); // and values the lesson does not allow
  } catch (e) {
    return fail((e as Error).message);
  }
  const name = notebookName(nbPath);
  const base = resolve(options.out ?? join("sweeps", name));
  const dir = shard ? join(base, shardFolder(shard)) : base;
  const swept = sweptNames(axes);
  const whole = combos.flatMap((params) =>
    Array.from({ length: repeats }, (_, k) => ({ params, repeat: k + 1, slug: runSlug(params, swept, k + 1, repeats) })),
  );
  const summaryOf = (runs: SweepRow[]): SweepSummary => ({ notebook: nbPath, axes, zip: options.zip === true, repeat: repeats, runs });
  if (options.merge) return mergeShards(base, whole, summaryOf);
  const plan = shard ? shardPlan(whole, shard) : whole;
  mkdirSync(join(dir, "runs"), { recursive: true });

  const rows = new Map<string, SweepRow>();
  const writeSummary = (): void => {
    const ordered = plan.map((p) => rows.get(p.slug)).filter((r): r is SweepRow => r !== undefined);
    const summary = summaryOf(ordered);
    if (shard) summary.shard = { index: shard.index, count: shard.count, planned: whole.length };
    writeAtomic(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
    writeAtomic(join(dir, "summary.csv"), summaryCsv(ordered));
  };

  const todo = plan.filter((p) => {
    const row = finishedRow(join(dir, "runs", p.slug, "run.json"), p.params);
    if (row && (row.status === "ok" || !options.retryFailed)) {
      rows.set(p.slug, row);
      return false;
    }
    return true;
  });
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  log(
    `sweep of ${name}${shard ? ` (shard ${shard.index} of ${shard.count}: ${plan.length} of ${whole.length} runs)` : ""}: ${plan.length} run${plan.length === 1 ? "" : "s"} (${swept.length ? swept.join(" × ") : "no swept parameter"}${repeats > 1 ? ` × ${repeats} repeats` : ""}` +
      `${options.zip ? ", zipped" : ""}) into ${dir}` +
      (plan.length > todo.length ? `; ${plan.length - todo.length} already finished, ${todo.length} to run` : ""),
  );
  writeSummary();

  const abort = new AbortController();
  let sigints = 0;
  const onSigint = (): void => {
    sigints += 1;
    if (sigints === 1) {
      log("\ninterrupting the current run (Ctrl-C again to force quit); finished runs are kept…");
      abort.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  let spent = 0;
  let done = 0;
  let interrupted = false;
  try {
    for (const [k, p] of todo.entries()) {
      const runDir = join(dir, "runs", p.slug);
      mkdirSync(runDir, { recursive: true });
      const label = swept.map((n) => `${n}=${JSON.stringify(p.params[n])}`).join(" ") || "run";
      log(`[${plan.length - todo.length + k + 1}/${plan.length}] ${label}${repeats > 1 ? ` (repeat ${p.repeat})` : ""} …`);
      const result = await runNotebook(nbPath, { params: p.params, outDir: runDir, timeoutSeconds, quiet: !options.verbose, signal: abort.signal });
      if (result.interrupted) {
        interrupted = true; // no run.json: the run counts as not done
        break;
      }
      const row = rowOf(result, p.slug, p.repeat, p.params, dir);
      writeAtomic(join(runDir, "run.json"), JSON.stringify(row, null, 2) + "\n");
      rows.set(p.slug, row);
      writeSummary();
      spent += result.seconds;
      done += 1;
      const left = todo.length - k - 1;
      const eta = left > 0 ? ` · ETA ${formatDuration((spent / done) * left)} for ${left} more` : "";
      log(`    ${row.status} in ${result.seconds.toFixed(1)} s${row.error ? `: ${row.error.split("\n")[0]}` : ""}${eta}`);
    }
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
  }
  writeSummary();
  const all = [...rows.values()];
  const bad = all.filter((r) => r.status !== "ok").length;
  log(`${interrupted ? "interrupted: " : ""}${all.length - bad} ok, ${bad} failed of ${plan.length}: ${join(dir, "summary.csv")}`);
  if (interrupted) return 130;
  return bad > 0 ? 1 : 0;
}

/**
 * `sweep --merge`: the rows of the whole plan, each read from the run.json that a shard (or an
 * unsharded sweep) wrote under `base` — DIR/shard-i-of-N/runs/RUN/ or DIR/runs/RUN/ — written
 * as DIR/summary.csv and summary.json with paths relative to DIR. Returns 0 when every run is
 * there and ok, 1 when one failed or is missing (the summary then holds the runs that are there,
 * and stderr names the missing ones).
 */
export function mergeShards(
  base: string,
  plan: readonly { params: Record<string, unknown>; slug: string }[],
  summaryOf: (runs: SweepRow[]) => SweepSummary,
): number {
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  if (!existsSync(base)) {
    log(`--merge: no sweep folder ${base}; run the shards first (sweep … --shard i/N --out ${base})`);
    return 2;
  }
  const folders = [
    ...readdirSync(base)
      .filter((f) => /^shard-\d+-of-\d+$/.test(f))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    ".",
  ];
  const rows: SweepRow[] = [];
  const missing: string[] = [];
  for (const p of plan) {
    let row: SweepRow | null = null;
    for (const f of folders) {
      row = finishedRow(join(base, f, "runs", p.slug, "run.json"), p.params);
      if (row) {
        row = { ...row, notebook: join(f, row.notebook), metricsFile: join(f, row.metricsFile) };
        break;
      }
    }
    if (row) rows.push(row);
    else missing.push(p.slug);
  }
  writeAtomic(join(base, "summary.json"), JSON.stringify(summaryOf(rows), null, 2) + "\n");
  writeAtomic(join(base, "summary.csv"), summaryCsv(rows));
  const bad = rows.filter((r) => r.status !== "ok").length;
  const shards = folders.length - 1;
  log(
    `merged ${rows.length} of ${plan.length} runs from ${shards} shard folder${shards === 1 ? "" : "s"}: ${rows.length - bad} ok, ${bad} failed: ${join(base, "summary.csv")}`,
  );
  if (missing.length > 0) {
    log(
      `${missing.length} run${missing.length === 1 ? " has" : "s have"} not finished (run or rerun the shards that hold them; finished runs are kept): ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}`,
    );
  }
  return missing.length > 0 || bad > 0 ? 1 : 0;
}
