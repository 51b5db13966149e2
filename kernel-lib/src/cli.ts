/**
 * The `llm-lessons` command (kernel-lib/bin/llm-lessons.js calls `main`):
 *   run NOTEBOOK [-p name=value]… [--out DIR] [--timeout SECONDS]
 *   bench NAME [--json] [--quick]
 *   kernel install [--user] [--quiet]
 *   start [--no-browser] [--port N] [--classic]
 */
import { Command, CommanderError } from "commander";
import { benchCommand } from "./cli/bench";
import { kernelInstallCommand } from "./cli/kernel";
import { runCommand } from "./cli/run";
import { startCommand } from "./cli/start";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Build the command tree; each action stores its exit code in `exit.code`. */
export function buildProgram(exit: { code: number }): Command {
  const program = new Command("llm-lessons");
  program
    .description("Run, benchmark and open the llm-lessons notebooks.")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("run")
    .description("execute a notebook through the tslab kernel; writes DIR/NAME.ipynb and DIR/NAME.metrics.json")
    .argument("<notebook>", "path of the .ipynb file")
    .option("-p, --param <name=value>", "set a parameter (JSON value, else a string); repeatable", collect, [])
    .option("--out <dir>", "output folder (default: runs/ in the project)")
    .option("--timeout <seconds>", "time limit per cell in seconds", "600")
    .option("-q, --quiet", "no progress lines")
    .action(async (notebook: string, opts) => {
      exit.code = await runCommand(notebook, opts);
    });

  program
    .command("bench")
    .description("run a named benchmark and print its figures")
    .argument("<name>", "bpe, word2vec, attention, gpt, scaling, bow or backends")
    .option("--json", "print JSON")
    .option("--quick", "a shorter run")
    .action(async (name: string, opts) => {
      exit.code = await benchCommand(name, opts);
    });

  const kernel = program.command("kernel").description("manage the Jupyter kernelspec");
  kernel
    .command("install")
    .description("register the \"TypeScript (llm-lessons)\" kernel in <project>/.jupyter (and for your user with --user)")
    .option("--user", "also install into your Jupyter data folder (for VS Code)")
    .option("--quiet", "print nothing unless --user")
    .action((opts) => {
      exit.code = kernelInstallCommand(opts);
    });

  program
    .command("start")
    .description("open Jupyter (JupyterLab if installed, else classic Notebook) on the lessons, on 127.0.0.1 with a token")
    .option("--no-browser", "do not open a browser")
    .option("--port <n>", "port (default 8888, or a free one)")
    .option("--classic", "prefer the classic Notebook over JupyterLab")
    .action(async (opts: { browser: boolean; port?: string; classic?: boolean }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      exit.code = await startCommand({ noBrowser: !opts.browser, port, classic: opts.classic });
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
