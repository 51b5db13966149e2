import { describe, expect, it } from "vitest";
import {
  INJECTED_TAG,
  ParamError,
  checkLessonParams,
  findParametersCell,
  injectParameters,
  injectedSource,
  notebookParameterNames,
  parseParamArgs,
  parametersHelp,
  parseParamValue,
} from "../../../tools/src/runner/inject";
import { Notebook, cellTags, sourceText } from "../../../tools/src/runner/nbformat";

function nb(withParams = true): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { id: "a", cell_type: "markdown", metadata: {}, source: "# Title" },
      ...(withParams
        ? [
            {
              id: "p",
              cell_type: "code" as const,
              metadata: { tags: ["parameters"] },
              source: ['let mode = "workshop"; // m\n', "let seed = 1; // s\n", "let dim: number | null = null; // d\n"],
              outputs: [],
              execution_count: null,
            },
          ]
        : []),
      { id: "c", cell_type: "code", metadata: {}, source: "const P = 1;", outputs: [], execution_count: null },
    ],
  };
}

describe("parseParamValue", () => {
  it("parses JSON when possible, else keeps the string", () => {
    expect(parseParamValue("7")).toBe(7);
    expect(parseParamValue("fast")).toBe("fast");
    expect(parseParamValue('"fast"')).toBe("fast");
    expect(parseParamValue("true")).toBe(true);
    expect(parseParamValue("null")).toBeNull();
    expect(parseParamValue("[1,2]")).toEqual([1, 2]);
    expect(parseParamValue("1e-3")).toBe(0.001);
    expect(parseParamValue("")).toBe("");
    expect(parseParamValue("path/to/file.txt")).toBe("path/to/file.txt");
  });
});

describe("parseParamArgs", () => {
  it("splits at the first '=' and keeps '=' in values", () => {
    expect(parseParamArgs(["seed=7", "mode=fast", "expr=a=b"])).toEqual({ seed: 7, mode: "fast", expr: "a=b" });
  });
  it("names a malformed argument", () => {
    expect(() => parseParamArgs(["seed"])).toThrow(/-p expects name=value.*"seed"/);
    expect(() => parseParamArgs(["1x=2"])).toThrow(ParamError);
  });
});

describe("injectParameters", () => {
  it("inserts a tagged cell right after the parameters cell", () => {
    const out = injectParameters(nb(), { seed: 7, mode: "fast" });
    expect(out.cells).toHaveLength(4);
    expect(cellTags(out.cells[2])).toEqual([INJECTED_TAG]);
    const src = sourceText(out.cells[2].source);
    expect(src).toMatch(/^\/\/ Parameters injected by `llm-lessons run`/);
    expect(src).toContain('seed = 7;\nmode = "fast";');
    expect(out.cells[3].id).toBe("c");
    expect(typeof out.cells[2].id).toBe("string");
  });

  it("leaves the notebook alone without parameters", () => {
    const input = nb();
    expect(injectParameters(input, {})).toBe(input);
  });

  it("replaces an earlier injected cell instead of stacking them", () => {
    const once = injectParameters(nb(), { seed: 2 });
    const twice = injectParameters(once, { seed: 3 });
    expect(twice.cells.filter((c) => cellTags(c).includes(INJECTED_TAG))).toHaveLength(1);
    expect(sourceText(twice.cells[2].source)).toContain("seed = 3;");
  });

  it("rejects unknown names and lists the known ones", () => {
    expect(() => injectParameters(nb(), { sed: 1 }, "x.ipynb")).toThrow('unknown parameter "sed" for x.ipynb; known parameters: mode, seed, dim');
  });

  it("says clearly when the notebook has no parameters cell", () => {
    expect(() => injectParameters(nb(false), { seed: 1 }, "y.ipynb")).toThrow(/y.ipynb has no cell tagged "parameters"/);
  });

  it("finds names and the cell", () => {
    expect(findParametersCell(nb())).toBe(1);
    expect(findParametersCell(nb(false))).toBe(-1);
    expect(notebookParameterNames(nb())).toEqual(["mode", "seed", "dim"]);
  });

  it("writes values as JSON so strings, null and arrays survive", () => {
    expect(injectedSource({ a: 'x"y', b: null, c: [1, 2] })).toContain('a = "x\\"y";\nb = null;\nc = [1,2];');
  });
});

describe("checkLessonParams and parametersHelp (a lesson's declaration, before any kernel starts)", () => {
  it("accepts allowed values, null and a mode", () => {
    expect(() => checkLessonParams({ learningRate: 1e-3, nLayer: null, mode: "fast" }, "04-mini-gpt.ipynb")).not.toThrow();
  });

  it("names the notebook, the field, the value and what is allowed", () => {
    expect(() => checkLessonParams({ learningRate: 50 }, "04-mini-gpt.ipynb")).toThrow(ParamError);
    expect(() => checkLessonParams({ learningRate: 50 }, "04-mini-gpt.ipynb")).toThrow(
      "04-mini-gpt.ipynb: parameter learningRate = 50 is not allowed: it must be a number, > 0, ≤ 10 (`llm-lessons params 04-mini-gpt` lists what each parameter allows)",
    );
    expect(() => checkLessonParams({ shape: "tpu" }, "04-mini-gpt.ipynb")).toThrow(/shape = "tpu" is not allowed: it must be one of "cpu", "gpu"/);
    expect(() => checkLessonParams({ nLayer: "4" }, "04-mini-gpt.ipynb")).toThrow(/nLayer = "4" is not allowed: it must be a whole number/);
    expect(() => checkLessonParams({ mode: "quick" }, "07-grokking.ipynb")).toThrow(/mode must be one of "fast", "workshop", "full", got "quick"/);
  });

  it("checks combinations whose fields are all given", () => {
    expect(() => checkLessonParams({ nEmbd: 64, nHead: 3 }, "04-mini-gpt.ipynb")).toThrow(
      /nEmbd = 64, nHead = 3 are not allowed together: nEmbd must be a multiple of nHead/,
    );
    expect(() => checkLessonParams({ nHead: 3 }, "04-mini-gpt.ipynb")).not.toThrow(); // nEmbd is the run's default, decided in the kernel
  });

  it("leaves notebooks that are not lessons to their own cells", () => {
    expect(() => checkLessonParams({ anything: -1 }, "pass.ipynb")).not.toThrow();
  });

  it("injectParameters checks the values after the names (unknown names keep their message)", () => {
    const lesson = {
      ...nb(),
      cells: nb().cells.map((c) => (c.id === "p" ? { ...c, source: 'let mode = "workshop"; // m\nlet p: number | null = null; // p\n' } : c)),
    };
    expect(() => injectParameters(lesson, { q: 1 }, "07-grokking.ipynb")).toThrow('unknown parameter "q" for 07-grokking.ipynb; known parameters: mode, p');
    expect(() => injectParameters(lesson, { p: 1000 }, "07-grokking.ipynb")).toThrow(/p = 1000 is not allowed: it must be a whole number, ≥ 5, ≤ 200/);
    expect(() => injectParameters(lesson, { p: 97 }, "07-grokking.ipynb")).not.toThrow();
  });

  it("prints a lesson's table, or the parameters cell of another notebook", () => {
    const help = parametersHelp(nb(), "07-grokking.ipynb");
    expect(help.split("\n")[0]).toBe("parameters of 07-grokking.ipynb (set with -p name=value):");
    expect(help).toMatch(/\nweightDecay\s+number\s+a number, ≥ 0, ≤ 10\s+fast 0.3, workshop 0.1, full 0.1\s+decoupled weight decay λ of the main run/);
    expect(parametersHelp(nb(), "other.ipynb")).toContain("let dim: number | null = null; // d");
    expect(parametersHelp(nb(false), "other.ipynb")).toMatch(/has no cell tagged "parameters"/);
  });
});
