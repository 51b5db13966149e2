/**
 * Finding a Jupyter front end to open the lessons in: JupyterLab when installed, else the classic
 * Notebook, as a command on PATH or as a Python module. The lookups are injectable so the "no
 * Jupyter here" path can be tested on any machine.
 */
import { spawnSync } from "child_process";
import { accessSync, constants, statSync } from "fs";
import { delimiter, join } from "path";

/** How to look things up (the default one searches PATH and runs Python). */
export interface Finder {
  /** Absolute path of an executable `name` on PATH, or null. */
  which(name: string): string | null;
  /** True when `python` exists and can `import module`. */
  hasPythonModule(python: string, module: string): boolean;
  /** Python interpreters to try, in order. */
  pythons(): string[];
}

/** A Jupyter front end and how to start it (extra arguments are appended by the caller). */
export interface JupyterCommand {
  kind: "lab" | "notebook";
  /** Human name, e.g. "JupyterLab (/usr/bin/jupyter-lab)". */
  label: string;
  command: string;
  args: string[];
}

/** The message printed when no Jupyter is found. */
export const INSTALL_HELP = [
  "Jupyter is not installed (looked for jupyter-lab, jupyter-notebook and the jupyterlab/notebook Python modules).",
  "Install one of these, then run `npm start` again:",
  "  pip install jupyterlab                     # any Python 3 (add --user without a virtualenv)",
  "  sudo apt-get install jupyter-notebook      # Debian / Ubuntu (classic Notebook)",
  "  conda install -c conda-forge jupyterlab    # Anaconda / Miniconda",
  "VS Code works too: run `npx llm-lessons kernel install --user`, open a notebook and pick the",
  '"TypeScript (llm-lessons)" kernel.',
].join("\n");

/**
 * A Finder over `pathEnv` (default: this process's PATH) that also tries `extraPythons` (Debian
 * installs Jupyter under /usr/bin/python3, which may not be the `python3` first on PATH).
 */
export function pathFinder(pathEnv: string = process.env.PATH ?? "", extraPythons: string[] = ["/usr/bin/python3"]): Finder {
  const dirs = pathEnv.split(delimiter).filter((d) => d !== "");
  const which = (name: string): string | null => {
    for (const dir of dirs) {
      const full = join(dir, name);
      try {
        if (statSync(full).isFile()) {
          accessSync(full, constants.X_OK);
          return full;
        }
      } catch {
        // not here
      }
    }
    return null;
  };
  return {
    which,
    hasPythonModule(python, module) {
      const r = spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore", timeout: 20_000 });
      return r.status === 0;
    },
    pythons() {
      const found = [which("python3"), which("python"), ...extraPythons].filter((p): p is string => p !== null);
      return [...new Set(found)];
    },
  };
}

/**
 * The Jupyter to start: JupyterLab (`jupyter-lab`, then `python -m jupyterlab`) unless `classic`,
 * then the classic Notebook (`jupyter-notebook`, then `python -m notebook`); null when none exists.
 */
export function findJupyter(finder: Finder, options: { classic?: boolean } = {}): JupyterCommand | null {
  const pythons = finder.pythons();
  const tries: { kind: "lab" | "notebook"; exe: string; module: string }[] = [];
  if (!options.classic) tries.push({ kind: "lab", exe: "jupyter-lab", module: "jupyterlab" });
  tries.push({ kind: "notebook", exe: "jupyter-notebook", module: "notebook" });
  for (const t of tries) {
    const exe = finder.which(t.exe);
    const name = t.kind === "lab" ? "JupyterLab" : "Jupyter Notebook";
    if (exe) return { kind: t.kind, label: `${name} (${exe})`, command: exe, args: [] };
    for (const py of pythons) {
      if (finder.hasPythonModule(py, t.module)) {
        return { kind: t.kind, label: `${name} (${py} -m ${t.module})`, command: py, args: ["-m", t.module] };
      }
    }
  }
  return null;
}
