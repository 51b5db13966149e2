/**
 * recordMetric leaves nothing a learner can see: a notebook executed by Jupyter itself (nbconvert,
 * the same kernel path as classic Notebook and JupyterLab) carries no metric output, and neither
 * does the notebook saved by `llm-lessons run`, whose metrics.json still has every metric.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebook } from "../../tools/src/runner/runner";
import { PYTHON, ROOT, Workspace, makeWorkspace, missingTool } from "./browser-setup";

const FIXTURE = path.join(ROOT, "test/fixtures/notebooks/sweep.ipynb");
const missing = missingTool({ nbconvert: true });

describe.skipIf(missing !== null)(`metrics stay out of sight${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeWorkspace();
    fs.copyFileSync(FIXTURE, path.join(ws.notebooks, "sweep.ipynb"));
  });
  afterAll(() => ws?.cleanup());

  function nbconvert(args: string[]): void {
    const r = spawnSync(PYTHON, ["-m", "nbconvert", ...args], { cwd: ws.notebooks, env: ws.env, encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
  }

  it("nbconvert --execute: no metric output in the notebook or its HTML", () => {
    nbconvert(["--execute", "--to", "notebook", "--output", "executed.ipynb", "sweep.ipynb"]);
    const nb = JSON.parse(fs.readFileSync(path.join(ws.notebooks, "executed.ipynb"), "utf8"));
    const metricCell = nb.cells.find((c: { source: string[] | string }) => [c.source].flat().join("").includes('recordMetric("final_loss"'));
    expect(metricCell.outputs).toEqual([]);
    nbconvert(["--to", "html", "--output", "executed.html", "executed.ipynb"]);
    const html = fs.readFileSync(path.join(ws.notebooks, "executed.html"), "utf8");
    expect(html).toContain("final loss");
    expect(html).not.toMatch(/metric (final_loss|label|loss_curve)|vnd\.llm-lessons\.metric|No renderer/);
  });

  it("the runner's saved notebook renders to HTML without metrics, and metrics.json has them", async () => {
    const r = await runNotebook(FIXTURE, { outDir: path.join(ws.dir, "run"), quiet: true });
    expect(r.ok, r.error).toBe(true);
    expect(Object.keys(r.metrics).sort()).toEqual(["final_loss", "label", "loss_curve", "val_curve"]);
    nbconvert(["--to", "html", "--output-dir", path.join(ws.dir, "run"), r.notebookPath]);
    const html = fs.readFileSync(path.join(ws.dir, "run", "sweep.html"), "utf8");
    expect(html).toContain("final loss");
    expect(html).not.toMatch(/metric (final_loss|label|loss_curve)|vnd\.llm-lessons\.metric/);
  });
});
