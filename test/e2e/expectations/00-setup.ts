/**
 * What a fast run of notebooks/00-setup.ipynb must produce: the recorded metrics and real chart
 * outputs (plotly.js inlined once, then a div + script per chart).
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Every display output's data bundle of an executed notebook, in order. */
function bundles(nb: Notebook): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "display_data" || o.output_type === "execute_result") out.push(o.data);
    }
  }
  return out;
}

const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the run of 00-setup went as it should (deterministic numbers are exact). */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  expect(result.seconds).toBeLessThan(180); // fast mode: measured 30–45 s on a busy 2-core machine
  const m = result.metrics;
  expect(["wasm", "cpu", "tensorflow"]).toContain(m.backend);
  expect(m.matmul_sum).toBe(56); // [[1,2],[3,4]] × [[5],[6]] = [[17],[39]]
  expect(m.sotu_addresses).toBe(233);
  expect(m.sotu_words).toBe(1_805_493);
  expect(m.brown_files).toBe(500);
  expect(m.brown_genres).toBe(15);

  const all = bundles(executed);
  const html = all.map((b) => text(b["text/html"]));
  // plotly.js is inlined exactly once, in its own output, before the first chart.
  const libraryOutputs = html.map((h, i) => (h.includes("plotly.js v3") ? i : -1)).filter((i) => i >= 0);
  expect(libraryOutputs).toHaveLength(1);
  const charts = all.map((b, i) => (b[PLOTLY_MIME] !== undefined ? i : -1)).filter((i) => i >= 0);
  expect(charts.length).toBeGreaterThanOrEqual(5); // waves, live loss, words per address, parties, Brown genres
  expect(libraryOutputs[0]).toBeLessThan(charts[0]);
  for (const i of charts) {
    expect(html[i]).toMatch(/<div id="llm-chart-[^"]+" class="llm-lessons-chart"/);
    expect(html[i]).toContain("Plotly.newPlot");
  }
  // The progress bar ended complete, and the exercise's solution passed.
  expect(all.some((b) => /demo loop \[#+\] (\d+)\/\1 100%/.test(text(b["text/plain"])))).toBe(true);
  const streams = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => text((o as { text: unknown }).text)));
  expect(streams.some((s) => s.includes("✓ 1981"))).toBe(true);
}
