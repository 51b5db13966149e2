/**
 * The multi-threaded build of the tfjs wasm backend, started under Node.js.
 *
 * @tensorflow/tfjs-backend-wasm ships three binaries: plain, SIMD, and SIMD + threads (XNNPACK
 * with a pthread pool). Its loader only offers the threaded one to browsers (tfjs issue #3830),
 * although the Emscripten glue it ships runs its pthreads on Node's worker_threads. This module
 * starts that build itself and registers it under the backend name "wasm", so every kernel the
 * package registers for "wasm" runs on it unchanged. Three details make it work in Node:
 *
 * - the pthread worker script is written to a temporary `.cjs` file (the package hands it to
 *   browsers as a Blob URL, which Node's Worker cannot open), and the worker loads the glue from
 *   its real path instead of a Blob;
 * - the backend sizes its pool as min(requested, logical cores / 2) — it assumes two hyperthreads
 *   per core — so while it starts, `os.cpus()` reports twice the cores this process wants used;
 * - Emscripten keeps a reference on every running worker; the pool's idle threads would keep the
 *   process alive forever, so they are unreferenced (the process exits when its own work ends).
 *
 * Matrix products of the size a small GPT uses run faster on 2 threads than on 1
 * (`llm-lessons bench backends` measures by how much).
 */
import * as fs from "node:fs";
// The module object itself (not an import namespace), so that `cpus` can be swapped while the build starts.
import os = require("node:os");
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";

const PKG = "@tensorflow/tfjs-backend-wasm";
/** Environment variable: number of threads for the wasm backend (1 = the single-threaded SIMD build). */
export const WASM_THREADS_ENV = "LLM_LESSONS_WASM_THREADS";

interface EmscriptenWorker {
  unref(): void;
}
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, (...a: number[]) => number>;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
interface WasmPackage {
  BackendWasm: new (module: unknown) => tf.KernelBackend;
  setThreadsCount(n: number): void;
}

/**
 * Threads the wasm backend should use: LLM_LESSONS_WASM_THREADS, else the core count (at most 4),
 * or 1 when `nativeMatMul` (matMuls run on native BLAS, which has its own threads: a second idle
 * pool spinning beside them makes training slower on 2 cores).
 */
export function wasmThreadsWanted(env: Record<string, string | undefined> = process.env, nativeMatMul = false): number {
  const raw = env[WASM_THREADS_ENV];
  if (raw != null && raw.trim() !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 8) {
      throw new RangeError(`${WASM_THREADS_ENV} must be an integer from 1 to 8 (the build's pthread pool), got "${raw}"`);
    }
    return n;
  }
  return nativeMatMul ? 1 : Math.max(1, Math.min(4, os.cpus().length));
}

/** Threads of the running wasm backend (1 for the single-threaded build or before it starts). */
export function wasmThreadCount(): number {
  try {
    const pkg = require(PKG) as { getThreadsCount?: () => number };
    return pkg.getThreadsCount ? pkg.getThreadsCount() : 1;
  } catch {
    return 1;
  }
}

function unrefAll(module: ThreadedModule): void {
  for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref();
}

/**
 * Register the threaded build as the "wasm" backend with `threads` threads (2 to 8). Call before
 * `tf.setBackend("wasm")`. Throws if the package's files are not where this version keeps them.
 */
export async function registerThreadedWasm(threads: number, load: (name: string) => unknown = require): Promise<void> {
  const glue = require.resolve(`${PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.js`);
  const outDir = path.dirname(glue);
  const binary = path.join(outDir, "tfjs-backend-wasm-threaded-simd.wasm");
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing`);
  // The package itself comes through `load` (tests stand in for it); its build files are plain requires.
  const pkg = load(PKG) as WasmPackage;
  const factory = require(glue) as Factory;
  const { wasmWorkerContents } = require(path.join(outDir, "tfjs-backend-wasm-threaded-simd.worker.js")) as { wasmWorkerContents: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-lessons-wasm-"));
  const workerFile = path.join(dir, "pthread-worker.cjs");
  // The package escapes newlines the same way before making its Blob: the source sits in a
  // template literal, whose "\n" escapes became real newlines inside string literals.
  fs.writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, "\\n"));

  const realCpus = os.cpus;
  const cores = realCpus();
  const wanted = Array.from({ length: 2 * threads }, (_, i) => cores[i % cores.length]);
  os.cpus = () => wanted;
  let module: ThreadedModule;
  try {
    module = await factory({
      locateFile: (file: string, prefix: string) =>
        file.endsWith(".worker.js") ? workerFile : file.endsWith(".wasm") ? binary : prefix + file,
      mainScriptUrlOrBlob: glue,
    });
  } catch (e) {
    os.cpus = realCpus;
    throw e;
  }
  // The bridge the package's own loader adds to the module.
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  pkg.setThreadsCount(threads);
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    () => {
      try {
        return new pkg.BackendWasm(module);
      } finally {
        os.cpus = realCpus;
        unrefAll(module);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    2,
  );
}
