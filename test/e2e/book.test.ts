/**
 * `llm-lessons book`: a static site of executed notebooks, opened page by page in headless
 * Chromium with the network off — every chart must draw, nothing may load from outside, and no
 * page may throw. This file runs a fixture; the book of every lesson is checked at the end of
 * notebooks.test.ts, from the notebooks that file has just executed (build/e2e).
 */
import { existsSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { missingTool } from "./browser-setup";
import { cli } from "./cli";
import { checkPages } from "./static-pages";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures", "notebooks");
const tmp = mkdtempSync(join(tmpdir(), "book-e2e-"));

const missing = missingTool({});
describe.skipIf(missing !== null)(`llm-lessons book${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("renders a notebook's narrative, code, charts, tables and hidden solution, leaves its metrics cell out; pages work offline", async () => {
    const site = join(tmp, "small");
    const r = await cli(["book", join(fixtures, "book.ipynb"), join(fixtures, "sweep.ipynb"), "--mode", "fast", "--out", site, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ["index.html", "book.html", "sweep.html", "plotly.min.js", "hljs.css", "notebooks/book.ipynb", "executed/book.ipynb"]) {
      expect(existsSync(join(site, f)), f).toBe(true);
    }
    const page = readFileSync(join(site, "book.html"), "utf8");
    expect(page).toContain("<h1>Book fixture: a chart, a table, a solution</h1>");
    expect(page).toContain('<span class="hljs-keyword">const</span>');
    expect(page).toContain('href="sweep.html"'); // a link to another lesson's notebook points at its page
    expect(page).toContain("<summary>Solution (hidden in the notebook)</summary>");
    // The cell tagged "metrics" is left out: neither its code nor its output is on the page.
    expect(page).not.toContain("never shown in the book");
    expect(page).not.toContain("metrics cell output");
    expect(readFileSync(join(site, "executed", "book.ipynb"), "utf8")).toContain("metrics cell output"); // it did run
    expect(page).toContain("A few squares");
    expect(page).not.toContain("inlined for offline use"); // plotly.js only as the file beside the pages
    const index = readFileSync(join(site, "index.html"), "utf8");
    expect(index).toContain('<a href="book.html">');
    expect(index).toContain("points = 5");
    const checks = await checkPages([join(site, "index.html"), join(site, "book.html"), join(site, "sweep.html")]);
    for (const c of checks) {
      expect(c.errors, c.file).toEqual([]);
      expect(c.outside, c.file).toEqual([]);
      expect(c.drawn, c.file).toBe(c.charts);
    }
    expect(checks[1].charts).toBe(2);
  });
});
