/**
 * Opens static pages written by the command line (compare reports, the lesson book) in headless
 * Chromium with the network off, and reports their charts and every request that tried to leave.
 */
import { chromium, type Browser } from "playwright-core";
import { pathToFileURL } from "url";
import { CHROMIUM, CHROMIUM_ARGS } from "./browser-setup";

export interface PageCheck {
  file: string;
  charts: number;
  drawn: number;
  errors: string[];
  /** Requests for anything but file:, data: or about: URLs (all blocked). */
  outside: string[];
}

/** Load each file, wait up to `waitMs` for its charts to draw, and report. */
export async function checkPages(files: readonly string[], waitMs = 30_000): Promise<PageCheck[]> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const out: PageCheck[] = [];
  try {
    for (const file of files) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const outside: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:")) return route.continue();
        outside.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60_000 });
      const counts = () =>
        page.evaluate(() => {
          const charts = Array.from(document.querySelectorAll(".llm-lessons-chart"));
          return { charts: charts.length, drawn: charts.filter((c) => c.querySelector("svg.main-svg") !== null).length };
        });
      const end = Date.now() + waitMs;
      let c = await counts();
      while (c.drawn < c.charts && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 200));
        c = await counts();
      }
      out.push({ file, ...c, errors, outside });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}
