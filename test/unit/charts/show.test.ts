import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lineChart } from "../../../kernel-lib/src/charts/builders";
import { chartDivHtml, plotlyLoaderHtml, plotlySource, scriptJson, standaloneHtml } from "../../../kernel-lib/src/charts/html";
import { PLOTLY_MIME, resetPlotlyState, show, showHtml, showTable, tableBundle } from "../../../kernel-lib/src/charts/show";
import { withFakeKernel } from "./fake-kernel";

const fig = lineChart([{ name: "loss", x: [1, 2], y: [2, 1] }], { title: "A </script> title" });
const LIB_MARKER = "plotly.js v3";

beforeEach(() => resetPlotlyState()); // another file in the same worker may have shown a chart already
afterEach(() => resetPlotlyState());

function count(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

describe("show in a kernel", () => {
  it("sends plotly.js once per kernel, then one output per chart with html, plotly JSON and text", () => {
    const sent = withFakeKernel((sent) => {
      show(fig);
      show(fig);
      return sent;
    });
    expect(sent).toHaveLength(3);
    const all = sent.map((s) => String(s.data["text/html"])).join("\n");
    expect(count(all, LIB_MARKER)).toBe(1);
    expect(String(sent[0].data["text/html"])).toContain(LIB_MARKER);
    for (const s of sent.slice(1)) {
      expect(s.data["text/html"]).toMatch(/<div id="llm-chart-[^"]+" class="llm-lessons-chart"/);
      expect(s.data["text/html"]).toContain("Plotly.newPlot");
      expect(s.data[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout, config: fig.config });
      expect(s.data["text/plain"]).toBe("[chart] A </script> title — scatter, 1 trace, 2 points: loss");
    }
    expect(sent[1].data["text/html"]).not.toBe(sent[2].data["text/html"]); // distinct div ids
  });

  it("outside a kernel prints the summary line only", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    show(fig);
    expect(log).toHaveBeenCalledWith("[chart] A </script> title — scatter, 1 trace, 2 points: loss");
    log.mockRestore();
  });
});

describe("chart HTML", () => {
  it("never closes its script early and waits for window.Plotly", () => {
    const html = chartDivHtml(fig, "c1");
    expect(count(html, "</script>")).toBe(1);
    expect(html).toContain("A \\u003c/script\\u003e title");
    expect(html).toContain("if (window.Plotly)");
    expect(html).toContain("setTimeout(draw, 50)");
    expect(scriptJson({ a: "</script><!--\u2028" })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}');
  });

  it("loads the library in a scope without AMD define or CommonJS module, once per page", () => {
    const loader = plotlyLoaderHtml();
    expect(loader.startsWith('<script type="text/javascript">')).toBe(true);
    expect(loader).toContain("if (window.Plotly) return;");
    expect(loader).toContain("var define = undefined, module = undefined, exports = undefined;");
    expect(count(loader, "</script>")).toBe(1);
    expect(plotlySource().version).toMatch(/^3\./);
    expect(loader.length).toBeGreaterThan(3_000_000);
  });

  it("builds a standalone page with the library and the chart", () => {
    const page = standaloneHtml(fig);
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(count(page, LIB_MARKER)).toBe(1);
    expect(page).toContain("<title>A &lt;/script&gt; title</title>");
  });
});

describe("showTable / showHtml", () => {
  const rows = [
    { word: "the", count: 12000, share: 0.061234 },
    { word: "<b>", count: 7 },
  ];
  it("renders an escaped HTML table and an aligned text table", () => {
    const { html, text } = tableBundle(rows, { title: "Top words" });
    expect(html).toContain('<th style="text-align:left">word</th>');
    expect(html).toContain('<td style="text-align:left">&lt;b&gt;</td>');
    expect(html).toContain('<td style="text-align:right">12 000</td>');
    expect(text.split("\n")).toEqual(["Top words", "word   count    share", "----  ------  -------", "the   12 000  0.06123", "<b>        7"]);
  });
  it("caps the rows shown and says how many were left out", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ i }));
    expect(tableBundle(many, { maxRows: 2 }).text).toContain("… 3 more rows");
  });
  it("sends html with a text fallback in a kernel", () => {
    const sent = withFakeKernel((sent) => {
      showTable(rows);
      showHtml("<p>Hello <b>there</b></p>");
      return sent;
    });
    expect(sent[0].data["text/html"]).toContain("<table");
    expect(sent[1].data).toEqual({ "text/html": "<p>Hello <b>there</b></p>", "text/plain": "Hello there" });
  });
});
