/**
 * Command-line parameters (`-p name=value`) and their injection into a notebook, following
 * papermill's convention: a new code cell tagged `injected-parameters` right after the cell tagged
 * `parameters`, so the executed notebook shows exactly what ran.
 */
import { lessonParams } from "kernel-lib/lessons/params";
import { parameterNames } from "kernel-lib/runtime";
import { Cell, Notebook, cellTags, newCellId, sourceText, toLines } from "./nbformat";

/** The tag that marks a notebook's parameters cell. */
export const PARAMETERS_TAG = "parameters";
/** The tag of the cell the runner inserts. */
export const INJECTED_TAG = "injected-parameters";

/**
 * A `-p` value: JSON when it parses (`7` → 7, `true`, `null`, `"fast"` → "fast", `[1,2]`),
 * otherwise the raw string (`fast` → "fast").
 */
export function parseParamValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Parse `name=value` strings into an object; throws naming the bad argument. */
export function parseParamArgs(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const name = eq < 0 ? "" : arg.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new ParamError(`-p expects name=value with a valid identifier as name, got ${JSON.stringify(arg)}`);
    }
    out[name] = parseParamValue(arg.slice(eq + 1));
  }
  return out;
}

/** A problem with the parameters given to a run (reported before any kernel starts). */
export class ParamError extends Error {
  override name = "ParamError";
}

/** The index of the cell tagged `parameters`, or -1 when there is none. */
export function findParametersCell(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG));
}

/** The names the notebook's parameters cell declares (empty when it has none). */
export function notebookParameterNames(nb: Notebook): string[] {
  const i = findParametersCell(nb);
  return i < 0 ? [] : parameterNames(sourceText(nb.cells[i].source));
}

/**
 * The source of the injected cell: a comment header, then one `name = <JSON>;` line per parameter.
 * Assignments (not `let`) because the parameters cell already declared the names.
 */
export function injectedSource(params: Record<string, unknown>): string {
  const lines = ["// Parameters injected by `llm-lessons run`; they override the cell above."];
  for (const [name, value] of Object.entries(params)) {
    const json = JSON.stringify(value);
    if (json === undefined) throw new ParamError(`parameter ${name} has a value that cannot be written as JSON`);
    lines.push(`${name} = ${json};`);
  }
  return lines.join("\n");
}

/**
 * Check `params` against the notebook's parameters cell and its lesson's declaration, and return a
 * copy of `nb` with the injected cell after it (or `nb` itself when `params` is empty). Throws
 * ParamError when the notebook has no parameters cell, a name is unknown (the message lists the
 * known names) or a value is not allowed (see checkLessonParams).
 */
export function injectParameters(nb: Notebook, params: Record<string, unknown>, notebookName = "the notebook"): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const at = findParametersCell(nb);
  if (at < 0) {
    throw new ParamError(
      `${notebookName} has no cell tagged "${PARAMETERS_TAG}", so -p ${names.join(", ")} cannot be applied ` +
        `(tag the cell that declares the parameters with "${PARAMETERS_TAG}")`,
    );
  }
  const known = parameterNames(sourceText(nb.cells[at].source));
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new ParamError(
      `unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")} for ${notebookName}; ` +
        `known parameters: ${known.join(", ") || "(none)"}`,
    );
  }
  checkLessonParams(params, notebookName);
  const cell: Cell = {
    id: newCellId(),
    cell_type: "code",
    metadata: { tags: [INJECTED_TAG] },
    source: toLines(injectedSource(params)),
    outputs: [],
    execution_count: null,
  };
  const cells = nb.cells.filter((c) => !cellTags(c).includes(INJECTED_TAG));
  const idx = cells.indexOf(nb.cells[at]);
  return { ...nb, cells: [...cells.slice(0, idx + 1), cell, ...cells.slice(idx + 1)] };
}

/**
 * Check values given for a lesson notebook against its declaration (kernel-lib/lessons/params,
 * which loads no tfjs): every value, and every cross-field condition whose fields are all given.
 * Throws ParamError naming the notebook, the field, the value and what is allowed. A notebook
 * without a declaration (not one of the lessons) is left to its own cells.
 */
export function checkLessonParams(params: Record<string, unknown>, notebookName: string): void {
  const decl = lessonParams(notebookName);
  if (!decl) return;
  try {
    decl.validateGiven(params);
  } catch (e) {
    const name = notebookName.replace(/\.ipynb$/, "");
    throw new ParamError(`${notebookName}: ${(e as Error).message} (\`llm-lessons params ${name}\` lists what each parameter allows)`);
  }
}

/**
 * The help of a notebook's parameters: its lesson's declaration as a table (name, type, what is
 * allowed, default per mode, help), or — for a notebook that is not a lesson — the lines of its
 * parameters cell.
 */
export function parametersHelp(nb: Notebook, notebookName: string): string {
  const decl = lessonParams(notebookName);
  const title = `parameters of ${notebookName} (set with -p name=value):`;
  if (decl) return decl.help(title);
  const at = findParametersCell(nb);
  if (at < 0) return `${notebookName} has no cell tagged "${PARAMETERS_TAG}": it takes no parameters.`;
  return `${title}\n\n${sourceText(nb.cells[at].source).trim()}`;
}
