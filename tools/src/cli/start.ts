/**
 * `llm-lessons start`: register the project kernel, then open Jupyter on notebooks/ bound to
 * 127.0.0.1 with a random token and `JUPYTER_PATH` pointing at the project's kernelspec.
 */
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { delimiter, join } from "path";
import { freePort } from "../runner/connection";
import { installKernel, projectJupyterDir, projectRoot } from "../runner/kernelspec";
import { Finder, INSTALL_HELP, JupyterCommand, findJupyter, pathFinder } from "./jupyter-finder";

/** Options of `startJupyter`. */
export interface StartOptions {
  port?: number;
  noBrowser?: boolean;
  classic?: boolean;
  finder?: Finder;
  root?: string;
  /** "inherit" (default) shows Jupyter's log; "pipe" lets a caller read it. */
  stdio?: "inherit" | "pipe";
}

/** A started Jupyter server. */
export interface StartedJupyter {
  child: ChildProcess;
  jupyter: JupyterCommand;
  port: number;
  token: string;
  url: string;
}

/** Thrown when no Jupyter front end is installed; its message says how to install one. */
export class JupyterMissingError extends Error {
  override name = "JupyterMissingError";
  constructor() {
    super(INSTALL_HELP);
  }
}

/** `JUPYTER_PATH` with the project's `.jupyter` folder first. */
export function jupyterPathWith(dir: string, current = process.env.JUPYTER_PATH): string {
  return [dir, ...(current ?? "").split(delimiter).filter((p) => p !== "" && p !== dir)].join(delimiter);
}

/** Port 8888 when free, else any free port. */
async function defaultPort(): Promise<number> {
  const net = await import("net");
  const free8888 = await new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(8888, "127.0.0.1", () => s.close(() => resolve(true)));
  });
  return free8888 ? 8888 : freePort();
}

/** Install the kernelspec and spawn Jupyter; throws JupyterMissingError when there is none. */
export async function startJupyter(options: StartOptions = {}): Promise<StartedJupyter> {
  const jupyter = findJupyter(options.finder ?? pathFinder(), { classic: options.classic });
  if (!jupyter) throw new JupyterMissingError();
  const root = options.root ?? projectRoot();
  installKernel({ root });
  const port = options.port ?? (await defaultPort());
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`--port must be an integer in 1..65535, got ${port}`);
  const token = randomBytes(24).toString("hex");
  const dir = join(root, "notebooks");
  const args = [
    ...jupyter.args,
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--notebook-dir=${dir}`,
    ...(options.noBrowser ? ["--no-browser"] : []),
    // Containers and CI often run as root; Jupyter refuses that without this flag.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const child = spawn(jupyter.command, args, {
    cwd: dir,
    // JUPYTER_TOKEN is read by classic Notebook 6 and by jupyter_server (Lab, Notebook 7) alike.
    env: { ...process.env, JUPYTER_PATH: jupyterPathWith(projectJupyterDir(root)), JUPYTER_TOKEN: token },
    stdio: options.stdio === "pipe" ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  const page = jupyter.kind === "lab" ? "lab" : "tree";
  return { child, jupyter, port, token, url: `http://127.0.0.1:${port}/${page}?token=${token}` };
}

/** The `start` command: returns the exit code (2 when Jupyter is missing). */
export async function startCommand(options: StartOptions): Promise<number> {
  let started: StartedJupyter;
  try {
    started = await startJupyter(options);
  } catch (e) {
    if (e instanceof JupyterMissingError || e instanceof RangeError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { child, jupyter, url } = started;
  process.stderr.write(`Starting ${jupyter.label} on the lessons with the "TypeScript (llm-lessons)" kernel.\n`);
  process.stderr.write(`Open ${url}\n(Ctrl-C twice, or once and confirm, to stop.)\n`);
  // Ctrl-C reaches Jupyter too (same process group); keep running until it exits.
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  const onTerm = (): void => void child.kill("SIGTERM");
  process.on("SIGTERM", onTerm);
  const code = await new Promise<number>((resolve) => {
    child.once("exit", (c, sig) => resolve(c ?? (sig ? 128 + 2 : 1)));
    child.once("error", (err) => {
      process.stderr.write(`could not start ${jupyter.label}: ${err.message}\n`);
      resolve(1);
    });
  });
  process.removeListener("SIGINT", ignore);
  process.removeListener("SIGTERM", onTerm);
  return code;
}
