/**
 * End-to-end tests of the headless runner and the `llm-lessons` CLI against the real tslab kernel.
 * Needs the built package (`npm run build`): the fixture notebooks import "kernel-lib".
 */
import { spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { ParamError } from "../../tools/src/runner/inject";
import { sourceText } from "../../tools/src/runner/nbformat";
import { runNotebook } from "../../tools/src/runner/runner";
import { CLI_BIN, cli } from "./cli";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures", "notebooks");
const out = mkdtempSync(join(tmpdir(), "runner-e2e-"));
const MARK = "LLM_LESSONS_TEST_MARK";

/** Ids of live processes whose environment contains `NAME=value` (Linux /proc). */
function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (env.includes(needle)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** Wait until `check()` is true or `ms` pass; returns the last value. */
async function waitFor(check: () => boolean, ms: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** Read a JSON file. */
// biome-ignore lint/suspicious/noExplicitAny: the runner's JSON files (metrics, executed notebooks), probed field by field by the assertions
function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function hasNbformat(): boolean {
  return spawnSync("/usr/bin/python3", ["-c", "import nbformat"], { stdio: "ignore" }).status === 0;
}

beforeAll(() => {
  if (!existsSync(join(root, "kernel-lib", "dist", "index.js")) || !existsSync(join(root, "tools", "dist", "cli.js"))) {
    throw new Error("kernel-lib or the tools are not built: run `npm run build` first");
  }
});

describe("the CLI's layers", () => {
  it("run, sweep, params, compare and book load kernel-lib's tfjs-free entries only (kernel-lib/runtime, kernel-lib/charts, kernel-lib/lessons/params)", () => {
    const modules = ["runner/runner", "runner/inject", "cli/run", "cli/sweep", "cli/params", "cli/compare", "cli/book"].map((m) =>
      join(root, "tools", "dist", `${m}.js`),
    );
    const script = `${modules.map((m) => `require(${JSON.stringify(m)});`).join("")}console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("@tensorflow"))));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe("kernel-lib's entry points, as the package resolves them", () => {
  it("the lessons' parameter declarations load without tfjs, and every subpath export resolves", () => {
    const pkg = readJson(join(root, "kernel-lib", "package.json")) as { exports: Record<string, unknown> };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    const script = [
      'const p = require("kernel-lib/lessons/params");',
      'const tfjs = Object.keys(require.cache).filter((k) => k.includes("@tensorflow"));',
      `const sizes = ${JSON.stringify(subpaths)}.map((s) => Object.keys(require(s === "." ? "kernel-lib" : "kernel-lib/" + s.slice(2))).length);`,
      "console.log(JSON.stringify({ tfjs, lessons: Object.keys(p.LESSON_PARAMS).length, sizes }));",
    ].join("\n");
    const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { tfjs: string[]; lessons: number; sizes: number[] };
    expect(got.tfjs).toEqual([]);
    expect(got.lessons).toBe(readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).length); // one declaration per notebook
    expect(got.sizes.every((n) => n > 0)).toBe(true);
  });
});

describe("runNotebook", () => {
  it("runs a notebook with parameters, outputs and metrics", async () => {
    const r = await runNotebook(join(fixtures, "pass.ipynb"), { params: { seed: 7, mode: "fast" }, outDir: out, quiet: true });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.metrics).toEqual({ seed: 7, mode: "fast", answer: 42, backend: "fixture-backend" });
    expect(r.backend).toBe("fixture-backend");
    expect(r.notebookPath).toBe(join(out, "pass.ipynb"));

    const m = readJson(r.metricsPath);
    expect(m.params).toEqual({ seed: 7, mode: "fast" });
    expect(m.backend).toBe("fixture-backend");
    expect(m.metrics.answer).toBe(42);
    expect(m.seconds).toBeGreaterThan(0);
    expect(m.cells.map((c: { index: number; status: string }) => [c.index, c.status])).toEqual([
      [2, "ok"],
      [3, "ok"],
      [4, "ok"],
      [5, "ok"],
      [6, "ok"],
      [7, "ok"],
    ]);

    const nb = readJson(r.notebookPath);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    const injected = nb.cells[2];
    expect(injected.metadata.tags).toEqual(["injected-parameters"]);
    expect(sourceText(injected.source)).toContain("seed = 7;");
    expect(nb.cells[3].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["mode=fast seed=7 label=null\n"] }]);
    expect(nb.cells[4].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["one\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
      { output_type: "stream", name: "stdout", text: ["two\n", "three\n"] },
    ]);
    // Three updates of one display leave one output holding the last value.
    expect(nb.cells[5].outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "step 3 of 3" }, metadata: {} }]);
    expect(
      nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code").every((c: { execution_count: unknown }) => typeof c.execution_count === "number"),
    ).toBe(true);
    if (hasNbformat()) {
      const v = spawnSync("/usr/bin/python3", ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4)); print('valid')", r.notebookPath], {
        encoding: "utf8",
      });
      expect(v.stdout.trim()).toBe("valid");
    }
  });

  it("records scalar and series metrics into metrics.json and leaves no trace of them in the notebook", async () => {
    const dir = join(out, "series");
    const r = await runNotebook(join(fixtures, "sweep.ipynb"), { params: { lr: 0.5, steps: 3 }, outDir: dir, quiet: true });
    expect(r.error ?? "").toBe("");
    const m = readJson(r.metricsPath);
    expect(m.metrics.final_loss).toBeCloseTo(1, 10);
    expect(m.metrics.label).toBe("a");
    expect(m.metrics.loss_curve).toEqual([2, 2 / 1.5, 1]);
    expect(m.metrics.val_curve.x).toEqual([0, 10, 20]);
    const text = readFileSync(r.notebookPath, "utf8");
    expect(text).not.toContain("vnd.llm-lessons.metric");
    expect(text).not.toMatch(/metric (final_loss|label|loss_curve)/);
    const nb = readJson(r.notebookPath);
    const metricCell = nb.cells.find((c: { source: string[] }) => sourceText(c.source).includes('recordMetric("final_loss"'));
    expect(metricCell.outputs).toEqual([]);
  });

  it("stops at the failing third cell and writes the partial notebook", async () => {
    const r = await runNotebook(join(fixtures, "fail.ipynb"), { outDir: out, quiet: true });
    expect(r.ok).toBe(false);
    expect(r.failedCell).toBe(3);
    expect(r.error).toContain("Error: fixture failure in cell 3");
    const m = readJson(r.metricsPath);
    expect(m.cells.map((c: { status: string }) => c.status)).toEqual(["ok", "error", "skipped"]);
    const nb = readJson(r.notebookPath);
    expect(nb.cells[1].outputs[0].text).toEqual(["before the failure\n"]);
    expect(nb.cells[2].outputs.map((o: { name: string }) => o.name)).toEqual(["stdout", "stderr"]);
    expect(nb.cells[3].outputs).toEqual([]);
    expect(nb.cells[3].execution_count).toBeNull();
  });

  it("survives a burst of 3 000 outputs from one cell (kernel-lib queues the kernel's sends)", async () => {
    const r = await runNotebook(join(fixtures, "burst.ipynb"), { outDir: out, quiet: true });
    expect(r.error ?? "").toBe("");
    expect(r.ok).toBe(true);
    const nb = readJson(r.notebookPath);
    expect(nb.cells[0].outputs.length).toBeGreaterThan(100);
    expect(nb.cells[1].outputs[0].text).toEqual(["after\n"]);
  });

  it("interrupts a cell that exceeds the time limit and leaves no kernel behind", async () => {
    const mark = randomBytes(8).toString("hex");
    process.env[MARK] = mark;
    try {
      const t0 = Date.now();
      const r = await runNotebook(join(fixtures, "timeout.ipynb"), { outDir: out, quiet: true, timeoutSeconds: 2 });
      expect(r.ok).toBe(false);
      expect(r.timedOut).toBe(true);
      expect(r.failedCell).toBe(2);
      expect(r.error).toMatch(/cell 2 timed out after 2 s/);
      expect(Date.now() - t0).toBeLessThan(60_000);
      const nb = readJson(r.notebookPath);
      // The interrupt reached the busy loop: tslab reported it on stderr.
      expect(JSON.stringify(nb.cells[1].outputs)).toContain("interrupted by `SIGINT`");
      expect(readJson(r.metricsPath).cells[1].status).toBe("timeout");
      expect(processesWithEnv(MARK, mark)).toEqual([]);
    } finally {
      delete process.env[MARK];
    }
  });

  it("reports a kernel that dies in a cell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dies-"));
    const cells = [
      { id: "a", cell_type: "code", metadata: {}, source: 'console.log("alive");', outputs: [], execution_count: null },
      { id: "b", cell_type: "code", metadata: {}, source: "process.exit(3);", outputs: [], execution_count: null },
      { id: "c", cell_type: "code", metadata: {}, source: 'console.log("never");', outputs: [], execution_count: null },
    ];
    writeFileSync(join(dir, "dies.ipynb"), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    const r = await runNotebook(join(dir, "dies.ipynb"), { outDir: dir, quiet: true });
    expect(r.ok).toBe(false);
    expect(r.failedCell).toBe(2);
    expect(r.error).toContain("the kernel process died (exit 3)");
    rmSync(dir, { recursive: true, force: true });
  });

  it("rejects an unknown parameter before starting a kernel", async () => {
    const t0 = Date.now();
    await expect(runNotebook(join(fixtures, "pass.ipynb"), { params: { sed: 1 }, outDir: out, quiet: true })).rejects.toThrow(
      new ParamError('unknown parameter "sed" for pass.ipynb; known parameters: mode, seed, label'),
    );
    await expect(runNotebook(join(fixtures, "fail.ipynb"), { params: { seed: 1 }, outDir: out, quiet: true })).rejects.toThrow(/no cell tagged "parameters"/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("measures kernel start and per-cell overhead on 20 trivial cells", async () => {
    const dir = mkdtempSync(join(tmpdir(), "overhead-"));
    const cells = Array.from({ length: 20 }, (_, i) => ({
      id: `c${i}`,
      cell_type: "code",
      metadata: {},
      source: `let v${i} = ${i};`,
      outputs: [],
      execution_count: null,
    }));
    writeFileSync(join(dir, "trivial.ipynb"), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    const r = await runNotebook(join(dir, "trivial.ipynb"), { outDir: dir, quiet: true });
    expect(r.ok).toBe(true);
    const cellSum = r.cells.reduce((s, c) => s + c.seconds, 0);
    const perCell = (r.seconds - (r.kernelStartSeconds ?? 0)) / 20;
    console.log(
      `kernel start ${r.kernelStartSeconds?.toFixed(2)} s; 20 trivial cells: mean ${((cellSum / 20) * 1000).toFixed(0)} ms per cell, ` +
        `(total − start)/20 = ${(perCell * 1000).toFixed(0)} ms (includes shutdown and writing)`,
    );
    expect(r.cells.every((c) => c.status === "ok")).toBe(true);
    expect(cellSum / 20).toBeLessThan(2);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("llm-lessons CLI", () => {
  it("exit 0 and writes NAME.ipynb + NAME.metrics.json", async () => {
    const dir = join(out, "cli-ok");
    const r = await cli(["run", join(fixtures, "pass.ipynb"), "-p", "seed=7", "-p", "mode=fast", "--out", dir]);
    expect(r.stderr).toMatch(/\[1\/6\] cell 2/);
    expect(r.code).toBe(0);
    expect(readJson(join(dir, "pass.metrics.json")).params).toEqual({ seed: 7, mode: "fast" });
    expect(existsSync(join(dir, "pass.ipynb"))).toBe(true);
  });

  it("exit 1 naming cell 3 and its error, exit 2 on an unknown -p name", async () => {
    const dir = join(out, "cli-fail");
    const fail = await cli(["run", join(fixtures, "fail.ipynb"), "--out", dir, "--quiet"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain("cell 3 failed: ");
    expect(fail.stderr).toContain("Error: fixture failure in cell 3");
    expect(fail.stderr).not.toContain("node_modules/tslab");
    expect(existsSync(join(dir, "fail.ipynb"))).toBe(true);
    const bad = await cli(["run", join(fixtures, "pass.ipynb"), "-p", "nope=1", "--out", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown parameter "nope" for pass.ipynb; known parameters: mode, seed, label');
  });

  it("Ctrl-C interrupts the cell, shuts the kernel down, writes partial output and exits 130", async () => {
    const mark = randomBytes(8).toString("hex");
    const dir = join(out, "cli-sigint");
    const child = spawn(process.execPath, [CLI_BIN, "run", join(fixtures, "timeout.ipynb"), "--out", dir], {
      cwd: root,
      env: { ...process.env, [MARK]: mark },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    expect(await waitFor(() => stderr.includes("[2/3] cell 2 …"), 120_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("interrupted during cell 2");
    expect(readJson(join(dir, "timeout.metrics.json")).cells[1].status).toBe("interrupted");
    expect(processesWithEnv(MARK, mark)).toEqual([]);
  });
});

describe("llm-lessons start (classic Notebook)", () => {
  it("serves the lessons on 127.0.0.1 with a token and lists our kernel", async () => {
    const { pathFinder, findJupyter } = await import("../../tools/src/cli/jupyter-finder");
    const { startJupyter } = await import("../../tools/src/cli/start");
    const { freePort } = await import("../../tools/src/runner/connection");
    if (findJupyter(pathFinder(), { classic: true }) === null) {
      console.warn("skipped: no classic Jupyter Notebook here (apt-get install jupyter-notebook)");
      return;
    }
    const port = await freePort();
    const j = await startJupyter({ classic: true, noBrowser: true, port, stdio: "pipe" });
    let log = "";
    j.child.stdout?.on("data", (d) => (log += d));
    j.child.stderr?.on("data", (d) => (log += d));
    const exited = new Promise<void>((r) => j.child.on("exit", () => r()));
    try {
      expect(j.url).toBe(`http://127.0.0.1:${port}/tree?token=${j.token}`);
      expect(j.token).toMatch(/^[0-9a-f]{48}$/);
      const api = `http://127.0.0.1:${port}/api/kernelspecs`;
      let specs: { kernelspecs: Record<string, { spec: { display_name: string } }> } | null = null;
      for (let i = 0; i < 180 && specs === null && j.child.exitCode === null; i++) {
        try {
          const res = await fetch(api, { headers: { Authorization: `token ${j.token}` } });
          if (res.ok) specs = await res.json();
        } catch {
          // not listening yet
        }
        if (specs === null) await new Promise((r) => setTimeout(r, 500));
      }
      expect(specs, `Jupyter did not answer; its log:\n${log}`).not.toBeNull();
      expect(specs?.kernelspecs["llm-lessons"].spec.display_name).toBe("TypeScript (llm-lessons)");
      const page = await fetch(j.url);
      expect(page.status).toBe(200);
      const noToken = await fetch(api);
      expect(noToken.status).toBe(403);
    } finally {
      j.child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (j.child.exitCode === null && j.child.signalCode === null) j.child.kill("SIGKILL");
    }
  });

  it("`llm-lessons start --no-browser --classic` prints a working URL and stops Jupyter on SIGTERM", async () => {
    const { pathFinder, findJupyter } = await import("../../tools/src/cli/jupyter-finder");
    const { freePort } = await import("../../tools/src/runner/connection");
    if (findJupyter(pathFinder(), { classic: true }) === null) return;
    const port = await freePort();
    const mark = randomBytes(8).toString("hex");
    const child = spawn(process.execPath, [CLI_BIN, "start", "--no-browser", "--classic", "--port", String(port)], {
      cwd: root,
      env: { ...process.env, [MARK]: mark },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", () => undefined);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const url = new RegExp(`Open (http://127\\.0\\.0\\.1:${port}/tree\\?token=[0-9a-f]+)`);
    expect(await waitFor(() => url.test(stderr), 30_000)).toBe(true);
    const target = url.exec(stderr)![1];
    let status = 0;
    for (let i = 0; i < 120 && status !== 200; i++) {
      status = await fetch(target).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status, stderr).toBe(200);
    child.kill("SIGTERM");
    await exited;
    expect(await waitFor(() => processesWithEnv(MARK, mark).length === 0, 15_000)).toBe(true);
  });
});
