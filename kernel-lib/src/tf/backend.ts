import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadBlas, resetBlas } from "./blas";
import { restoreLegacyUtil, silenceCpuAdvert, usesGpuDevice } from "../internals/tfjs-node";
import { firstLine, isMissing } from "./load-errors";
import { registerMissingKernels } from "./register";
import { registerThreadedWasm, wasmThreadsWanted } from "./wasm-threads";
import { WEBGPU_INSTALL_HINT, WEBGPU_PKG, WEBGPU_TF_PKG, adapterLabel, gpuDeviceFiles, probeWebgpu, startWebgpu } from "./webgpu";

/** Which tfjs backend to use; "auto" picks the fastest one that works on this machine. */
export type BackendChoice = "tensorflow" | "webgpu" | "wasm" | "cpu" | "auto";

/** The backend `initTf` settled on, why, and whether TensorFlow runs on a GPU. */
export interface TfInfo {
  /** tfjs backend name: "tensorflow" (tfjs-node / tfjs-node-gpu), "webgpu", "wasm" or "cpu". */
  backend: string;
  /** One line saying why this backend (what was tried before it and what went wrong). */
  reason: string;
  /** True for tfjs-node-gpu with a visible CUDA device, and for WebGPU on a hardware adapter. */
  gpu: boolean;
  /** The WebGPU adapter (vendor, architecture, description) when the backend is webgpu. */
  adapter?: string;
  /** What the banner says in parentheses: "SIMD, 1 thread; matMul on native BLAS (…)", "WebGPU", "CPU", … */
  detail?: string;
  /** True when the wasm backend's matMuls run on native BLAS. */
  nativeBlas?: boolean;
}

/** Options of `initTf`. `load`, `env` and `log` exist so tests can stand in for the real world. */
export interface InitTfOptions {
  /** The backend to use; the env var LLM_LESSONS_BACKEND overrides it. Default "auto". */
  backend?: BackendChoice;
  /** No banner. */
  quiet?: boolean;
  /** Loads an npm package by name (default: `require`). */
  load?: (name: string) => unknown;
  /** Environment variables (default: `process.env`). */
  env?: Record<string, string | undefined>;
  /** Where the banner goes (default: `console.log`). */
  log?: (line: string) => void;
  /**
   * GPU device files on this machine, or null where every machine has a GPU driver (default:
   * `gpuDeviceFiles()`, which lists them on Linux). Auto mode probes WebGPU only when this is not an
   * empty list.
   */
  gpuDevices?: () => string[] | null;
}

/** The environment variable that forces a backend. */
export const BACKEND_ENV = "LLM_LESSONS_BACKEND";
/** Every accepted value of `backend` / LLM_LESSONS_BACKEND. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "tensorflow", "webgpu", "wasm", "cpu"];

const GPU_PKG = "@tensorflow/tfjs-node-gpu";
const NODE_PKG = "@tensorflow/tfjs-node";
const WASM_PKG = "@tensorflow/tfjs-backend-wasm";
const INSTALL_HINT =
  `install it with \`npm install ${NODE_PKG}\` (or ${GPU_PKG} with CUDA 11.2 + cuDNN 8.1); ` +
  "it downloads libtensorflow 2.9.1 at install time, so it needs internet; see README, section Backends";

let current: TfInfo | null = null;
let pending: Promise<TfInfo> | null = null;

/** The backend chosen so far, or null before `initTf` has finished. */
export function tfInfo(): TfInfo | null {
  return current;
}

/** Forget the chosen backend so the next `initTf` resolves again (tests use it). */
export function resetTfState(): void {
  current = null;
  pending = null;
  resetBlas();
}

function parseChoice(value: string, source: string): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(v)) return v as BackendChoice;
  throw new Error(`${source} must be one of ${BACKEND_CHOICES.join(", ")}; got "${value}"`);
}

type Attempt = { ok: true; gpu: boolean } | { ok: false; why: string };

/** A tiny computation, so a backend that starts but cannot run ops is caught here. */
function smokeTest(): void {
  const v = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
  if (v !== 11) throw new Error(`a 1×2 by 2×1 matMul gave ${v}, expected 11`);
}

/** Loads tfjs-node(-gpu); it registers the "tensorflow" backend with the @tensorflow/tfjs we use. */
async function tryTensorflow(pkg: string, load: (name: string) => unknown): Promise<Attempt> {
  restoreLegacyUtil();
  try {
    load(pkg);
  } catch (e) {
    if (isMissing(e, pkg)) return { ok: false, why: `${pkg} is not installed` };
    const msg = firstLine(e);
    if (msg.includes("tfjs_binding.node")) {
      return {
        ok: false,
        why:
          `${pkg} is installed but its native addon is missing: its install script did not run ` +
          `(npm 11 skips dependency install scripts not approved in package.json "allowScripts"; ` +
          `approve it, then run \`npm rebuild ${pkg}\`)`,
      };
    }
    return { ok: false, why: `${pkg} is installed but failed to load: ${msg}` };
  }
  if (tf.findBackendFactory("tensorflow") == null) {
    return {
      ok: false,
      why:
        `${pkg} loaded but registered its backend with another copy of @tensorflow/tfjs ` +
        `(this one is ${tf.version_core}; install ${pkg} of the same version so npm shares one copy)`,
    };
  }
  let ok = false;
  try {
    ok = await tf.setBackend("tensorflow");
  } catch (e) {
    return { ok: false, why: `${pkg} loaded but its backend failed to start: ${firstLine(e)}` };
  }
  if (!ok) return { ok: false, why: `${pkg} loaded but its backend failed to start` };
  try {
    smokeTest();
  } catch (e) {
    await tf.setBackend("cpu");
    return { ok: false, why: `${pkg} loaded but cannot run ops: ${firstLine(e)}` };
  }
  const gpu = usesGpuDevice(tf.backend());
  return { ok: true, gpu };
}

interface WasmModule {
  setWasmPaths?: (prefix: string) => void;
  getThreadsCount?: () => number;
}

/** Directory holding the .wasm binaries, so the backend finds them from any working directory. */
function wasmDistDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve(`${WASM_PKG}/package.json`)), "dist") + path.sep;
  } catch {
    return null;
  }
}

async function tryWasm(
  load: (name: string) => unknown,
  env: Record<string, string | undefined>,
): Promise<{ ok: true; detail: string; blas: boolean } | { ok: false; why: string }> {
  let mod: WasmModule;
  try {
    mod = load(WASM_PKG) as WasmModule;
  } catch (e) {
    if (isMissing(e, WASM_PKG)) return { ok: false, why: `${WASM_PKG} is not installed` };
    return { ok: false, why: `${WASM_PKG} failed to load: ${firstLine(e)}` };
  }
  if (tf.findBackendFactory("wasm") == null) {
    return { ok: false, why: `${WASM_PKG} loaded but registered with another copy of @tensorflow/tfjs` };
  }
  const dir = wasmDistDir();
  if (dir != null && mod.setWasmPaths) {
    try {
      mod.setWasmPaths(dir);
    } catch {
      // Already initialised earlier in this process: the paths are settled.
    }
  }
  // matMuls go to native BLAS where a system BLAS library loads through koffi (blas.ts, kernels/MatMulBlas.ts).
  const blas = loadBlas({ env });
  const wanted = wasmThreadsWanted(env, blas.available);
  const plainFactory = tf.findBackendFactory("wasm");
  let threadNote = "";
  if (wanted > 1 && tf.findBackend("wasm") == null) {
    try {
      await registerThreadedWasm(wanted, load);
    } catch (e) {
      threadNote = `; the threaded build did not start (${firstLine(e)})`;
    }
  }
  const threaded = tf.findBackendFactory("wasm") !== plainFactory;
  let ok = false;
  try {
    ok = await tf.setBackend("wasm");
  } catch (e) {
    if (!threaded) return { ok: false, why: `the wasm backend failed to start: ${firstLine(e)}` };
    threadNote = `; the threaded build did not start (${firstLine(e)})`;
  }
  if (!ok && threaded && plainFactory != null) {
    // Fall back to the package's own single-threaded SIMD build.
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", plainFactory, 2);
    threadNote ||= "; the threaded build did not start";
    try {
      ok = await tf.setBackend("wasm");
    } catch (e) {
      return { ok: false, why: `the wasm backend failed to start: ${firstLine(e)}` };
    }
  }
  if (!ok) return { ok: false, why: "the wasm backend failed to start (its .wasm file could not be loaded)" };
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = mod.getThreadsCount ? mod.getThreadsCount() : 1;
  return { ok: true, detail: `${simd ? "SIMD" : "no SIMD"}, ${threads} thread${threads === 1 ? "" : "s"}${threadNote}; ${blas.detail}`, blas: blas.available };
}

/** WebGPU, auto mode: chosen only on a hardware adapter; otherwise says why not (for the banner). */
async function tryWebgpu(load: (name: string) => unknown, gpuDevices: () => string[] | null): Promise<{ info: TfInfo } | { why: string }> {
  // Without a GPU device file there is no hardware adapter: check that the package is there (so
  // the banner can still say how to add it) but do not start Dawn.
  const skip = gpuDevices()?.length === 0;
  const probe = await probeWebgpu(load, { adapter: !skip });
  if (!probe.ok) return { why: probe.missing ? `${WEBGPU_PKG} is not installed, so no GPU path: ${WEBGPU_INSTALL_HINT}` : `no GPU path: ${probe.why}` };
  const adapter = adapterLabel(probe.summary);
  if (probe.summary.software) {
    return {
      why:
        `WebGPU skipped: only a software ${adapter.replace(" — a software adapter", "")}, slower than the CPU backends ` +
        `(use it anyway with ${BACKEND_ENV}=webgpu)`,
    };
  }
  try {
    await startWebgpu(probe, load);
    smokeTest();
  } catch (e) {
    await useCpu();
    return { why: `WebGPU on ${adapter} did not start: ${firstLine(e)}` };
  }
  return { info: { backend: "webgpu", reason: `WebGPU on a hardware ${adapter}`, gpu: true, adapter } };
}

/** WebGPU, forced: any adapter, software ones included (how the tests run it without a GPU). */
async function forceWebgpu(forced: string, load: (name: string) => unknown): Promise<TfInfo> {
  const probe = await probeWebgpu(load);
  const fail = (why: string) =>
    new Error(
      `backend "webgpu" was requested (${forced}) but ${why}. It needs the optional packages ${WEBGPU_PKG} and ` +
        `${WEBGPU_TF_PKG} (\`npm install\`) and a GPU driver with Vulkan, Metal or Direct3D 12 ` +
        "(without a GPU, Mesa's software Vulkan, llvmpipe, also works); see README, section Backends.",
    );
  if (!probe.ok) throw fail(probe.why);
  const adapter = adapterLabel(probe.summary);
  try {
    await startWebgpu(probe, load);
    smokeTest();
  } catch (e) {
    await useCpu();
    throw fail(`on ${adapter} it did not start: ${firstLine(e)}`);
  }
  const note = probe.summary.software ? "; a software adapter: correct but slow, for tests" : "";
  return { backend: "webgpu", reason: `${forced}, ${adapter.replace(" — a software adapter", "")}${note}`, gpu: !probe.summary.software, adapter };
}

async function useCpu(): Promise<void> {
  const ok = await tf.setBackend("cpu");
  if (!ok) throw new Error("the tfjs cpu backend failed to start");
}

async function resolve(
  choice: BackendChoice,
  forcedBy: string | null,
  load: (name: string) => unknown,
  env: Record<string, string | undefined>,
  gpuDevices: () => string[] | null,
): Promise<{ info: TfInfo; detail: string }> {
  const why: string[] = [];
  const forced = forcedBy != null ? `forced by ${forcedBy}` : null;
  if (choice === "webgpu") return { info: await forceWebgpu(forced!, load), detail: "WebGPU" };
  // Asked lazily, once: a WebGPU adapter on real hardware beats everything but CUDA.
  let gpuNote: string | null = null;
  const webgpuOnHardware = async (): Promise<TfInfo | null> => {
    if (choice !== "auto" || gpuNote != null) return null;
    const r = await tryWebgpu(load, gpuDevices);
    if ("info" in r) return r.info;
    gpuNote = r.why;
    return null;
  };
  const withGpuNote = (reason: string) => (gpuNote != null && choice === "auto" ? `${reason}; ${gpuNote}` : reason);
  if (choice === "auto" || choice === "tensorflow") {
    const gpuTry = await tryTensorflow(GPU_PKG, load);
    if (gpuTry.ok && !gpuTry.gpu) {
      const w = await webgpuOnHardware();
      if (w != null) return { info: { ...w, reason: `${w.reason}; ${GPU_PKG} loaded but sees no CUDA GPU` }, detail: "WebGPU" };
    }
    if (gpuTry.ok) {
      const reason = gpuTry.gpu
        ? (forced ?? `${GPU_PKG} loaded and sees a CUDA GPU`)
        : `${GPU_PKG} loaded but sees no GPU (needs CUDA 11.2 + cuDNN 8.1 and a visible device), so TensorFlow runs on the CPU` + (forced ? `; ${forced}` : "");
      return { info: { backend: "tensorflow", reason, gpu: gpuTry.gpu }, detail: gpuTry.gpu ? "GPU, CUDA" : "CPU" };
    }
    if (!gpuTry.ok) {
      const w = await webgpuOnHardware();
      if (w != null) return { info: w, detail: "WebGPU" };
    }
    const nodeTry = await tryTensorflow(NODE_PKG, load);
    if (nodeTry.ok) {
      const reason = forced ?? withGpuNote(`${NODE_PKG} loaded (native TensorFlow on the CPU)`);
      return { info: { backend: "tensorflow", reason, gpu: false }, detail: "CPU" };
    }
    why.push(nodeTry.why);
    if (choice === "tensorflow") {
      throw new Error(
        `backend "tensorflow" was requested (${forced ?? "option backend"}) but cannot load: ` +
          `${gpuTry.why}; ${nodeTry.why}. To use it, ${INSTALL_HINT}. Or choose wasm or cpu.`,
      );
    }
    if (!gpuTry.why.endsWith("is not installed")) why.unshift(gpuTry.why);
  }
  if (choice === "auto" || choice === "wasm") {
    const w = await tryWasm(load, env);
    if (w.ok) {
      const reason =
        forced ??
        withGpuNote(
          why.length > 0
            ? `${why.join("; ")}${why[why.length - 1].endsWith("is not installed") ? ": it downloads libtensorflow at install time" : ""}; see README`
            : "chosen",
        );
      return { info: { backend: "wasm", reason, gpu: false, nativeBlas: w.blas }, detail: w.detail };
    }
    if (choice === "wasm") {
      throw new Error(
        `backend "wasm" was requested (${forced ?? "option backend"}) but ${w.why}. ` +
          `Run \`npm install\` in the project root (it installs ${WASM_PKG}), or choose cpu.`,
      );
    }
    why.push(w.why);
  }
  await useCpu();
  const reason = forced ?? withGpuNote(`${why.join("; ")}; the cpu backend is slow (about 0.5 GFLOP/s), see README`);
  return { info: { backend: "cpu", reason, gpu: false }, detail: "plain JavaScript" };
}

/**
 * Picks and starts the tfjs backend: tfjs-node-gpu (CUDA) → WebGPU on a hardware adapter → tfjs-node →
 * wasm (SIMD) → cpu, or the
 * one forced by the env var LLM_LESSONS_BACKEND or `options.backend`. Prints one banner line
 * naming it and why, registers the kernels and gradients the wasm backend and tfjs lack for
 * training. (A notebook records the backend itself: `recordMetric("backend", info.backend)`.)
 *
 * Idempotent: later calls return the same info silently, unless they ask for another backend.
 */
export async function initTf(options: InitTfOptions = {}): Promise<TfInfo> {
  const env = options.env ?? process.env;
  const fromEnv = env[BACKEND_ENV];
  let choice: BackendChoice = "auto";
  let forcedBy: string | null = null;
  if (fromEnv != null && fromEnv.trim() !== "") {
    choice = parseChoice(fromEnv, BACKEND_ENV);
    if (choice !== "auto") forcedBy = `${BACKEND_ENV}=${choice}`;
  } else if (options.backend != null) {
    choice = parseChoice(options.backend, "initTf option backend");
    if (choice !== "auto") forcedBy = `option backend: "${choice}"`;
  }
  if (pending != null) {
    const info = await pending;
    if (choice === "auto" || choice === info.backend) return info;
  }
  const load = options.load ?? ((name: string) => require(name));
  const log = options.log ?? ((line: string) => console.log(line));
  pending = (async () => {
    const resolved = await resolve(choice, forcedBy, load, env, options.gpuDevices ?? (() => gpuDeviceFiles()));
    const { detail } = resolved;
    const info: TfInfo = { ...resolved.info, detail };
    // After resolving: the wasm package registers its own kernels when it loads.
    registerMissingKernels();
    // The banner above already says which backend runs; silence the cpu backend's own advert.
    silenceCpuAdvert(tf.findBackend("cpu"));
    await tf.ready();
    current = info;
    if (!options.quiet) log(`tfjs backend: ${info.backend} (${detail}) — ${info.reason}`);
    return info;
  })();
  try {
    return await pending;
  } catch (e) {
    pending = null;
    throw e;
  }
}
