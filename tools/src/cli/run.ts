/**
 * `llm-lessons run NOTEBOOK`: runs a notebook headlessly (see runner/runner.ts) and turns the
 * outcome into an exit code: 0 ok, 1 a cell failed or timed out, 2 bad arguments, 130 Ctrl-C.
 */
import { ParamError, parseParamArgs } from "../runner/inject";
import { RunResult, runNotebook } from "../runner/runner";

/** Options of the `run` command as commander parses them. */
export interface RunCommandOptions {
  param?: string[];
  out?: string;
  timeout?: string;
  quiet?: boolean;
}

/** A cleaned-up error text: tslab's and Node's own stack frames removed. */
export function cleanErrorText(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^\s+at .*(node_modules[\\/]tslab[\\/]|node:vm|node:internal|sigintHandlersWrap)/.test(l))
    .join("\n")
    .trim();
}

/** Exit code for a finished run. */
export function exitCodeOf(result: RunResult): number {
  if (result.interrupted) return 130;
  return result.ok ? 0 : 1;
}

/** Run the command; returns the exit code. */
export async function runCommand(notebook: string, options: RunCommandOptions): Promise<number> {
  let params: Record<string, unknown>;
  const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    process.stderr.write(`--timeout must be a number of seconds > 0, got ${JSON.stringify(options.timeout)}\n`);
    return 2;
  }
  try {
    params = parseParamArgs(options.param ?? []);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const abort = new AbortController();
  let sigints = 0;
  const onSigint = (): void => {
    sigints += 1;
    if (sigints === 1) {
      process.stderr.write("\ninterrupting the kernel (Ctrl-C again to force quit)…\n");
      abort.abort();
    } else {
      process.exit(130); // the kernel is killed by KernelProcess's exit hook
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  let result: RunResult;
  try {
    result = await runNotebook(notebook, { params, outDir: options.out, timeoutSeconds, quiet: options.quiet, signal: abort.signal });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return e instanceof ParamError || /cannot read notebook|not valid JSON|not an nbformat/.test((e as Error).message) ? 2 : 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
  }
  if (!result.ok) {
    if (result.timedOut || result.interrupted) {
      process.stderr.write(`${result.error}\n`);
    } else {
      const what = result.failedCell !== undefined ? `cell ${result.failedCell} failed` : "run failed";
      process.stderr.write(`${what}: ${cleanErrorText(result.error ?? "")}\n`);
    }
    process.stderr.write(`partial results: ${result.notebookPath} and ${result.metricsPath}\n`);
  } else if (!options.quiet) {
    process.stderr.write(`done in ${result.seconds.toFixed(1)} s: ${result.notebookPath}, ${result.metricsPath}\n`);
  }
  return exitCodeOf(result);
}
