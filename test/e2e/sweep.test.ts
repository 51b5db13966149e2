/**
 * `llm-lessons sweep` and `compare` on a tiny fixture notebook (a few seconds per run): the grid
 * and --zip, a failed run recorded while the sweep goes on, resuming after an interrupted sweep
 * without redoing finished runs, a sweep split into shards by the cluster files in docs/cluster
 * (Slurm, Kubernetes, GitHub Actions) and merged, and the comparison report drawing in headless
 * Chromium offline.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { missingTool } from "./browser-setup";
import { cli, runIn } from "./cli";
import { checkPages } from "./static-pages";

const root = join(__dirname, "..", "..");
const fixture = join(root, "test", "fixtures", "notebooks", "sweep.ipynb");
const tmp = mkdtempSync(join(tmpdir(), "sweep-e2e-"));

/** Run a bash command line in the project folder with extra environment variables. */
const bash = (line: string, env: Record<string, string>) => runIn("bash", ["-c", line], env);

/** The one match of `re` (its first group) in a file of docs/cluster, or a failure naming it. */
function pick(file: string, re: RegExp): string {
  const m = re.exec(readFileSync(join(root, "docs", "cluster", file), "utf8"));
  expect(m, `${file} has no line matching ${re}`).not.toBeNull();
  return (m as RegExpExecArray)[1];
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
    const first = await cli(args, {}, (text, kill) => {
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

  it("three shards, started as a Slurm array task, a Kubernetes Indexed Job pod and a GitHub Actions matrix job, merge into the unsharded sweep's rows", async () => {
    const sweepEnv = { NOTEBOOK: fixture, PARAMS: "-p lr=0.1,0.2 -p steps=3,4" };
    const whole = join(tmp, "whole");
    const one = await cli(["sweep", fixture, "-p", "lr=0.1,0.2", "-p", "steps=3,4", "--out", whole]);
    expect(one.code, one.stderr).toBe(0);

    // Each platform's file says three shards, and numbers them its own way (1-based, 0-based, a list).
    expect(pick("sweep.sbatch", /^#SBATCH --array=(\S+)$/m)).toBe("1-3");
    expect(pick("sweep-job.yaml", /^\s+completions: (\d+)$/m)).toBe("3");
    expect(pick("sweep-job.yaml", /^\s+parallelism: (\d+)$/m)).toBe("3");
    expect(pick("sweep-job.yaml", /name: SHARDS\s+value: "(\d+)"/)).toBe("3");
    const matrix = JSON.parse(pick("sweep-workflow.yml", /^\s+shard: (\[.*\])$/m)) as number[];
    expect(matrix).toEqual([1, 2, 3]);
    const podLine = pick("sweep-job.yaml", /args:\s*\n\s*- (.+)$/m);
    const ghLine = pick("sweep-workflow.yml", /- run: (docs\/cluster\/sweep-shard\.sh \$\{\{ matrix\.shard \}\}.*)$/m)
      .replace(/\$\{\{ matrix\.shard \}\}/, "3")
      .replace(/\$\{\{ strategy\.job-total \}\}/, String(matrix.length));

    const sharded = join(tmp, "sharded");
    const env = { ...sweepEnv, OUT: sharded };
    const runs = await Promise.all([
      bash("bash docs/cluster/sweep.sbatch", {
        ...env,
        SLURM_SUBMIT_DIR: root,
        SLURM_ARRAY_TASK_ID: "1",
        SLURM_ARRAY_TASK_MIN: "1",
        SLURM_ARRAY_TASK_COUNT: "3",
      }),
      bash(podLine, { ...env, JOB_COMPLETION_INDEX: "1", SHARDS: "3" }),
      bash(ghLine, env),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => /shard (\d) of 3: (\d) of 4 runs/.exec(r.stderr)?.slice(1))).toEqual([
      ["1", "2"],
      ["2", "1"],
      ["3", "1"],
    ]);
    expect(readdirSync(sharded).sort()).toEqual(["shard-1-of-3", "shard-2-of-3", "shard-3-of-3"]);

    const merged = await bash("docs/cluster/sweep-shard.sh merge", env);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain("merged 4 of 4 runs from 3 shard folders");
    const withoutTimes = (rows: Record<string, string>[]) => rows.map(({ seconds, ...rest }) => rest);
    const rows = csvRows(join(sharded, "summary.csv"));
    expect(withoutTimes(rows)).toEqual(withoutTimes(csvRows(join(whole, "summary.csv"))));
    expect(rows.map((r) => [r.lr, r.steps])).toEqual([
      ["0.1", "3"],
      ["0.1", "4"],
      ["0.2", "3"],
      ["0.2", "4"],
    ]);
    const summary = JSON.parse(readFileSync(join(sharded, "summary.json"), "utf8"));
    for (const run of summary.runs) expect(existsSync(join(sharded, run.metricsFile)), run.metricsFile).toBe(true);

    // A shard that has not run is named by the merge, which then fails.
    const partial = join(tmp, "partial");
    expect((await bash("docs/cluster/sweep-shard.sh 2 3", { ...sweepEnv, OUT: partial })).code).toBe(0);
    const short = await bash("docs/cluster/sweep-shard.sh merge", { ...sweepEnv, OUT: partial });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("merged 1 of 4 runs from 1 shard folder");
    expect(short.stderr).toMatch(/3 runs have not finished/);
    const bad = await cli(["sweep", fixture, "-p", "lr=0.1", "--shard", "0/3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--shard must be i/N with whole numbers 1 ≤ i ≤ N");
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
