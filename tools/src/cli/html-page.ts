/**
 * Static HTML pages written by the command line (the `compare` report, the lesson book): one
 * stylesheet, plotly.js as a file beside the pages (no network), charts drawn by the same
 * `<div>` + script as in the notebooks.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from "fs";
import { join } from "path";
import { escapeHtml, plotlyPackageDir } from "kernel-lib/charts";

/** The file name plotly.js gets beside the pages. */
export const PLOTLY_FILE = "plotly.min.js";

/** Copy plotly.js into `dir` (once; kept when already the same size). Returns its path. */
export function writePlotlyBeside(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const src = join(plotlyPackageDir(), "plotly.min.js");
  const dest = join(dir, PLOTLY_FILE);
  if (!existsSync(dest) || statSync(dest).size !== statSync(src).size) copyFileSync(src, dest);
  return dest;
}

/** The stylesheet of every page. */
export const PAGE_CSS = `
body{margin:0;font-family:'Segoe UI','Helvetica Neue',Arial,sans-serif;color:#222;background:#fff;line-height:1.5}
main{max-width:1000px;margin:0 auto;padding:16px 24px 64px}
nav.top{background:#f4f5f7;border-bottom:1px solid #ddd;padding:8px 24px;font-size:14px}
nav.top a{margin-right:16px}
a{color:#1f5fa8}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f5f7}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{background:#fdecec}
pre{background:#f6f8fa;padding:8px 12px;overflow-x:auto;font-size:13px;border-radius:4px;margin:4px 0}
pre.out{background:#fff;border-left:3px solid #ccc;border-radius:0}
pre.err{background:#fff5f5;border-left:3px solid #d33}
div.cell{margin:12px 0}
div.code-cell{border-left:3px solid #1f5fa8;padding-left:8px}
div.prompt{font-size:12px;color:#888}
div.output{margin:4px 0;overflow-x:auto}
.muted{color:#777;font-size:13px}
`;

/** A complete page; `plotlySrc` is the relative path of plotly.js, or null for a page without charts. */
export function htmlPage(title: string, body: string, opts: { plotlySrc?: string | null; head?: string } = {}): string {
  const plotly = opts.plotlySrc ? `<script src="${escapeHtml(opts.plotlySrc)}"></script>\n` : "";
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>${PAGE_CSS}</style>\n${opts.head ?? ""}${plotly}</head>\n` +
    `<body>\n${body}\n</body>\n</html>\n`
  );
}

/** An HTML table; cells are escaped text, numbers right-aligned. */
export function htmlTable(header: string[], rows: unknown[][], rowClass?: (i: number) => string): string {
  const cell = (v: unknown): string => {
    const num = typeof v === "number";
    return `<td${num ? ' class="num"' : ""}>${escapeHtml(formatCell(v))}</td>`;
  };
  return (
    `<table>\n<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n` +
    rows.map((r, i) => `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ""}>${r.map(cell).join("")}</tr>`).join("\n") +
    `\n</tbody>\n</table>`
  );
}

/** A value as table text: numbers with 4 significant digits (integers whole), the rest as JSON. */
export function formatCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}
