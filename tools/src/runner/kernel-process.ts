/**
 * The kernel as an operating-system process: started from a kernelspec's argv with the connection
 * file substituted, in its own process group (so Ctrl-C in a terminal reaches only the runner, which
 * then decides what the kernel gets), interrupted with SIGINT (tslab's interrupt mode is "signal"),
 * and killed with its whole group so no process outlives a run.
 */
import { ChildProcess, spawn } from "child_process";
import { KernelSpec } from "./kernelspec";

/** How much of the kernel's own stdout/stderr (not cell output) to keep for error messages. */
const LOG_LIMIT = 16_000;

/** A running kernel process. */
export class KernelProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  private exitValue: number | string | null = null;
  private log = "";
  private readonly onProcessExit = (): void => this.killNow();

  private constructor(child: ChildProcess) {
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitValue = code ?? signal ?? -1;
        process.removeListener("exit", this.onProcessExit);
        resolve(this.exitValue);
      });
      child.once("error", (err) => {
        this.appendLog(`failed to start the kernel: ${err.message}\n`);
        this.exitValue = -1;
        process.removeListener("exit", this.onProcessExit);
        resolve(-1);
      });
    });
    child.stdout?.on("data", (d: Buffer) => this.appendLog(d.toString()));
    child.stderr?.on("data", (d: Buffer) => this.appendLog(d.toString()));
    // Last resort: if the runner's process exits without shutting down, take the kernel with it.
    process.on("exit", this.onProcessExit);
  }

  /** Start `spec` with `connectionFile` in `cwd`; the environment passes through (plus `env`). */
  static start(spec: KernelSpec, connectionFile: string, cwd: string, env: NodeJS.ProcessEnv = {}): KernelProcess {
    const argv = spec.argv.map((a) => a.split("{connection_file}").join(connectionFile));
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...spec.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
    });
    return new KernelProcess(child);
  }

  /** The process id (undefined when spawning failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the process has not exited. */
  get alive(): boolean {
    return this.exitValue === null && this.child.pid !== undefined;
  }

  /** What the kernel process printed itself (start-up errors, crashes), last 16 kB. */
  get output(): string {
    return this.log;
  }

  /** Ask the kernel to stop the running cell (SIGINT, like Jupyter's interrupt button). */
  interrupt(): void {
    this.signal("SIGINT", false);
  }

  /** Wait until the process exits or `ms` pass; true when it exited. */
  async waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** SIGTERM the process group, then SIGKILL after `graceMs`; resolves once it exited. */
  async kill(graceMs = 2000): Promise<void> {
    if (!this.alive) return;
    this.signal("SIGTERM", true);
    if (await this.waitExit(graceMs)) return;
    this.signal("SIGKILL", true);
    await this.waitExit(5000);
  }

  /** Kill the group at once, synchronously (used when the runner itself is exiting). */
  killNow(): void {
    if (this.alive) this.signal("SIGKILL", true);
  }

  private signal(sig: NodeJS.Signals, group: boolean): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exitValue !== null) return;
    try {
      if (group && process.platform !== "win32") process.kill(-pid, sig);
      else process.kill(pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  }

  private appendLog(text: string): void {
    this.log = (this.log + text).slice(-LOG_LIMIT);
  }
}
