/**
 * Static export of a figure: a standalone HTML file (plotly.js inlined, opens offline) and a PNG
 * rendered by headless Chromium through playwright-core (for docs and tests).
 */
import * as fs from "fs";
import * as path from "path";
import type { Figure } from "./figure";
import { figureSummary } from "./figure";
import { standaloneHtml } from "./html";

/** Write `fig` as a standalone HTML page to `file` (folders are created). */
export function saveHtml(fig: Figure, file: string): void {
  const html = standaloneHtml(fig);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, html, "utf8");
}

/** Where Chromium may be installed; `LLM_LESSONS_CHROMIUM` wins. */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** Chromium's path, or an Error saying how to install it. */
export function findChromium(): string {
  const env = process.env.LLM_LESSONS_CHROMIUM;
  if (env) {
    if (fs.existsSync(env)) return env;
    throw new Error(`LLM_LESSONS_CHROMIUM is set to ${env}, but no file exists there`);
  }
  const found = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium is needed to render PNG files and was not found (looked at ${CHROMIUM_CANDIDATES.join(", ")}). ` +
        "Install it (Debian/Ubuntu: sudo apt-get install chromium) or set LLM_LESSONS_CHROMIUM to its path.",
    );
  }
  return found;
}

/** Command-line switches for a quiet, offline headless Chromium. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

type Playwright = typeof import("playwright-core");

function loadPlaywright(): Playwright {
  try {
    return require("playwright-core") as Playwright;
  } catch (e) {
    throw new Error(`savePng needs the npm package playwright-core (npm install playwright-core): ${(e as Error).message}`);
  }
}

/** Options of `savePng`. */
export interface PngOptions {
  /** Image width in CSS pixels (default: the figure's width, else 900). */
  width?: number;
  /** Image height in CSS pixels (default: the figure's height, else 500). */
  height?: number;
  /** Pixel ratio (default 1; 2 for sharp images on high-DPI screens). */
  scale?: number;
  /** Give up after this many ms (default 60000). */
  timeoutMs?: number;
}

/** Render `fig` to a PNG file with headless Chromium (plotly's own `toImage`). */
export async function savePng(fig: Figure, file: string, opts: PngOptions = {}): Promise<void> {
  figureSummary(fig); // validates the shape
  const executablePath = findChromium();
  const { chromium } = loadPlaywright();
  const layout = (fig.layout ?? {}) as { width?: number; height?: number };
  const width = opts.width ?? layout.width ?? 900;
  const height = opts.height ?? layout.height ?? 500;
  const scale = opts.scale ?? 1;
  const timeout = opts.timeoutMs ?? 60_000;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout });
  try {
    const page = await browser.newPage({ viewport: { width: width + 40, height: height + 40 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const sized: Figure = { ...fig, layout: { ...(fig.layout ?? {}), width, height } };
    await page.setContent(standaloneHtml(sized), { waitUntil: "load", timeout });
    await page.waitForSelector("svg.main-svg", { timeout }).catch(() => {
      throw new Error(`savePng: the chart did not draw in Chromium${errors.length ? `: ${errors.join("; ")}` : ""}`);
    });
    const dataUrl = await page.evaluate(
      ({ w, h, s }) => {
        const el = document.querySelector(".llm-lessons-chart");
        const Plotly = (window as unknown as { Plotly: { toImage(el: Element | null, o: object): Promise<string> } }).Plotly;
        return Plotly.toImage(el, { format: "png", width: w, height: h, scale: s });
      },
      { w: width, h: height, s: scale },
    );
    const prefix = "data:image/png;base64,";
    if (!dataUrl.startsWith(prefix)) throw new Error("savePng: plotly returned no PNG data");
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, Buffer.from(dataUrl.slice(prefix.length), "base64"));
  } finally {
    await browser.close();
  }
}
