/**
 * The lesson book lists the lessons in the order their "Next: `NAME.ipynb`" lines give, not by
 * name (by name, 00-ngrams would come before 00-setup), and leaves cells tagged `metrics` out.
 */
import { readdirSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { cellHtml, isMetricsCell, lessonOrder, nextLesson, notebooksInOrder } from "../../../tools/src/cli/book";
import type { Cell, Notebook } from "../../../tools/src/runner/nbformat";

const md = (source: string): Cell => ({ cell_type: "markdown", id: "m", metadata: {}, source: source });
const nb = (...cells: Cell[]): Notebook => ({ cells: cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

describe("the book's lesson order", () => {
  it("reads a lesson's last Next link", () => {
    expect(nextLesson(nb(md("# A\n\nNext: `b.ipynb`."), md("More.\n\nNext: `02-word2vec.ipynb` learns dense vectors")))).toBe("02-word2vec");
    expect(nextLesson(nb(md("Next: lesson 02 learns dense word vectors")))).toBeNull();
    expect(nextLesson(nb(md("const next = topNext(prompt)")))).toBeNull();
  });

  it("follows the Next links; lessons without one sort in by name; a cycle does not loop", () => {
    const order = (entries: [string, string | null][]) => lessonOrder(new Map(entries));
    expect(
      order([
        ["00-ngrams", "01-a"],
        ["00-setup", "00-tokens"],
        ["00-tokens", "00-ngrams"],
        ["01-a", null],
        ["02-b", null],
        ["03-c", "04-d"],
        ["04-d", "missing"],
      ]),
    ).toEqual(["00-setup", "00-tokens", "00-ngrams", "01-a", "02-b", "03-c", "04-d"]);
    expect(
      order([
        ["a", "b"],
        ["b", "a"],
        ["c", null],
      ]),
    ).toEqual(["c", "a", "b"]); // the cycle a ⇄ b after the lessons with a start
    expect(order([["self", "self"]])).toEqual(["self"]);
  });

  it("puts the lessons of notebooks/ in teaching order: 00-setup, 00-tokens, 00-ngrams, 01 …", () => {
    const dir = join(__dirname, "..", "..", "..", "notebooks");
    const names = notebooksInOrder(dir).map((f) => f.slice(dir.length + 1).replace(/\.ipynb$/, ""));
    const rest = readdirSync(dir)
      .filter((f) => f.endsWith(".ipynb") && !f.startsWith("00-"))
      .map((f) => f.replace(/\.ipynb$/, ""))
      .sort();
    expect(names).toEqual(["00-setup", "00-tokens", "00-ngrams", ...rest]);
  });

  it("shows no cell tagged metrics", () => {
    const metrics: Cell = {
      cell_type: "code",
      id: "x",
      metadata: { tags: ["metrics"], jupyter: { source_hidden: true } },
      source: "recordMetrics({ a: 1 });",
      outputs: [],
      execution_count: 3,
    };
    expect(isMetricsCell(metrics)).toBe(true);
    expect(
      cellHtml(
        metrics,
        (s) => s,
        (s) => s,
      ),
    ).toBe("");
    const solution: Cell = { ...metrics, metadata: { tags: ["solution"], jupyter: { source_hidden: true } }, source: "checkA(a);" };
    expect(isMetricsCell(solution)).toBe(false);
    expect(
      cellHtml(
        solution,
        (s) => s,
        (s) => s,
      ),
    ).toContain("<summary>Solution (hidden in the notebook)</summary>");
  });
});
