/**
 * The project's Jupyter kernelspec: `<project>/.jupyter/kernels/llm-lessons/kernel.json`, which
 * starts tslab with this Node and this project's tslab. Jupyter finds it through `JUPYTER_PATH`
 * (set by `llm-lessons start`); `--user` also copies it into the user's Jupyter data directory so
 * editors such as VS Code list it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { homedir } from "os";
import { dirname, join, resolve } from "path";

/** The kernel's name (the folder under `kernels/`). Notebook metadata refers to it. */
export const KERNEL_NAME = "llm-lessons";
/** The name Jupyter shows in its kernel menus. */
export const KERNEL_DISPLAY_NAME = "TypeScript (llm-lessons)";

/** The content of a kernel.json. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/**
 * The project root: the nearest folder above this file holding `kernel-lib/package.json`
 * (this file lives in tools/src/runner or tools/dist/runner).
 */
export function projectRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "kernel-lib", "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(__dirname, "..", "..", "..");
    dir = parent;
  }
}

/** The project-local Jupyter folder that `JUPYTER_PATH` must include. */
export function projectJupyterDir(root = projectRoot()): string {
  return join(root, ".jupyter");
}

/** Absolute path of tslab's launcher script in the project's node_modules. */
export function tslabBin(root = projectRoot()): string {
  let pkg: string;
  try {
    pkg = require.resolve("tslab/package.json", { paths: [root, join(root, "kernel-lib")] });
  } catch {
    throw new Error(`tslab is not installed under ${root}/node_modules; run "npm install" in ${root}`);
  }
  return join(dirname(pkg), "bin", "tslab");
}

/** The kernelspec this project uses: absolute node + absolute tslab, so no PATH lookup is involved. */
export function makeKernelSpec(root = projectRoot()): KernelSpec {
  return {
    argv: [process.execPath, tslabBin(root), "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/**
 * The user's Jupyter data directory, as jupyter_core computes it: `$JUPYTER_DATA_DIR`, else
 * `~/Library/Jupyter` (macOS), `%APPDATA%\jupyter` (Windows), `$XDG_DATA_HOME/jupyter` or
 * `~/.local/share/jupyter`.
 */
export function userJupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
  const home = env.HOME || homedir();
  if (platform === "darwin") return join(home, "Library", "Jupyter");
  if (platform === "win32") return join(env.APPDATA || join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

/** Write the kernelspec (kernel.json + tslab's logos when it ships any) under `<dataDir>/kernels/llm-lessons`. */
export function writeKernelSpec(dataDir: string, spec: KernelSpec, root = projectRoot()): string {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  let tslabDir: string | null = null;
  try {
    tslabDir = dirname(dirname(tslabBin(root)));
  } catch {
    tslabDir = null;
  }
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    for (const candidate of tslabDir ? [join(tslabDir, logo), join(tslabDir, "python", logo)] : []) {
      if (existsSync(candidate)) {
        copyFileSync(candidate, join(dir, logo));
        break;
      }
    }
  }
  return dir;
}

/** Where `installKernel` wrote the spec. */
export interface InstallResult {
  projectDir: string;
  userDir?: string;
  spec: KernelSpec;
}

/** Install the kernelspec into the project (always) and the user's data directory (`user: true`). */
export function installKernel(options: { user?: boolean; root?: string; env?: NodeJS.ProcessEnv } = {}): InstallResult {
  const root = options.root ?? projectRoot();
  const spec = makeKernelSpec(root);
  const projectDir = writeKernelSpec(projectJupyterDir(root), spec, root);
  const userDir = options.user ? writeKernelSpec(userJupyterDataDir(options.env), spec, root) : undefined;
  return { projectDir, userDir, spec };
}

/**
 * The kernelspec to run: the installed project spec when present, else the one `makeKernelSpec`
 * would write (so `llm-lessons run` works even before `kernel install`).
 */
export function loadKernelSpec(root = projectRoot()): KernelSpec {
  const file = join(projectJupyterDir(root), "kernels", KERNEL_NAME, "kernel.json");
  if (existsSync(file)) {
    const spec = JSON.parse(readFileSync(file, "utf8")) as KernelSpec;
    if (!Array.isArray(spec.argv) || spec.argv.length === 0) throw new Error(`kernelspec ${file} has no argv`);
    if (spec.argv.every((a) => existsSync(a) || !a.startsWith("/"))) return spec;
  }
  return makeKernelSpec(root);
}
