/**
 * The pack's conventions for exercises and metrics, checked in every notebook's source:
 *
 * - teaching cells record nothing: `recordMetric(` / `recordMetrics(` only in code cells tagged
 *   `metrics`, and each such cell is source-hidden and holds exactly one `recordMetrics({ … })`;
 * - an exercise is armed one way: a checker call (`checkXxx(`) outside a solution or metrics cell
 *   runs only under `if (tryXxx)`, with `let tryXxx = false;` declared in the same cell, and the
 *   next cell is the hidden solution (tagged `solution`, source-hidden) that makes the call the flag arms;
 * - no checker call is commented out (`// checkXxx(…)`), and every `solution` cell is source-hidden.
 */
import { readdirSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { type Cell, cellTags, readNotebook, sourceText } from "../../../tools/src/runner/nbformat";

const dir = join(__dirname, "..", "..", "..", "notebooks");

const all = readdirSync(dir)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.replace(/\.ipynb$/, ""))
  .sort();

const hidden = (cell: Cell): boolean => (cell.metadata.jupyter as { source_hidden?: boolean } | undefined)?.source_hidden === true;
const code = (cell: Cell): string => sourceText(cell.source);

/** Calls of a checker (`checkXxx(`), not declarations (`function checkXxx(`) nor methods (`.checkXxx(`). */
function checkerCalls(src: string): { name: string; at: number }[] {
  return [...src.matchAll(/(?<![\w.$])(?<!function\s+)(check[A-Z]\w*)\s*\(/g)].map((m) => ({ name: m[1], at: m.index ?? 0 }));
}

/** The source ranges guarded by `if (tryXxx)`: its block `{ … }`, or else its one statement up to the end of the line. */
function guardedRanges(src: string): { flag: string; from: number; to: number }[] {
  const out: { flag: string; from: number; to: number }[] = [];
  for (const m of src.matchAll(/\bif\s*\(\s*(try[A-Z]\w*)\s*\)\s*/g)) {
    const from = (m.index ?? 0) + m[0].length;
    let to = src.indexOf("\n", from);
    if (to < 0) to = src.length;
    if (src[from] === "{") {
      let depth = 0;
      for (let i = from; i < src.length; i++) {
        if (src[i] === "{") depth++;
        else if (src[i] === "}" && --depth === 0) {
          to = i;
          break;
        }
      }
    }
    out.push({ flag: m[1], from, to });
  }
  return out;
}

/** Every way a notebook breaks the conventions, one line each. */
function conventionProblems(cells: readonly Cell[]): string[] {
  const problems: string[] = [];
  cells.forEach((cell, i) => {
    const where = `cell ${i + 1}${cell.id ? ` (${cell.id})` : ""}`;
    const tags = cellTags(cell);
    if (tags.includes("solution") && !hidden(cell)) problems.push(`${where}: a solution cell must be source-hidden`);
    if (cell.cell_type !== "code") return;
    const src = code(cell);
    const records = [...src.matchAll(/\brecordMetrics?\(/g)].length;
    if (tags.includes("metrics")) {
      if (!hidden(cell)) problems.push(`${where}: a metrics cell must be source-hidden`);
      if (records !== 1 || !/\brecordMetrics\(\s*\{/.test(src)) problems.push(`${where}: a metrics cell holds exactly one recordMetrics({ … }) call`);
    } else if (records > 0) {
      problems.push(`${where}: recordMetric/recordMetrics outside a cell tagged "metrics"`);
    }
    for (const line of src.split("\n")) {
      if (/\/\/.*\bcheck[A-Z]\w*\s*\(/.test(line)) problems.push(`${where}: a commented-out checker call: ${line.trim()}`);
    }
    if (tags.includes("solution") || tags.includes("metrics")) return;
    const flags = new Set([...src.matchAll(/^let (try[A-Z]\w*) = false;/gm)].map((m) => m[1]));
    const guards = guardedRanges(src);
    for (const call of checkerCalls(src)) {
      const guard = guards.find((g) => g.from <= call.at && call.at <= g.to);
      if (!guard) problems.push(`${where}: ${call.name}(…) is not guarded by an if (tryXxx) flag`);
      else if (!flags.has(guard.flag)) problems.push(`${where}: ${guard.flag} is not declared in this cell as "let ${guard.flag} = false;"`);
    }
    for (const flag of flags) {
      if (!guards.some((g) => g.flag === flag)) problems.push(`${where}: ${flag} is declared but guards no checker call`);
      const next = cells[i + 1];
      if (next?.cell_type !== "code" || !cellTags(next).includes("solution")) {
        problems.push(`${where}: the exercise armed by ${flag} must be followed by its solution cell (tagged "solution")`);
      } else {
        // The solution ends in what the exercise arms: its checker, or the comparison it runs.
        const armed = guards.filter((g) => g.flag === flag).flatMap((g) => [...src.slice(g.from, g.to).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]));
        if (!armed.some((name) => new RegExp(`\\b${name}\\s*\\(`).test(code(next))))
          problems.push(`${where}: the solution after it calls none of ${armed.join(", ") || "the armed calls"}`);
      }
    }
  });
  return problems;
}

describe("notebook conventions: exercises armed by a try flag, metrics in hidden cells", () => {
  it("finds the lessons", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of all) {
    it(`${name} follows them`, () => {
      const problems = conventionProblems(readNotebook(join(dir, `${name}.ipynb`)).cells);
      expect(problems, `notebooks/${name}.ipynb:\n${problems.join("\n")}`).toEqual([]);
    });
  }

  it("names what is wrong", () => {
    const cell = (source: string, tags: string[] = [], hide = false): Cell => ({
      cell_type: "code",
      id: "x",
      metadata: { tags: tags, ...(hide ? { jupyter: { source_hidden: true } } : {}) },
      source: source,
      outputs: [],
      execution_count: null,
    });
    const good = [
      cell("let tryIdf = false;   // set to true when your function is written\nfunction myIdf() {}\nif (tryIdf) checkIdf(myIdf);"),
      cell("checkIdf(idfSolution);", ["solution"], true),
      cell("recordMetrics({ a: 1 });", ["metrics"], true),
      cell("let tryKeep = false;\nif (tryKeep) {\n  checkKeep(f);\n  checkWord(g);\n}"),
      cell("checkKeep(s);", ["solution"], true),
    ];
    expect(conventionProblems(good)).toEqual([]);
    expect(conventionProblems([cell('recordMetric("a", 1);')])).toEqual(['cell 1 (x): recordMetric/recordMetrics outside a cell tagged "metrics"']);
    expect(conventionProblems([cell("recordMetrics({ a: 1 });", ["metrics"])])[0]).toContain("must be source-hidden");
    expect(conventionProblems([cell("checkIdf(x);", ["solution"])])[0]).toContain("a solution cell must be source-hidden");
    expect(conventionProblems([cell("// checkIdf(myIdf);   // remove the //")])[0]).toContain("commented-out checker call");
    expect(conventionProblems([cell("const a: number | null = null;\nif (a !== null) checkA(a);")])[0]).toContain("checkA(…) is not guarded");
    expect(conventionProblems([cell("if (tryA) checkA(a);"), cell("checkA(1);", ["solution"], true)])[0]).toContain(
      'not declared in this cell as "let tryA = false;"',
    );
    expect(conventionProblems([cell("let tryA = false;\nif (tryA) checkA(a);")])[0]).toContain("must be followed by its solution cell");
    expect(conventionProblems([cell("let tryA = false;\nif (tryA) checkA(a);\ncheckB(b);"), cell("checkA(1);", ["solution"], true)])[0]).toContain(
      "checkB(…) is not guarded",
    );
    expect(conventionProblems([cell("function checkA(x: number) {}\nconst checkRng = makeRng(1);\ncheckRng.next();\nlib.checkA(1);")])).toEqual([]);
  });
});
