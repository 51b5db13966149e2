/**
 * Commands as the e2e tests start them, in the project folder, their output collected: the
 * `llm-lessons` command line (a child Node process running tools/bin/llm-lessons.js), or any other.
 */
import { spawn } from "child_process";
import { join } from "path";

/** The project root (test/e2e/ → ../..). */
const root = join(__dirname, "..", "..");
/** The command's entry script. */
export const CLI_BIN = join(root, "tools", "bin", "llm-lessons.js");

/** How a command ended: its exit code and everything it wrote. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a command may do with its stderr so far after each write: read it, or stop the command. */
type OnStderr = (text: string, kill: (sig: NodeJS.Signals) => void) => void;

/** Run `command ARGS` in the project folder with `env` added to this process's environment. */
export function runIn(command: string, args: readonly string[], env: Record<string, string> = {}, onStderr?: OnStderr): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      onStderr?.(stderr, (sig) => child.kill(sig));
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Run `llm-lessons ARGS` with `env` added to this process's environment. `onStderr` sees the text
 * written to stderr so far after each write, and may stop the command (`kill`).
 */
export function cli(args: readonly string[], env: Record<string, string> = {}, onStderr?: OnStderr): Promise<CliResult> {
  return runIn(process.execPath, [CLI_BIN, ...args], env, onStderr);
}
