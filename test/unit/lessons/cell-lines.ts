/** The lines of a notebook's `parameters` cell, read the way the tests compare them with the lesson's declaration. */
import * as fs from "node:fs";
import * as path from "node:path";

/** One `let name: type = value; // comment` line. */
export interface CellLine {
  name: string;
  /** The type annotation, when there is one (`number | null`). */
  type: string | null;
  /** The value as written (`null`, `1`, `"sotu"`). */
  valueText: string;
  comment: string;
  /** The whole line. */
  line: string;
}

export const NOTEBOOK_DIR = path.resolve(__dirname, "../../../notebooks");

/** Every lesson notebook's name (notebooks/NAME.ipynb). */
export function notebookNames(): string[] {
  return fs
    .readdirSync(NOTEBOOK_DIR)
    .filter((f) => f.endsWith(".ipynb"))
    .map((f) => f.replace(/\.ipynb$/, ""))
    .sort();
}

/** The source of the cell tagged `parameters` of notebooks/NAME.ipynb. */
export function parametersCell(name: string): string {
  const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOK_DIR, `${name}.ipynb`), "utf8")) as {
    cells: { cell_type: string; source: string | string[]; metadata?: { tags?: string[] } }[];
  };
  const cell = nb.cells.find((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("parameters"));
  if (!cell) throw new Error(`${name} has no cell tagged "parameters"`);
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

const LINE = /^let\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=]+?))?\s*=\s*(.+?);\s*(?:\/\/\s?(.*))?$/;

/** The cell's lines; throws naming a line that is not `let name = value; // comment`. */
export function cellLines(source: string): CellLine[] {
  return source
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const m = LINE.exec(line.trim());
      if (!m) throw new Error(`not a "let name = value; // comment" line: ${line}`);
      return { name: m[1], type: m[2]?.trim() ?? null, valueText: m[3].trim(), comment: (m[4] ?? "").trim(), line };
    });
}
