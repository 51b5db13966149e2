/**
 * `llm-lessons params NOTEBOOK` (also `run NOTEBOOK --help-params`): prints what each parameter of
 * a notebook is, may be and defaults to in each mode — from its lesson's declaration, without
 * starting a kernel or loading tfjs. NOTEBOOK is a path or a lesson's name (`04-mini-gpt`).
 */
import { existsSync } from "fs";
import { basename, join } from "path";
import { parametersHelp } from "../runner/inject";
import { projectRoot } from "../runner/kernelspec";
import { readNotebook } from "../runner/nbformat";

/** The notebook file a name or path stands for: the path itself, else notebooks/NAME.ipynb of the project. */
export function notebookPath(notebook: string): string {
  if (existsSync(notebook)) return notebook;
  const named = join(projectRoot(), "notebooks", `${notebook.replace(/\.ipynb$/, "")}.ipynb`);
  return existsSync(named) ? named : notebook;
}

/** Print the parameters' help; returns the exit code (2 when the notebook cannot be read). */
export function paramsCommand(notebook: string): number {
  const path = notebookPath(notebook);
  try {
    process.stdout.write(`${parametersHelp(readNotebook(path), basename(path))}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
}
