/**
 * Showing figures, HTML and tables in the notebook. Each chart output carries three
 * representations and the front end picks the richest one it can draw:
 *   - `application/vnd.plotly.v1+json`: VS Code (and JupyterLab with a plotly extension) draw it natively;
 *   - `text/html`: a div + script, drawn by classic Notebook, nbconvert HTML and trusted JupyterLab;
 *   - `text/plain`: a one-line summary for terminals and the headless runner's logs.
 * Classic Notebook and nbconvert ignore the plotly MIME type (it is not in their display order),
 * so adding it costs nothing there.
 */
import { inKernel, sendDisplay, type MimeBundle } from "../runtime/kernel-display";
import { figureSummary, type Figure } from "./figure";
import { chartDivHtml, escapeHtml, plotlyLoaderHtml, plotlySource } from "./html";

/** MIME type of Plotly figure JSON. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

let libraryShown = false;

/**
 * Send plotly.js to the page, once per kernel (after each kernel start), as its own output (so that outputs updated
 * in place never drop it). `force` sends it again, e.g. after clearing every output and saving.
 * Returns true when it was sent now.
 */
export function loadPlotly(opts: { force?: boolean } = {}): boolean {
  if (libraryShown && !opts.force) return false;
  if (!inKernel()) return false;
  const { version } = plotlySource();
  const sent = sendDisplay({ "text/html": plotlyLoaderHtml(), "text/plain": `(plotly.js ${version} loaded for the charts of this notebook)` });
  if (sent) libraryShown = true;
  return sent;
}

/** Whether plotly.js was already sent since this kernel started. */
export function plotlyLoaded(): boolean {
  return libraryShown;
}

/** The MIME bundle of one chart (exported for tests and for outputs updated in place). */
export function figureBundle(fig: Figure, id?: string): MimeBundle {
  const summary = figureSummary(fig);
  return {
    "text/html": chartDivHtml(fig, id),
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} },
    "text/plain": summary,
  };
}

/** Draw a figure in the notebook; outside a kernel print its one-line summary. */
export function show(fig: Figure): void {
  const bundle = figureBundle(fig);
  if (!inKernel()) {
    console.log(bundle["text/plain"]);
    return;
  }
  loadPlotly();
  sendDisplay(bundle);
}

/** Show raw HTML (scripts run in classic Notebook and nbconvert, and in trusted JupyterLab). */
export function showHtml(html: string, text?: string): void {
  if (typeof html !== "string") throw new TypeError(`showHtml: html must be a string, got ${typeof html}`);
  const plain =
    text ??
    html
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  if (!sendDisplay({ "text/html": html, "text/plain": plain })) console.log(plain);
}

/** Options of `showTable`. */
export interface TableOptions {
  /** A caption above the table. */
  title?: string;
  /** Column order (default: keys in order of first appearance). */
  columns?: string[];
  /** Show at most this many rows (default 50); the rest are counted. */
  maxRows?: number;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
}

function cell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US").replace(/,/g, " ") : v.toPrecision(digits);
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** The HTML and text forms of a table (exported for tests). */
export function tableBundle(rows: Record<string, unknown>[], opts: TableOptions = {}): { html: string; text: string } {
  if (!Array.isArray(rows)) throw new TypeError(`showTable: rows must be an array of objects, got ${typeof rows}`);
  const maxRows = opts.maxRows ?? 50;
  const digits = opts.digits ?? 4;
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, maxRows);
  const cells = shown.map((r) => columns.map((c) => cell(r[c], digits)));
  const numeric = columns.map((c) => shown.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"));
  const more = rows.length > shown.length ? `… ${rows.length - shown.length} more rows` : "";

  const align = (i: number) => (numeric[i] ? "right" : "left");
  const head = columns.map((c, i) => `<th style="text-align:${align(i)}">${escapeHtml(c)}</th>`).join("");
  const body = cells.map((r) => `<tr>${r.map((v, i) => `<td style="text-align:${align(i)}">${escapeHtml(v)}</td>`).join("")}</tr>`).join("\n");
  const caption = opts.title ? `<div style="font-weight:bold;margin:4px 0;white-space:nowrap">${escapeHtml(opts.title)}</div>` : "";
  const html =
    `${caption}<table class="llm-lessons-table" style="border-collapse:collapse;font-variant-numeric:tabular-nums">` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>` +
    (more ? `<div style="color:#666">${escapeHtml(more)}</div>` : "");

  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const lines = [columns.map((c, i) => pad(c, i)).join("  "), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map((r) => r.map(pad).join("  "))];
  if (opts.title) lines.unshift(opts.title);
  if (more) lines.push(more);
  return { html, text: lines.map((l) => l.trimEnd()).join("\n") };
}

/** Show rows of objects as a table (HTML in the notebook, aligned text elsewhere). */
export function showTable(rows: Record<string, unknown>[], opts: TableOptions = {}): void {
  const { html, text } = tableBundle(rows, opts);
  if (!sendDisplay({ "text/html": html, "text/plain": text })) console.log(text);
}

/** Forget that plotly.js was sent (tests; a restarted kernel starts with this state anyway). */
export function resetPlotlyState(): void {
  libraryShown = false;
}
