/**
 * Shared set-up of the real-browser tests: a private Jupyter kernelspec for our tslab kernel, a
 * temporary notebook folder with 00-setup forced into fast mode, and headless Chromium.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The project root, found from this file (test/e2e/ → ../..). */
export const ROOT = path.resolve(__dirname, "../..");
export const PYTHON = "/usr/bin/python3";
export const CHROMIUM = process.env.LLM_LESSONS_CHROMIUM ?? "/usr/bin/chromium";
/** The switches kernel-lib starts Chromium with (a quiet, offline headless browser). */
export { CHROMIUM_ARGS } from "../../kernel-lib/src/charts/export";

/** Why a browser test cannot run here (null when it can). */
export function missingTool(needs: { nbconvert?: boolean; notebook?: boolean }): string | null {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found (apt-get install python3)`;
  const mods = [needs.nbconvert ? "nbconvert" : "", needs.notebook ? "notebook" : ""].filter(Boolean);
  for (const m of mods) {
    const r = spawnSync(PYTHON, ["-c", `import ${m}`], { encoding: "utf8" });
    if (r.status !== 0) return `Python module ${m} missing (apt-get install ${m === "notebook" ? "jupyter-notebook" : "python3-nbconvert"})`;
  }
  if (!fs.existsSync(path.join(ROOT, "kernel-lib/dist/index.js"))) return "kernel-lib is not built (npm run build)";
  return null;
}

/** A temporary workspace: JUPYTER_PATH with our kernelspec, and a notebook folder. */
export interface Workspace {
  dir: string;
  jupyterPath: string;
  notebooks: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** Make a workspace whose notebook folder holds `name` with `mode = "fast"` injected. */
export function makeWorkspace(name = "00-setup.ipynb"): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-lessons-browser-"));
  const jupyterPath = path.join(dir, "jupyter");
  const kdir = path.join(jupyterPath, "kernels", "llm-lessons");
  fs.mkdirSync(kdir, { recursive: true });
  fs.writeFileSync(
    path.join(kdir, "kernel.json"),
    JSON.stringify({
      argv: [process.execPath, path.join(ROOT, "node_modules/tslab/bin/tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript (llm-lessons)",
      language: "typescript",
    }),
  );
  const notebooks = path.join(dir, "notebooks");
  fs.mkdirSync(notebooks);
  // The kernel resolves "kernel-lib" by walking up from the notebook's folder.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(notebooks, "node_modules"));
  fs.writeFileSync(path.join(notebooks, name), JSON.stringify(fastNotebook(path.join(ROOT, "notebooks", name)), null, 1));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: path.join(dir, "config"),
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    IPYTHONDIR: path.join(dir, "ipython"),
  };
  return { dir, jupyterPath, notebooks, env, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The notebook with a cell `mode = "fast";` tagged injected-parameters right after `parameters`. */
export function fastNotebook(file: string): { cells: { cell_type: string; id?: string; metadata: { tags?: string[] }; source: string | string[] }[] } {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const at = nb.cells.findIndex((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes("parameters"));
  if (at < 0) throw new Error(`${file} has no cell tagged "parameters"`);
  nb.cells.splice(at + 1, 0, {
    cell_type: "code",
    id: "injected-parameters",
    metadata: { tags: ["injected-parameters"] },
    execution_count: null,
    outputs: [],
    source: ['mode = "fast";'],
  });
  return nb;
}
