/**
 * The headless notebook runner behind `llm-lessons run`: injects parameters, starts the tslab
 * kernel from the project's kernelspec in the notebook's folder, executes the code cells in order
 * while collecting their outputs, stops at the first failing cell, and writes the executed
 * notebook plus `NAME.metrics.json`. The kernel is always shut down, also on timeout or abort.
 */
import { mkdirSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { ManagedKernel, startKernel } from "./kernel-manager";
import { KernelSpec, loadKernelSpec, projectRoot } from "./kernelspec";
import { Notebook, Output, OutputCollector, cleanCopy, readNotebook, sourceText } from "./nbformat";
import { injectParameters } from "./inject";
import { METRIC_MIME, RUNNER_ENV } from "kernel-lib/runtime";
import { ProgressReporter, silentProgress, streamProgress } from "./progress";

/** Options of `runNotebook`. */
export interface RunOptions {
  /** `-p` overrides, injected after the `parameters` cell. */
  params?: Record<string, unknown>;
  /** Where to write NAME.ipynb and NAME.metrics.json (default `<project>/runs`). */
  outDir?: string;
  /** Per-cell time limit in seconds (default 600). */
  timeoutSeconds?: number;
  /** No progress lines on stderr. */
  quiet?: boolean;
  /** Abort the run (Ctrl-C): the running cell is interrupted, the kernel shut down, partial results written. */
  signal?: AbortSignal;
  /** The kernelspec to use (default: the project's). */
  kernelSpec?: KernelSpec;
  /** Where progress goes (default stderr, or nothing when `quiet`). */
  progress?: ProgressReporter;
}

/** How one code cell ended. */
export type CellStatus = "ok" | "error" | "timeout" | "interrupted" | "skipped";

/** Per-cell record in NAME.metrics.json. */
export interface CellRecord {
  /** 1-based position of the cell in the executed notebook (markdown cells count). */
  index: number;
  /** Wall-clock seconds the cell took (0 when it did not run). */
  seconds: number;
  status: CellStatus;
}

/** The outcome of a run (the shape fixed by the project's contracts, plus details). */
export interface RunResult {
  ok: boolean;
  /** 1-based position (in the executed notebook) of the cell that failed or timed out. */
  failedCell?: number;
  /** The failing cell's error text (tslab prints it on stderr), or why the run stopped. */
  error?: string;
  notebookPath: string;
  metricsPath: string;
  /** What the notebook recorded with `recordMetric` (the latest value per name). */
  metrics: Record<string, unknown>;
  /** Wall-clock seconds of the whole run, kernel start included. */
  seconds: number;
  /** The metric named "backend", when the notebook recorded one. */
  backend?: string;
  /** The parameters that were injected. */
  params: Record<string, unknown>;
  cells: CellRecord[];
  /** Seconds from spawning the kernel to its first kernel_info_reply. */
  kernelStartSeconds?: number;
  /** True when a cell hit the time limit. */
  timedOut?: boolean;
  /** True when the run was aborted through `signal`. */
  interrupted?: boolean;
}

/** The file written next to the executed notebook. */
export interface MetricsFile {
  params: Record<string, unknown>;
  backend: string | null;
  seconds: number;
  cells: CellRecord[];
  metrics: Record<string, unknown>;
}

/** The notebook's base name without `.ipynb`. */
export function notebookName(path: string): string {
  return basename(path).replace(/\.ipynb$/i, "");
}

/**
 * Run a notebook headlessly. Throws (before starting any kernel) when the notebook cannot be read
 * or a parameter is unknown (`ParamError`); every other failure is reported in the result, with
 * the partial executed notebook and metrics written.
 */
export async function runNotebook(path: string, options: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const nbPath = resolve(path);
  const name = notebookName(nbPath);
  const params = options.params ?? {};
  const nb: Notebook = cleanCopy(injectParameters(readNotebook(nbPath), params, basename(nbPath)));
  const outDir = resolve(options.outDir ?? join(projectRoot(), "runs"));
  mkdirSync(outDir, { recursive: true });
  const notebookPath = join(outDir, `${name}.ipynb`);
  const metricsPath = join(outDir, `${name}.metrics.json`);
  const progress = options.progress ?? (options.quiet ? silentProgress : streamProgress());
  const timeoutMs = Math.round((options.timeoutSeconds ?? 600) * 1000);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutSeconds must be > 0, got ${options.timeoutSeconds}`);

  const metrics: Record<string, unknown> = {};
  const displays = new Map<string, Output[]>();
  const collectors = new Map<number, OutputCollector>();
  const codeCells = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code");
  const cells: CellRecord[] = codeCells.map(({ i }) => ({ index: i + 1, seconds: 0, status: "skipped" }));
  const result: RunResult = { ok: false, notebookPath, metricsPath, metrics, seconds: 0, params, cells };

  const finish = (): RunResult => {
    for (const [i, col] of collectors) nb.cells[i].outputs = col.toNbformat();
    result.seconds = round3((performance.now() - t0) / 1000);
    if (typeof metrics.backend === "string") result.backend = metrics.backend;
    writeFileSync(notebookPath, JSON.stringify(nb, null, 1) + "\n");
    const file: MetricsFile = { params, backend: result.backend ?? null, seconds: result.seconds, cells, metrics };
    writeFileSync(metricsPath, JSON.stringify(file, null, 2) + "\n");
    return result;
  };

  if (options.signal?.aborted) {
    result.interrupted = true;
    result.error = "the run was aborted before it started";
    return finish();
  }

  let kernel: ManagedKernel;
  progress.note(`starting the tslab kernel for ${basename(nbPath)}…`);
  const tk = performance.now();
  try {
    // RUNNER_ENV tells recordMetric to send its metrics (the notebook alone shows none).
    kernel = await startKernel(options.kernelSpec ?? loadKernelSpec(), { cwd: dirname(nbPath), env: { [RUNNER_ENV]: "1" } });
  } catch (e) {
    result.error = `could not start the kernel: ${(e as Error).message}`;
    return finish();
  }
  result.kernelStartSeconds = round3((performance.now() - tk) / 1000);
  progress.note(`kernel ready in ${result.kernelStartSeconds.toFixed(1)} s; running ${codeCells.length} code cells of ${name}`);
  const langInfo = kernel.info.language_info;
  if (typeof langInfo === "object" && langInfo !== null) nb.metadata.language_info = { ...(nb.metadata.language_info as object), ...langInfo };

  try {
    for (const [k, { c: cell, i }] of codeCells.entries()) {
      const record = cells[k];
      const code = sourceText(cell.source);
      if (code.trim() === "") {
        record.status = "ok";
        continue;
      }
      if (options.signal?.aborted) {
        result.interrupted = true;
        result.failedCell = i + 1;
        result.error = `interrupted before cell ${i + 1}`;
        break;
      }
      progress.cellStart(k + 1, codeCells.length, i + 1);
      const collector = new OutputCollector(displays);
      collectors.set(i, collector);
      const onOutput = (type: string, content: Record<string, unknown>): void => {
        // A metric goes to metrics.json only: the saved notebook shows a learner nothing of it.
        const data = content.data as Record<string, unknown> | undefined;
        const metric = type === "display_data" ? (data?.[METRIC_MIME] as { name?: unknown; value?: unknown } | undefined) : undefined;
        if (metric && typeof metric.name === "string") {
          metrics[metric.name] = metric.value ?? null;
          return;
        }
        collector.add(type, content);
      };
      const tc = performance.now();
      const outcome = await kernel.client.execute(code, {
        onOutput,
        timeoutMs,
        signal: options.signal,
        alive: () => kernel.process.alive,
      });
      if (outcome.stopped === "timeout" || outcome.stopped === "aborted") {
        // Interrupt like Jupyter's stop button, and give the kernel a moment to report.
        kernel.interrupt();
        const late = await Promise.race([outcome.late?.then((r) => r.content), sleep(5000).then(() => null)]);
        if (late && typeof late.execution_count === "number") cell.execution_count = late.execution_count;
      }
      kernel.client.forget(outcome.msgId);
      record.seconds = round3((performance.now() - tc) / 1000);
      const reply = outcome.reply;
      if (reply && typeof reply.execution_count === "number") cell.execution_count = reply.execution_count;
      if (reply && reply.status === "ok") {
        record.status = "ok";
      } else if (outcome.stopped === "timeout") {
        record.status = "timeout";
        result.timedOut = true;
        result.error = `cell ${i + 1} timed out after ${timeoutMs / 1000} s (interrupted; raise the limit with --timeout SECONDS)`;
      } else if (outcome.stopped === "aborted") {
        record.status = "interrupted";
        result.interrupted = true;
        result.error = `interrupted during cell ${i + 1}`;
      } else {
        record.status = "error";
        const stderr = collector.streamText("stderr").trim();
        const died = outcome.stopped === "kernel-died" ? `the kernel process died (exit ${await kernel.process.exited})` : "";
        const log = died ? kernel.process.output.trim() : "";
        result.error =
          [died, stderr, log].filter((s) => s !== "").join("\n") || `the kernel reported status ${JSON.stringify(reply?.status)} without error text`;
      }
      progress.cellEnd(k + 1, codeCells.length, i + 1, record.status, record.seconds);
      if (record.status !== "ok") {
        result.failedCell = i + 1;
        break;
      }
    }
    result.ok = result.failedCell === undefined;
  } finally {
    await kernel.shutdown();
  }
  if (kernel.client.protocolErrors.length > 0 && result.ok) {
    result.ok = false;
    result.error = `protocol errors: ${kernel.client.protocolErrors.join("; ")}`;
  }
  return finish();
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
