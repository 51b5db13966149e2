/**
 * HTML for charts. plotly.js is inlined (no network: lessons work offline) once per page, and
 * each chart is a `<div>` plus a small script that waits for `window.Plotly` before drawing. The
 * wait matters when a saved notebook is reopened: outputs run in document order, so the output
 * holding the library runs first, but front ends may render outputs asynchronously.
 */
import * as fs from "fs";
import * as path from "path";
import { figureSummary, figureTitle, type Figure } from "./figure";

let cachedSource: { version: string; code: string } | null = null;

/** Folder of the installed plotly.js-dist-min package (found from its package.json). */
export function plotlyPackageDir(): string {
  try {
    return path.dirname(require.resolve("plotly.js-dist-min/package.json"));
  } catch (e) {
    throw new Error(`plotly.js-dist-min is not installed (needed to draw charts); run npm install in the project: ${(e as Error).message}`);
  }
}

/**
 * The plotly.js bundle as text. It cannot be `require`d in Node (it needs a browser), so it is
 * read from disk and sent to the front end.
 */
export function plotlySource(): { version: string; code: string } {
  if (cachedSource) return cachedSource;
  const dir = plotlyPackageDir();
  const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
  const code = fs.readFileSync(path.join(dir, "plotly.min.js"), "utf8");
  cachedSource = { version, code };
  return cachedSource;
}

/** Make JSON safe inside `<script>`: no `</script>`, no HTML comment openers, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/**
 * A `<script>` that defines `window.Plotly` unless the page has it already. The library runs in a
 * function scope where `define`, `module` and `exports` are undefined, so that a page with an AMD
 * loader (classic Notebook has requirejs) or a CommonJS shim still gets `window.Plotly`.
 */
export function plotlyLoaderHtml(): string {
  const { version, code } = plotlySource();
  const safe = code.replace(/<\/script/gi, "<\\/script");
  return (
    `<script type="text/javascript">/* plotly.js ${version}, inlined for offline use */\n` +
    `(function () {\nif (window.Plotly) return;\nvar define = undefined, module = undefined, exports = undefined;\n${safe}\n` +
    `if (!window.Plotly && typeof Plotly !== "undefined") window.Plotly = Plotly;\n})();\n</script>`
  );
}

let idCounter = 0;

/** A fresh element id for a chart. */
export function newChartId(): string {
  idCounter += 1;
  return `llm-chart-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}-${idCounter}`;
}

/** The height a chart's div reserves before plotly draws (so the page does not jump). */
function reservedHeight(fig: Figure): number {
  const h = (fig.layout as { height?: unknown } | undefined)?.height;
  return typeof h === "number" && h > 0 ? h : 420;
}

/**
 * A `<div>` and a script drawing `fig` into it once `window.Plotly` exists (polling every 50 ms,
 * giving up with a visible message after `waitSeconds`).
 */
export function chartDivHtml(fig: Figure, id: string = newChartId(), waitSeconds = 60): string {
  const payload = { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} };
  const label = escapeHtml(figureTitle(fig) || "chart");
  return (
    `<div id="${id}" class="llm-lessons-chart" role="img" aria-label="${label}" style="width:100%;min-height:${reservedHeight(fig)}px"></div>\n` +
    `<script type="text/javascript">\n(function () {\n` +
    `  var fig = ${scriptJson(payload)};\n` +
    `  var id = ${JSON.stringify(id)}, tries = 0, limit = ${Math.max(1, Math.round((waitSeconds * 1000) / 50))};\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    if (!el) return;\n` +
    `    if (window.Plotly) { el.style.minHeight = ""; window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }\n` +
    `    if (++tries > limit) { el.textContent = "plotly.js is not loaded on this page: run the notebook's cells again from the top (the first chart loads it)."; return; }\n` +
    `    setTimeout(draw, 50);\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n</script>`
  );
}

/** A complete HTML page showing one figure, with plotly.js inlined: opens anywhere, offline. */
export function standaloneHtml(fig: Figure, opts: { title?: string } = {}): string {
  const title = escapeHtml(opts.title ?? (figureTitle(fig) || figureSummary(fig)));
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<style>body{margin:16px;font-family:sans-serif;background:#fff}</style>\n</head>\n<body>\n` +
    `${plotlyLoaderHtml()}\n${chartDivHtml(fig)}\n</body>\n</html>\n`
  );
}
