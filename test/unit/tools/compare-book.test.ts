import { readdirSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { compareFigures, compareTable, differingParams, runLabel, textTable, type ComparedRun } from "../../../tools/src/cli/compare";
import { cellHtml, indexPage, isPlotlyLoader, keyNumbers, lessonHeadline, lessonTitle, outputHtml, stripAnsi } from "../../../tools/src/cli/book";
import { readNotebook } from "../../../tools/src/runner/nbformat";
import { formatCell } from "../../../tools/src/cli/html-page";
import type { Output } from "../../../tools/src/runner/nbformat";

const run = (params: Record<string, unknown>, metrics: Record<string, unknown>, status = "ok"): ComparedRun => ({
  source: "d",
  where: "w",
  params,
  repeat: 1,
  status,
  seconds: 1,
  metrics,
});

describe("compare", () => {
  const runs = [
    run({ mode: "fast", lr: 0.001, nLayer: 2 }, { val_loss: 2.5, curve: [3, 2.5] }),
    run({ mode: "fast", lr: 0.01, nLayer: 2 }, { val_loss: 2.2, curve: { x: [0, 10], y: [3, 2.2] } }),
    run({ mode: "fast", lr: 0.1, nLayer: 4 }, { val_loss: 3.1 }, "failed"),
  ];

  it("shows only the parameters that differ", () => {
    expect(differingParams(runs)).toEqual(["lr", "nLayer"]);
    const t = compareTable(runs, ["val_loss", "curve"]);
    expect(t.header).toEqual(["#", "run", "lr", "nLayer", "status", "seconds", "val_loss", "curve"]);
    expect(t.rows[0]).toEqual([1, "w", 0.001, 2, "ok", 1, 2.5, "(curve)"]);
    expect(runLabel(runs[0], ["lr", "nLayer", "seed"])).toBe("lr=0.001 nLayer=2 seed=default");
  });

  it("aligns a text table", () => {
    const text = textTable(
      ["a", "value"],
      [
        ["x", 1.23456],
        ["longer", 10],
      ],
    );
    expect(text.split("\n")[0]).toBe("a       value");
    expect(text.split("\n")[2]).toBe("x       1.235");
    expect(text.split("\n")[3]).toBe("longer     10");
  });

  it("draws each metric against each differing parameter, and overlays the curves", () => {
    const figs = compareFigures(runs, ["val_loss"], ["curve"]);
    expect(figs).toHaveLength(3);
    const vsLr = figs[0] as { data: { x: unknown[]; y: unknown[]; name: string }[]; layout: { xaxis: { type: string } } };
    expect(vsLr.layout.xaxis.type).toBe("log"); // 0.001 … 0.1 spans two decades
    expect(vsLr.data.map((d) => d.name)).toEqual(["nLayer=2", "nLayer=4"]);
    expect(vsLr.data[0].x).toEqual([0.001, 0.01]);
    const curves = figs[2] as { data: { x: number[]; name: string }[] };
    expect(curves.data.map((d) => [d.name, d.x])).toEqual([
      ["lr=0.001 nLayer=2", [0, 1]],
      ["lr=0.01 nLayer=2", [0, 10]],
    ]);
  });

  it("formats cells", () => {
    expect(formatCell(1234567.8)).toBe("1.235e+6");
    expect(formatCell(0.000123)).toBe("1.230e-4");
    expect(formatCell(2.34567)).toBe("2.346");
    expect(formatCell(null)).toBe("");
  });
});

describe("book rendering", () => {
  const md = (t: string): string => `<md>${t}</md>`;
  const hl = (c: string): string => `<hl>${c}</hl>`;

  it("renders the richest representation of an output, dropping the inlined plotly.js", () => {
    const html: Output = { output_type: "display_data", data: { "text/html": "<b>x</b>", "text/plain": "x" }, metadata: {} };
    expect(outputHtml(html, md)).toBe('<div class="output"><b>x</b></div>');
    const loader: Output = {
      output_type: "display_data",
      data: { "text/html": "<script>/* plotly.js 3.7.0, inlined for offline use */\n</script>" },
      metadata: {},
    };
    expect(isPlotlyLoader(loader)).toBe(true);
    expect(outputHtml(loader, md)).toBe("");
    const fig: Output = { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [{ y: [1] }], layout: {} } }, metadata: {} };
    expect(outputHtml(fig, md)).toContain('class="llm-lessons-chart"');
    expect(outputHtml({ output_type: "stream", name: "stderr", text: ["\x1b[31mbad <x>\x1b[0m\n"] }, md)).toBe('<pre class="out err">bad &lt;x&gt;\n</pre>');
    const long: Output = { output_type: "stream", name: "stdout", text: Array.from({ length: 50 }, (_, i) => `${i}\n`) };
    expect(outputHtml(long, md)).toMatch(/^<details><summary>51 lines of output<\/summary>/);
    expect(stripAnsi("\x1b[1;32mok\x1b[0m")).toBe("ok");
  });

  it("hides solution cells behind a summary and labels parameter cells", () => {
    const sol = cellHtml(
      { cell_type: "code", metadata: { tags: ["solution"], jupyter: { source_hidden: true } }, source: "f()", outputs: [], execution_count: 3 },
      md,
      hl,
    );
    expect(sol).toContain("<details><summary>Solution (hidden in the notebook)</summary>");
    expect(sol).toContain("[3]");
    const par = cellHtml({ cell_type: "code", metadata: { tags: ["parameters"] }, source: "let a = 1;", outputs: [], execution_count: 1 }, md, hl);
    expect(par).toContain("[1] parameters");
    expect(cellHtml({ cell_type: "markdown", metadata: {}, source: ["# T\n"] }, md, hl)).toBe('<div class="cell md-cell"><md># T\n</md></div>');
  });

  it("takes the title from the first heading and lists key numbers", () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "markdown" as const, metadata: {}, source: "intro\n# 04 · A mini GPT\n" }],
    };
    expect(lessonTitle(nb, "x")).toBe("04 · A mini GPT");
    expect(keyNumbers({ a: 1, b: "s", c: 2.5, d: [1] }, 1)).toBe("a = 1, … (1 more)");
  });

  it("takes each lesson's headline from its opening cell's 'You should see about' paragraph", () => {
    const cell = (source: string) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown" as const, metadata: {}, source }] });
    expect(lessonHeadline(cell("# T\n\nintro\n\n**You should see about** (workshop): a loss of **2.1**;\nthe rest.\n\nmore"))).toBe(
      "a loss of **2.1**; the rest.",
    );
    expect(lessonHeadline(cell("# T\n\n**You should see about:** α ≈ 0.12"))).toBe("α ≈ 0.12");
    expect(lessonHeadline(cell("# T\n\n**You should see about** — (fast): two lines\nas one"))).toBe("two lines as one");
    expect(lessonHeadline(cell("# T\n\nno such paragraph"))).toBeNull();
    // Every lesson states one, so the book's index says what each lesson shows in words.
    const dir = join(__dirname, "..", "..", "..", "notebooks");
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
      expect(lessonHeadline(readNotebook(join(dir, f))), f).toMatch(/\w.{40,}/);
    }
  });

  it("the index shows the headline as HTML, else the first metrics, and links each lesson", () => {
    const nb = (source: string) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown" as const, metadata: {}, source }] });
    const metrics = { params: {}, backend: null, seconds: 12.4, cells: [], metrics: { points: 5 } };
    const page = indexPage(
      [
        { name: "a", title: "A", source: "a.ipynb", executed: nb("# A\n\n**You should see about:** a loss of **2.1**"), metrics, ok: true },
        { name: "b", title: "B", source: "b.ipynb", executed: nb("# B"), metrics, ok: true },
      ],
      "fast",
      (t) => `<p>${t.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")}</p>`,
    );
    expect(page).toContain("<td>a loss of <strong>2.1</strong></td>");
    expect(page).toContain("<td>points = 5</td>");
    expect(page).toContain('<td><a href="a.html">a</a></td><td><a href="a.html">A</a></td>');
    expect(page).not.toContain("@@see");
  });
});
