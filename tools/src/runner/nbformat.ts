/**
 * The parts of nbformat 4.5 the runner reads and writes: notebooks, cells, outputs. Sources are
 * kept as Jupyter stores them (a string or a list of lines).
 */
import { randomBytes } from "crypto";
import { readFileSync } from "fs";

/** A cell's source: one string, or lines that each keep their trailing "\n". */
export type MultilineString = string | string[];

/** One output of a code cell. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** A code, markdown or raw cell. */
export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: Record<string, unknown> & { tags?: string[] };
  source: MultilineString;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
}

/** A whole notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** The source of a cell as one string. */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Split text into nbformat lines (each but the last keeps its "\n"). */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/** The tags of a cell (empty when it has none). */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** A fresh nbformat 4.5 cell id (8 hex characters, as Jupyter makes them). */
export function newCellId(): string {
  return randomBytes(4).toString("hex");
}

/**
 * Read and check a notebook file. Throws an error naming the path when it is missing, not JSON,
 * or not nbformat 4.
 */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read notebook ${path}: ${(e as Error).message}`);
  }
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`notebook ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const n = nb as Partial<Notebook>;
  if (typeof n !== "object" || n === null || n.nbformat !== 4 || !Array.isArray(n.cells)) {
    throw new Error(`notebook ${path} is not an nbformat 4 notebook (nbformat is ${JSON.stringify(n?.nbformat)})`);
  }
  for (const [i, cell] of n.cells.entries()) {
    if (!["code", "markdown", "raw"].includes(cell?.cell_type)) {
      throw new Error(`notebook ${path}: cell ${i + 1} has cell_type ${JSON.stringify(cell?.cell_type)}; expected "code", "markdown" or "raw"`);
    }
    cell.metadata ??= {};
  }
  return n as Notebook;
}

/**
 * A copy of `nb` ready for a fresh run: every code cell gets empty outputs and no execution count,
 * every cell an id (nbformat 4.5 requires them).
 */
export function cleanCopy(nb: Notebook): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  const seen = new Set<string>();
  for (const cell of copy.cells) {
    if (typeof cell.id !== "string" || cell.id === "" || seen.has(cell.id)) cell.id = newCellId();
    seen.add(cell.id);
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  if (copy.nbformat_minor < 5) copy.nbformat_minor = 5;
  return copy;
}

/**
 * Assembles the outputs of one cell from iopub messages the way Jupyter front ends do: consecutive
 * stream text of the same name is merged into one output, `update_display_data` replaces in place
 * every earlier output carrying the same `display_id` (in this cell or `others`, the cells run
 * before), and transient data is not stored in the notebook.
 */
export class OutputCollector {
  readonly outputs: Output[] = [];
  /** display_id → the outputs (possibly in earlier cells) showing it. */
  private readonly displays: Map<string, Output[]>;

  /** `displays` is shared between the collectors of one run so updates reach earlier cells. */
  constructor(displays: Map<string, Output[]> = new Map()) {
    this.displays = displays;
  }

  /** Add the output carried by one iopub message; returns false for message types that are not outputs. */
  add(msgType: string, content: Record<string, unknown>): boolean {
    switch (msgType) {
      case "stream":
        this.addStream(content.name === "stderr" ? "stderr" : "stdout", String(content.text ?? ""));
        return true;
      case "display_data": {
        const out: Output = { output_type: "display_data", data: asRecord(content.data), metadata: asRecord(content.metadata) };
        this.outputs.push(out);
        const id = displayId(content);
        if (id !== undefined) this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
        return true;
      }
      case "update_display_data": {
        const id = displayId(content);
        for (const out of (id !== undefined && this.displays.get(id)) || []) {
          if (out.output_type === "display_data") {
            out.data = asRecord(content.data);
            out.metadata = asRecord(content.metadata);
          }
        }
        return true;
      }
      case "execute_result":
        this.outputs.push({
          output_type: "execute_result",
          execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
          data: asRecord(content.data),
          metadata: asRecord(content.metadata),
        });
        return true;
      case "error":
        this.outputs.push({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return true;
      case "clear_output":
        this.outputs.length = 0;
        return true;
      default:
        return false;
    }
  }

  /** All stream text of `name` collected so far. */
  streamText(name: "stdout" | "stderr"): string {
    return this.outputs
      .filter((o): o is Extract<Output, { output_type: "stream" }> => o.output_type === "stream" && o.name === name)
      .map((o) => sourceText(o.text))
      .join("");
  }

  /** The outputs in nbformat form (stream text split into lines). */
  toNbformat(): Output[] {
    return this.outputs.map((o) => (o.output_type === "stream" ? { ...o, text: toLines(sourceText(o.text)) } : o));
  }

  private addStream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) {
      last.text = sourceText(last.text) + text;
    } else {
      this.outputs.push({ output_type: "stream", name, text });
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = asRecord(content.transient);
  return typeof transient.display_id === "string" ? transient.display_id : undefined;
}
