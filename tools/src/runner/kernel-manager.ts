/**
 * One kernel from start to shutdown: writes a fresh connection file, starts the process from the
 * kernelspec, connects a client, waits until it answers, and always shuts it down completely
 * (shutdown_request on control, then SIGTERM/SIGKILL of its process group after a grace period).
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { KernelClient } from "./client";
import { ConnectionInfo, makeConnectionInfo, writeConnectionFile } from "./connection";
import { KernelProcess } from "./kernel-process";
import { KernelSpec } from "./kernelspec";

/** Options for `startKernel`. */
export interface StartOptions {
  /** Working directory of the kernel (the notebook's folder). */
  cwd: string;
  /** Give up when the kernel has not answered after this many ms (default 120 000). */
  startTimeoutMs?: number;
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
}

/** A started kernel with its client. */
export class ManagedKernel {
  private shutDown = false;

  constructor(
    readonly process: KernelProcess,
    readonly client: KernelClient,
    readonly connection: ConnectionInfo,
    /** The kernel_info_reply content. */
    readonly info: Record<string, unknown>,
    private readonly tempDir: string,
    /** How the kernel wants to be interrupted (from its kernelspec; Jupyter's default is "signal"). */
    readonly interruptMode: "signal" | "message" = "signal",
  ) {}

  /** Interrupt the running cell: SIGINT, or interrupt_request on control for "message" kernels. */
  interrupt(): void {
    if (this.interruptMode === "message") {
      void this.client.send("control", "interrupt_request", {}).catch(() => undefined);
    } else {
      this.process.interrupt();
    }
  }

  /**
   * Shut the kernel down and make sure its process is gone: shutdown_request on control (reply
   * awaited up to 2 s), up to `graceMs` for the process to exit, then SIGTERM and SIGKILL.
   */
  async shutdown(graceMs = 3000): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    try {
      if (this.process.alive) {
        await this.client.request("control", "shutdown_request", { restart: false }, { timeoutMs: 2000 }).catch(() => undefined);
        await this.process.waitExit(graceMs);
      }
    } finally {
      await this.process.kill(2000);
      this.client.close();
      rmSync(this.tempDir, { recursive: true, force: true });
    }
  }
}

/** Start `spec` and wait until it answers kernel_info (and its iopub reaches us). */
export async function startKernel(spec: KernelSpec, options: StartOptions): Promise<ManagedKernel> {
  const info = await makeConnectionInfo();
  const tempDir = mkdtempSync(join(tmpdir(), "llm-lessons-kernel-"));
  const file = join(tempDir, "connection.json");
  writeConnectionFile(file, info);
  const proc = KernelProcess.start(spec, file, options.cwd, options.env);
  const client = KernelClient.connect(info);
  try {
    const kernelInfo = await client.waitReady(options.startTimeoutMs ?? 120_000, () => proc.alive);
    if (!(await client.heartbeat())) throw new Error("the kernel answered kernel_info but not on its heartbeat channel");
    return new ManagedKernel(proc, client, info, kernelInfo, tempDir, spec.interrupt_mode ?? "signal");
  } catch (e) {
    client.close();
    await proc.kill(1000);
    rmSync(tempDir, { recursive: true, force: true });
    const log = proc.output.trim();
    throw new Error(`${(e as Error).message} (${spec.argv.slice(0, 2).join(" ")})${log ? `; kernel output:\n${log}` : ""}`);
  }
}
