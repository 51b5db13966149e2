/**
 * `llm-lessons sweep` and `compare` on a tiny fixture notebook (a few seconds per run): the grid
 * and --zip, a failed run recorded while the sweep goes on, resuming after an interrupted sweep
 * without redoing finished runs, and the comparison report drawing in headless Chromium offline.
 */
import { spawn } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { missingTool } from "./browser-setup";
import { checkPages } from "./static-pages";

const root = join(__dirname, "..", "..");
const bin = join(root, "tools", "bin", "llm-lessons.js");
const fixture = join(root, "test", "fixtures", "notebooks", "sweep.ipynb");
const tmp = mkdtempSync(join(tmpdir(), "sweep-e2e-"));

interface Cli {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI; `onStderr` may kill the child (it gets the text so far). */
function cli(args: string[], onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<Cli> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root });
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

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const names = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [names[i], v])));
}

describe("llm-lessons sweep and compare", () => {
  const zipped = join(tmp, "zipped");
  const resumed = join(tmp, "resumed");

  it("records a failed run and goes on; a rerun skips finished runs", async () => {
    const args = ["sweep", fixture, "-p", "lr=0.1,0.5", "-p", "fail=[false,true]", "-p", "steps=4", "--zip", "--out", zipped];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(1);
    const rows = csvRows(join(zipped, "summary.csv"));
    expect(rows.map((x) => [x.lr, x.fail, x.steps, x.status])).toEqual([
      ["0.1", "false", "4", "ok"],
      ["0.5", "true", "4", "failed"],
    ]);
    expect(Number(rows[0].final_loss)).toBeCloseTo(2 / 1.3, 6);
    const summary = JSON.parse(readFileSync(join(zipped, "summary.json"), "utf8"));
    expect(summary.runs[1].error).toBe("cell 7: Error: fixture failure for lr=0.5");
    expect(summary.runs[1].metrics.final_loss).toBe(0.8);
    expect(summary.runs[1].errorText).toContain("throw new Error");
    expect(r.stderr).toMatch(/ETA/);

    const again = await cli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("2 already finished, 0 to run");
  });

  it("an interrupted sweep counts only finished runs and resumes from there", async () => {
    const args = ["sweep", fixture, "-p", "lr=[0.2,0.3]", "-p", "mode=fast", "--out", resumed];
    let sent = false;
    const first = await cli(args, (text, kill) => {
      if (!sent && text.includes("[2/2]")) {
        sent = true;
        kill("SIGTERM");
      }
    });
    expect(first.code, first.stderr).toBe(130);
    const dirs = readdirSync(join(resumed, "runs"));
    expect(dirs.filter((d) => existsSync(join(resumed, "runs", d, "run.json")))).toHaveLength(1);
    expect(csvRows(join(resumed, "summary.csv"))).toHaveLength(1);

    const second = await cli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("1 already finished, 1 to run");
    expect(csvRows(join(resumed, "summary.csv")).map((x) => [x.lr, x.status])).toEqual([
      ["0.2", "ok"],
      ["0.3", "ok"],
    ]);
  });

  const missing = missingTool({});
  it.skipIf(missing !== null)(`compare prints a table and writes a report that draws offline${missing ? ` (skipped: ${missing})` : ""}`, async () => {
    const html = join(tmp, "report", "r.html");
    const r = await cli(["compare", zipped, resumed, "--html", html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run\s+.*lr\s+.*status\s+seconds\s+final_loss/);
    expect(r.stdout.trim().split("\n")).toHaveLength(2 + 4);
    expect(existsSync(join(tmp, "report", "plotly.min.js"))).toBe(true);
    const [page] = await checkPages([html]);
    expect(page.errors).toEqual([]);
    expect(page.outside).toEqual([]);
    // final_loss against lr, fail and mode, and the two recorded curves.
    expect(page.charts).toBeGreaterThanOrEqual(3);
    expect(page.drawn).toBe(page.charts);
  });
});
