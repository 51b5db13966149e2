/**
 * The `llm-lessons` command (tools/bin/llm-lessons.js calls `main`):
 *   run NOTEBOOK [-p name=value]… [--out DIR] [--timeout SECONDS] [--help-params]
 *   params NOTEBOOK
 *   sweep NOTEBOOK -p name=v1,v2,… [-p …] [--out DIR] [--repeat K] [--zip] [--shard i/N | --merge]
 *   compare DIR… [--metric NAME]… [--html FILE]
 *   doctor [--json] [--no-smoke]
 *   book [NOTEBOOK…] [--mode MODE] [--out DIR] [--from DIR]
 *   bench NAME [--json] [--quick] [--profile]
 *   kernel install [--user] [--quiet]
 *   start [--no-browser] [--port N] [--classic]
 */
import { Command, CommanderError } from "commander";
import { projectRoot } from "./runner/kernelspec";

// Each command's module is loaded when it runs: `kernel install`, `start` and `--help` never load
// kernel-lib (and with it tfjs); `run`, `bench` and the others load what they use.

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A command that executes a notebook: its argument and the options `run` and `sweep` share. */
function notebookCommand(program: Command, name: string, description: string, param: [string, string], out: string): Command {
  return program
    .command(name)
    .description(description)
    .argument("<notebook>", "path of the .ipynb file")
    .option(`-p, --param <${param[0]}>`, param[1], collect, [])
    .option("--out <dir>", out)
    .option("--timeout <seconds>", "time limit per cell in seconds", "600");
}

/** Build the command tree; each action stores its exit code in `exit.code`. */
export function buildProgram(exit: { code: number }): Command {
  const program = new Command("llm-lessons");
  program
    .description("Run, benchmark and open the llm-lessons notebooks.")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  notebookCommand(
    program,
    "run",
    "execute a notebook through the tslab kernel; writes DIR/NAME.ipynb and DIR/NAME.metrics.json",
    ["name=value", "set a parameter (JSON value, else a string); repeatable"],
    "output folder (default: runs/ in the project)",
  )
    .option("-q, --quiet", "no progress lines")
    .option("--help-params", "print the notebook's parameters (type, allowed values, default per mode) and run nothing")
    .action(async (notebook: string, opts) => {
      if (opts.helpParams) exit.code = (await import("./cli/params")).paramsCommand(notebook);
      else exit.code = await (await import("./cli/run")).runCommand(notebook, opts);
    });

  program
    .command("params")
    .description("print a notebook's parameters: name, type, what is allowed, the default of each mode, help")
    .argument("<notebook>", "path of the .ipynb file, or a lesson's name (e.g. 04-mini-gpt)")
    .action(async (notebook: string) => {
      exit.code = (await import("./cli/params")).paramsCommand(notebook);
    });

  notebookCommand(
    program,
    "sweep",
    "run a notebook for every combination of parameter values; writes DIR/runs/<run>/ and DIR/summary.csv + summary.json",
    ["name=v1,v2,…", "values of a parameter: comma-separated (\\, for a comma) or a JSON list; repeatable"],
    "sweep folder (default: sweeps/NAME); rerun with the same folder to resume",
  )
    .option("--repeat <k>", "run each combination K times", "1")
    .option("--zip", "pair the lists (i-th values together) instead of taking every combination")
    .option("--retry-failed", "run again the runs that failed last time")
    .option("--shard <i/N>", "run only shard i of N (every N-th run from the i-th) into DIR/shard-i-of-N/, for job arrays")
    .option("--merge", "run nothing: gather the shards' finished runs into DIR/summary.csv and summary.json (same -p as the shards)")
    .option("-v, --verbose", "progress of every cell")
    .action(async (notebook: string, opts) => {
      exit.code = await (await import("./cli/sweep")).sweepCommand(notebook, opts);
    });

  program
    .command("compare")
    .description("compare runs (sweep folders, run folders, metrics.json files): a table here, charts in an offline HTML report")
    .argument("<dirs...>", "sweep folders, folders holding NAME.metrics.json files, or such files")
    .option("--metric <name>", "a metric to show (repeatable; default: every numeric metric and every curve)", collect, [])
    .option("--html <file>", "write an HTML report with Plotly charts (plotly.min.js is written beside it)")
    .action(async (dirs: string[], opts) => {
      exit.code = (await import("./cli/compare")).compareCommand(dirs, opts);
    });

  program
    .command("doctor")
    .description("check that this machine is ready for the lessons (exit 0 only when a learner can start); names the fix for each miss")
    .option("--json", "print the checks as JSON")
    .option("--no-smoke", "skip the smoke run of 00-setup in fast mode")
    .action(async (opts: { json?: boolean; smoke?: boolean }) => {
      exit.code = await (await import("./cli/doctor")).doctorCommand(opts);
    });

  program
    .command("book")
    .description("write the lessons as a static site (index + one page per lesson, charts offline); runs them unless --from has executed copies")
    .argument("[notebooks...]", 'lessons to include, in this order (default: every notebook in notebooks/, in the order of their "Next:" links)')
    .option("--mode <mode>", "mode of the runs: fast, workshop or full", "workshop")
    .option("--out <dir>", "site folder", "site")
    .option("--from <dir>", "reuse executed notebooks found there (NAME.ipynb + NAME.metrics.json, e.g. build/e2e) instead of running them")
    .option("--timeout <seconds>", "time limit per cell in seconds", "600")
    .option("-q, --quiet", "no progress lines")
    .action(async (notebooks: string[], opts) => {
      exit.code = await (await import("./cli/book")).bookCommand(notebooks, opts, projectRoot());
    });

  program
    .command("bench")
    .description("run a named benchmark and print its figures")
    .argument("<name>", "bpe, word2vec, attention, gpt, scaling, bow or backends")
    .option("--json", "print JSON")
    .option("--quick", "a shorter run")
    .option("--profile", "where the time goes, per kernel (gpt: a training step's kernels, instead of the throughput run)")
    .action(async (name: string, opts) => {
      exit.code = await (await import("./cli/bench")).benchCommand(name, opts);
    });

  const kernel = program.command("kernel").description("manage the Jupyter kernelspec");
  kernel
    .command("install")
    .description('register the "TypeScript (llm-lessons)" kernel in <project>/.jupyter (and for your user with --user)')
    .option("--user", "also install into your Jupyter data folder (for VS Code)")
    .option("--quiet", "print nothing unless --user")
    .action(async (opts) => {
      exit.code = (await import("./cli/kernel")).kernelInstallCommand(opts);
    });

  program
    .command("start")
    .description("open Jupyter (JupyterLab if installed, else classic Notebook) on the lessons, on 127.0.0.1 with a token")
    .option("--no-browser", "do not open a browser")
    .option("--port <n>", "port (default 8888, or a free one)")
    .option("--classic", "prefer the classic Notebook over JupyterLab")
    .action(async (opts: { browser: boolean; port?: string; classic?: boolean }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      exit.code = await (await import("./cli/start")).startCommand({ noBrowser: !opts.browser, port, classic: opts.classic });
    });
  return program;
}

/** Parse `argv` (as in `process.argv`: node, script, args…) and run; resolves with the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(exit);
  try {
    await program.parseAsync(argv, { from: "node" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
  return exit.code;
}
