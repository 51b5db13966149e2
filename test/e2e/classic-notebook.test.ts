/**
 * 00-setup in Debian's classic Jupyter Notebook (6.x, with requirejs on the page): start a private
 * server, open the notebook in headless Chromium, run all cells and check that every chart drew.
 * The server (and its kernel) is always stopped, even when the test fails.
 */
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as net from "net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, makeWorkspace, missingTool, PYTHON, type Workspace } from "./browser-setup";

const SCREENSHOT = "/tmp/llm-lessons-classic-00-setup.png";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(base: string, token: string, server: ChildProcess, log: () => string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`the notebook server exited with code ${server.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${base}/api/status?token=${token}`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the notebook server did not answer within ${ms / 1000} s:\n${log()}`);
}

async function stopServer(server: ChildProcess | undefined, base: string, token: string): Promise<void> {
  if (!server || server.exitCode !== null) return;
  try {
    // Shut the kernels down through the API first, so no tslab process outlives the test.
    const kernels = (await (await fetch(`${base}/api/kernels?token=${token}`)).json()) as { id: string }[];
    await Promise.all(kernels.map((k) => fetch(`${base}/api/kernels/${k.id}?token=${token}`, { method: "DELETE" })));
  } catch {
    // the server may already be gone
  }
  const exited = new Promise<void>((r) => server.once("exit", () => r()));
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, sig);
    } catch {
      // already gone
    }
  };
  group("SIGTERM");
  const timer = setTimeout(() => group("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

const missing = missingTool({ notebook: true });
describe.skipIf(missing !== null)(`00-setup in classic Notebook${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let ws: Workspace;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let base = "";
  const token = randomBytes(16).toString("hex");
  let serverLog = "";

  beforeAll(async () => {
    ws = makeWorkspace();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      PYTHON,
      [
        "-m",
        "notebook",
        "--no-browser",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        `--NotebookApp.token=${token}`,
        `--notebook-dir=${ws.notebooks}`,
        "--NotebookApp.port_retries=0",
        ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
      ],
      { env: ws.env, cwd: ws.notebooks, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    await waitForServer(base, token, server, () => serverLog.slice(-3000), 60_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server, base, token);
    ws?.cleanup();
  });

  it("runs all cells and every Plotly chart draws (requirejs on the page)", async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/notebooks/00-setup.ipynb?token=${token}`, { waitUntil: "load", timeout: 120_000 });
    /** The parts of classic Notebook's global `Jupyter` this test uses. */
    type J = {
      Jupyter: {
        notebook: { kernel?: { info_reply?: { status?: string }; is_connected?(): boolean }; execute_all_cells(): void; save_notebook(): void; dirty: boolean };
      };
    };
    await page.waitForFunction(
      () => {
        const nb = (window as unknown as J).Jupyter?.notebook;
        return nb?.kernel?.info_reply?.status === "ok" || (nb?.kernel?.is_connected?.() && nb.kernel.info_reply !== undefined);
      },
      undefined,
      { timeout: 120_000, polling: 500 },
    );
    expect(await page.evaluate(() => typeof (window as unknown as { requirejs?: unknown }).requirejs)).toBe("function");
    await page.evaluate(() => (window as unknown as J).Jupyter.notebook.execute_all_cells());
    // Done when no cell is running and the solution cell printed its check mark.
    await page.waitForFunction(
      // biome-ignore lint/performance/useDomNodeTextContent: the text a learner sees (innerText leaves out hidden elements and scripts)
      () => document.querySelectorAll(".cell.running").length === 0 && document.body.innerText.includes("✓ 1981"),
      undefined,
      { timeout: 420_000, polling: 1000 },
    );
    await page.waitForFunction(
      () => {
        const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
        return charts.length >= 5 && charts.every((c) => c.querySelector("svg.main-svg") !== null);
      },
      undefined,
      { timeout: 60_000 },
    );
    const counts = await page.evaluate(() => {
      const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
      return {
        charts: charts.length,
        drawn: charts.filter((c) => c.querySelector("svg.main-svg") !== null).length,
        plotly: typeof (window as unknown as { Plotly?: unknown }).Plotly,
      };
    });
    expect(counts.plotly).toBe("object");
    expect(counts.drawn).toBe(counts.charts);
    expect(counts.charts).toBeGreaterThanOrEqual(5);
    // recordMetric shows a learner nothing.
    // biome-ignore lint/performance/useDomNodeTextContent: what a learner sees (innerText leaves out hidden elements and scripts)
    expect(await page.evaluate(() => /metric \w+ =/.test(document.body.innerText))).toBe(false);
    // The notebook scrolls inside its own panel: bring a chart into view, then take the picture.
    await page.locator(".llm-lessons-chart").nth(1).scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(errors).toEqual([]);

    // Saved and reopened, the outputs run again in document order: the library output first,
    // every chart script waiting for window.Plotly.
    await page.evaluate(() => (window as unknown as J).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !(window as unknown as J).Jupyter.notebook.dirty, undefined, { timeout: 60_000 });
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(
      () => {
        const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
        return charts.length >= 5 && charts.every((c) => c.querySelector("svg.main-svg") !== null);
      },
      undefined,
      { timeout: 60_000 },
    );
    expect(errors).toEqual([]);
  });
});
