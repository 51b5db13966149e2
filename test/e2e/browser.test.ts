/**
 * Real-browser checks of the charts: execute 00-setup with nbconvert into static HTML, open it in
 * headless Chromium and check that every chart drew (an `svg.main-svg` inside each chart div)
 * without page errors; plus the library loader in a page with an AMD `define`, a chart whose
 * script runs before the library, and the PNG export.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineChart } from "../../kernel-lib/src/charts/builders";
import { savePng } from "../../kernel-lib/src/charts/export";
import { chartDivHtml, plotlyLoaderHtml } from "../../kernel-lib/src/charts/html";
import { CHROMIUM, CHROMIUM_ARGS, makeWorkspace, missingTool, PYTHON, type Workspace } from "./browser-setup";

const SCREENSHOT = "/tmp/llm-lessons-nbconvert-00-setup.png";

/** Block every request that would leave the machine (nbconvert's page links CDNs). */
async function offline(page: Page): Promise<void> {
  await page.route("**/*", (route) => {
    const url = route.request().url();
    return url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:") ? route.continue() : route.abort();
  });
}

/** Charts on the page and how many of them drew an svg.main-svg. */
async function chartCounts(page: Page): Promise<{ charts: number; drawn: number }> {
  return page.evaluate(() => {
    const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
    return { charts: charts.length, drawn: charts.filter((c) => c.querySelector("svg.main-svg") !== null).length };
  });
}

const missingBrowser = missingTool({});
describe.skipIf(missingBrowser !== null)(`charts in headless Chromium${missingBrowser ? ` (skipped: ${missingBrowser})` : ""}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("loads plotly.js on a page with an AMD loader and draws a chart whose script ran first", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const fig = lineChart([{ name: "y", x: [1, 2, 3], y: [1, 4, 9] }], { title: "Before the library" });
    // An AMD define that fails loudly if plotly.js tried to register through it (as requirejs would).
    const amd = `<script>window.define = function () { throw new Error("plotly.js called define()"); }; window.define.amd = {};</script>`;
    await page.setContent(`<!DOCTYPE html><html><body>${amd}${chartDivHtml(fig, "early")}${plotlyLoaderHtml()}</body></html>`);
    await page.waitForSelector("#early svg.main-svg", { timeout: 30_000 });
    expect(await page.evaluate(() => typeof (window as unknown as { Plotly?: { version: string } }).Plotly?.version)).toBe("string");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("savePng writes a real PNG of the requested size", async () => {
    const file = "/tmp/llm-lessons-savepng-test.png";
    fs.rmSync(file, { force: true });
    await savePng(lineChart([{ name: "loss", x: [1, 2, 3, 4], y: [4, 2, 1.5, 1.2] }], { title: "savePng" }), file, { width: 640, height: 360 });
    const png = fs.readFileSync(file);
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 360]); // IHDR width, height
    expect(png.length).toBeGreaterThan(5_000);
  });
});

const missingNbconvert = missingTool({ nbconvert: true });
describe.skipIf(missingNbconvert !== null)(`00-setup through nbconvert HTML${missingNbconvert ? ` (skipped: ${missingNbconvert})` : ""}`, () => {
  let ws: Workspace;
  let browser: Browser | undefined;
  beforeAll(() => {
    ws = makeWorkspace();
  });
  afterAll(async () => {
    await browser?.close();
    ws?.cleanup();
  });

  it("executes in fast mode and every chart draws in Chromium without page errors", async () => {
    const run = spawnSync(
      PYTHON,
      ["-m", "nbconvert", "--execute", "--to", "html", "--ExecutePreprocessor.timeout=300", "--output-dir", ws.dir, "00-setup.ipynb"],
      {
        cwd: ws.notebooks,
        env: ws.env,
        encoding: "utf8",
        timeout: 480_000,
      },
    );
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    const html = path.join(ws.dir, "00-setup.html");
    const source = fs.readFileSync(html, "utf8");
    expect(source.split("plotly.js v3").length - 1).toBe(1); // the library is inlined once

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await offline(page);
    await page.goto("file://" + html, { waitUntil: "load", timeout: 120_000 });
    await page.waitForSelector("svg.main-svg", { timeout: 60_000 });
    await page.waitForFunction(
      () => {
        const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
        return charts.length > 0 && charts.every((c) => c.querySelector("svg.main-svg") !== null);
      },
      undefined,
      { timeout: 60_000 },
    );
    const counts = await chartCounts(page);
    expect(counts.charts).toBeGreaterThanOrEqual(5);
    expect(counts.drawn).toBe(counts.charts);
    expect(await page.locator("text=demo loop").count()).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });
});
