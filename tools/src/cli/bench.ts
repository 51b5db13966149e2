/**
 * `llm-lessons bench NAME`: runs the benchmark in `tools/src/bench/MODULE.ts`, named for the
 * kernel-lib module it measures (loaded lazily, so a missing or slow one never affects the other
 * commands).
 */
import { BenchFunction, BenchResult } from "../bench/types";

/** Benchmark name → the kernel-lib module it measures (its file in tools/src/bench/). */
export const BENCHMARKS: Readonly<Record<string, string>> = {
  bpe: "text",
  word2vec: "word2vec",
  attention: "attention",
  gpt: "gpt",
  scaling: "scaling",
  bow: "bow",
  backends: "tf",
};

/** A usage problem (unknown or unavailable benchmark): exit code 2. */
export class BenchError extends Error {
  override name = "BenchError";
}

/** Load the bench function of `name`; throws BenchError naming the known ones or the missing module. */
export function loadBench(name: string, load: (id: string) => unknown = require): BenchFunction {
  const module = BENCHMARKS[name];
  if (module === undefined) {
    throw new BenchError(`unknown benchmark "${name}"; known benchmarks: ${Object.keys(BENCHMARKS).join(", ")}`);
  }
  const id = `../bench/${module}`;
  let mod: { bench?: unknown };
  try {
    mod = load(id) as { bench?: unknown };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "MODULE_NOT_FOUND" && String(err.message).includes(`bench/${module}`)) {
      throw new BenchError(`benchmark ${name} is not available: tools/src/bench/${module}.ts does not exist in this build`);
    }
    throw e;
  }
  if (typeof mod.bench !== "function") {
    throw new BenchError(`benchmark ${name} is not available: tools/src/bench/${module}.ts does not export a bench function`);
  }
  return mod.bench as BenchFunction;
}

/** A plain-text table of a result: one figure per line, then the notes. */
export function formatBench(result: BenchResult): string {
  const entries = Object.entries(result.figures);
  const width = Math.max(6, ...entries.map(([k]) => k.length));
  const fmt = (v: number | string): string => (typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toPrecision(4)) : v);
  const lines = [`benchmark ${result.name}`, `${"figure".padEnd(width)}  value`, `${"-".repeat(width)}  ${"-".repeat(12)}`];
  for (const [k, v] of entries) lines.push(`${k.padEnd(width)}  ${fmt(v)}`);
  for (const table of result.tables ?? []) lines.push("", table);
  if (result.notes.length > 0) lines.push("", ...result.notes.map((n) => `note: ${n}`));
  return lines.join("\n");
}

/** The `bench` command: prints the table (or JSON) on stdout; returns the exit code. */
export async function benchCommand(name: string, options: { json?: boolean; quick?: boolean; profile?: boolean }): Promise<number> {
  let bench: BenchFunction;
  try {
    bench = loadBench(name);
  } catch (e) {
    if (e instanceof BenchError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const result = await bench({ quick: options.quick ?? false, profile: options.profile ?? false });
  process.stdout.write(options.json ? JSON.stringify(result, null, 2) + "\n" : formatBench(result) + "\n");
  return 0;
}
