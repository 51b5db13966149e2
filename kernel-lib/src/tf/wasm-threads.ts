/**
 * The multi-threaded build of the tfjs wasm backend, started under Node.js.
 *
 * @tensorflow/tfjs-backend-wasm ships three binaries: plain, SIMD, and SIMD + threads (XNNPACK
 * with a pthread pool). Its loader only offers the threaded one to browsers (tfjs issue #3830),
 * although the Emscripten glue it ships runs its pthreads on Node's worker_threads. This module
 * starts that build itself and registers it under the backend name "wasm", so every kernel the
 * package registers for "wasm" runs on it unchanged. How the build is started under Node (the
 * worker script, the pool size, the idle threads) reaches into Emscripten's internals: that lives
 * in `internals/emscripten.ts`.
 *
 * Matrix products of the size a small GPT uses run faster on 2 threads than on 1
 * (`llm-lessons bench backends` measures by how much).
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { EMSCRIPTEN_PINNED, startThreadedModule } from "../internals/emscripten";

const PKG = EMSCRIPTEN_PINNED.package;
/** Environment variable: number of threads for the wasm backend (1 = the single-threaded SIMD build). */
export const WASM_THREADS_ENV = "LLM_LESSONS_WASM_THREADS";

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

/**
 * Register the threaded build as the "wasm" backend with `threads` threads (2 to 8). Call before
 * `tf.setBackend("wasm")`. Throws if the package's files are not where this version keeps them.
 */
export async function registerThreadedWasm(threads: number, load: (name: string) => unknown = require): Promise<void> {
  // The package itself comes through `load` (tests stand in for it); its build files are found by internals/emscripten.
  const pkg = load(PKG) as WasmPackage;
  const started = await startThreadedModule(threads);
  pkg.setThreadsCount(threads);
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    () => {
      try {
        return new pkg.BackendWasm(started.module);
      } finally {
        started.settle();
      }
    },
    2,
  );
}
