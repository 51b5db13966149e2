import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { Output, OutputCollector, cleanCopy, readNotebook, toLines } from "../../../tools/src/runner/nbformat";

describe("OutputCollector", () => {
  it("merges consecutive stream text per name, as Jupyter does", () => {
    const c = new OutputCollector();
    c.add("stream", { name: "stdout", text: "a\n" });
    c.add("stream", { name: "stdout", text: "b\n" });
    c.add("stream", { name: "stderr", text: "warn\n" });
    c.add("stream", { name: "stdout", text: "c" });
    c.add("stream", { name: "stdout", text: "d\n" });
    expect(c.toNbformat()).toEqual([
      { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
      { output_type: "stream", name: "stdout", text: ["cd\n"] },
    ]);
    expect(c.streamText("stdout")).toBe("a\nb\ncd\n");
  });

  it("replaces a display in place on update_display_data and drops the transient id", () => {
    const c = new OutputCollector();
    c.add("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } });
    c.add("display_data", { data: { "text/plain": "other" }, metadata: {}, transient: { display_id: "x" } });
    c.add("update_display_data", { data: { "text/plain": "50%" }, metadata: {}, transient: { display_id: "bar" } });
    c.add("update_display_data", { data: { "text/plain": "100%" }, metadata: { a: 1 }, transient: { display_id: "bar" } });
    expect(c.toNbformat()).toEqual([
      { output_type: "display_data", data: { "text/plain": "100%" }, metadata: { a: 1 } },
      { output_type: "display_data", data: { "text/plain": "other" }, metadata: {} },
    ]);
  });

  it("updates a display shown by an earlier cell of the same run", () => {
    const displays = new Map<string, Output[]>();
    const first = new OutputCollector(displays);
    first.add("display_data", { data: { "text/plain": "old" }, metadata: {}, transient: { display_id: "d" } });
    const second = new OutputCollector(displays);
    second.add("update_display_data", { data: { "text/plain": "new" }, metadata: {}, transient: { display_id: "d" } });
    expect(first.toNbformat()).toEqual([{ output_type: "display_data", data: { "text/plain": "new" }, metadata: {} }]);
    expect(second.toNbformat()).toEqual([]);
  });

  it("ignores an update for an unknown display id and non-output messages", () => {
    const c = new OutputCollector();
    expect(c.add("update_display_data", { data: { "text/plain": "x" }, transient: { display_id: "nope" } })).toBe(true);
    expect(c.add("status", { execution_state: "busy" })).toBe(false);
    expect(c.add("execute_input", { code: "1" })).toBe(false);
    expect(c.outputs).toEqual([]);
  });

  it("keeps execute_result and error outputs", () => {
    const c = new OutputCollector();
    c.add("execute_result", { execution_count: 3, data: { "text/plain": "2" }, metadata: {} });
    c.add("error", { ename: "Error", evalue: "boom", traceback: ["Error: boom"] });
    expect(c.toNbformat()).toEqual([
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "2" }, metadata: {} },
      { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
    ]);
  });

  it("clears on clear_output", () => {
    const c = new OutputCollector();
    c.add("stream", { name: "stdout", text: "x" });
    c.add("clear_output", { wait: false });
    expect(c.outputs).toEqual([]);
  });
});

describe("toLines", () => {
  it("keeps each newline with its line", () => {
    expect(toLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(toLines("a\nb")).toEqual(["a\n", "b"]);
    expect(toLines("")).toEqual([]);
  });
});

describe("readNotebook / cleanCopy", () => {
  const dir = mkdtempSync(join(tmpdir(), "nbformat-test-"));

  it("names the path of a missing, broken or wrong-version notebook", () => {
    expect(() => readNotebook(join(dir, "missing.ipynb"))).toThrow(/cannot read notebook .*missing.ipynb/);
    writeFileSync(join(dir, "bad.ipynb"), "{");
    expect(() => readNotebook(join(dir, "bad.ipynb"))).toThrow(/bad.ipynb is not valid JSON/);
    writeFileSync(join(dir, "v3.ipynb"), JSON.stringify({ nbformat: 3, worksheets: [] }));
    expect(() => readNotebook(join(dir, "v3.ipynb"))).toThrow(/v3.ipynb is not an nbformat 4 notebook \(nbformat is 3\)/);
  });

  it("clears outputs and fills missing or duplicate cell ids", () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        {
          cell_type: "code" as const,
          metadata: {},
          source: "1",
          outputs: [{ output_type: "stream" as const, name: "stdout" as const, text: "x" }],
          execution_count: 5,
        },
        { id: "same", cell_type: "markdown" as const, metadata: {}, source: "m" },
        { id: "same", cell_type: "markdown" as const, metadata: {}, source: "n" },
      ],
    };
    const c = cleanCopy(nb);
    expect(c.nbformat_minor).toBe(5);
    expect(c.cells[0].outputs).toEqual([]);
    expect(c.cells[0].execution_count).toBeNull();
    const ids = c.cells.map((x) => x.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe("same");
    expect(nb.cells[0].outputs).toHaveLength(1); // the input is not modified
  });
});
