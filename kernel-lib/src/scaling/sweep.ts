/**
 * A resumable sweep: train a list of runs, append each finished result to a JSON file (written
 * atomically: temp file + rename), and on restart skip every run whose id is already there. An
 * interrupted sweep therefore loses at most the run in progress.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** One run of a sweep: an id unique within the sweep and the settings the trainer needs. */
export interface SweepRunSpec<C = Record<string, unknown>> {
  id: string;
  config: C;
}

/** What a trainer returns for one run. */
export interface SweepOutcome {
  /** Parameters counted for the law (say which convention in `notes`). */
  N: number;
  /** Training tokens seen. */
  D: number;
  /** Final validation loss (nats per token). */
  valLoss: number;
  trainLoss?: number;
  [extra: string]: unknown;
}

export interface SweepResult<C = Record<string, unknown>> extends SweepOutcome {
  id: string;
  config: C;
  seconds: number;
  finishedAt: string;
}

export interface SweepFile<C = Record<string, unknown>> {
  version: 1;
  name: string;
  machine: { cpus: string; cores: number; memoryGiB: number; platform: string; node: string };
  backend: string | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
  runs: SweepResult<C>[];
}

export interface SweepOptions {
  /** Where results live; created if absent, resumed if present. */
  path: string;
  name?: string;
  backend?: string | null;
  notes?: string;
  /** Called after each finished (or skipped) run. */
  onRun?: (result: SweepResult, status: "trained" | "skipped", index: number, total: number) => void;
  /** Checked before each run: stop cleanly between runs. */
  signal?: AbortSignal;
}

export function machineInfo(): SweepFile["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}

/** Read a sweep file, checking its shape; a damaged file is an error naming the path. */
export function readSweep<C = Record<string, unknown>>(file: string): SweepFile<C> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read sweep results ${file}: ${(err as Error).message}`);
  }
  const s = parsed as SweepFile<C>;
  if (s === null || typeof s !== "object" || s.version !== 1 || !Array.isArray(s.runs)) {
    throw new Error(`${file} is not a sweep results file (expected { version: 1, runs: [...] })`);
  }
  s.runs.forEach((r, i) => {
    for (const field of ["N", "D", "valLoss"] as const) {
      if (typeof r[field] !== "number" || !Number.isFinite(r[field])) {
        throw new Error(`${file}: run ${i} (${String(r.id)}) has ${field} = ${String(r[field])}`);
      }
    }
  });
  return s;
}

/** Write JSON atomically: a reader never sees a half-written file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 1) + "\n");
  fs.renameSync(tmp, file);
}

/** Train every run not yet in `options.path`, in order, saving after each. */
export async function runSweep<C>(
  runs: readonly SweepRunSpec<C>[],
  train: (config: C, spec: SweepRunSpec<C>) => Promise<SweepOutcome>,
  options: SweepOptions,
): Promise<SweepFile<C>> {
  const ids = new Set<string>();
  for (const r of runs) {
    if (ids.has(r.id)) throw new RangeError(`runSweep: duplicate run id "${r.id}"`);
    ids.add(r.id);
  }
  const now = new Date().toISOString();
  const sweep: SweepFile<C> = fs.existsSync(options.path)
    ? readSweep<C>(options.path)
    : {
        version: 1,
        name: options.name ?? path.basename(options.path, ".json"),
        machine: machineInfo(),
        backend: options.backend ?? null,
        notes: options.notes ?? "",
        createdAt: now,
        updatedAt: now,
        runs: [],
      };
  const done = new Map(sweep.runs.map((r) => [r.id, r]));
  for (let i = 0; i < runs.length; i++) {
    const spec = runs[i];
    const existing = done.get(spec.id);
    if (existing) {
      options.onRun?.(existing as SweepResult, "skipped", i, runs.length);
      continue;
    }
    if (options.signal?.aborted) break;
    const t0 = performance.now();
    const outcome = await train(spec.config, spec);
    for (const field of ["N", "D", "valLoss"] as const) {
      if (typeof outcome[field] !== "number" || !Number.isFinite(outcome[field])) {
        throw new Error(`runSweep: run "${spec.id}" returned ${field} = ${String(outcome[field])}`);
      }
    }
    const result: SweepResult<C> = {
      ...outcome,
      id: spec.id,
      config: spec.config,
      seconds: (performance.now() - t0) / 1000,
      finishedAt: new Date().toISOString(),
    };
    sweep.runs.push(result);
    sweep.updatedAt = result.finishedAt;
    if (options.backend) sweep.backend = options.backend;
    writeJsonAtomic(options.path, sweep);
    options.onRun?.(result as SweepResult, "trained", i, runs.length);
  }
  return sweep;
}
