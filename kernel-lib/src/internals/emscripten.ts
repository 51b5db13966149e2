/**
 * Emscripten internals of @tensorflow/tfjs-backend-wasm's threaded build — the only file that
 * reaches them.
 *
 * The package's loader offers its SIMD + threads binary only to browsers, so `tf/wasm-threads.ts`
 * starts that build itself under Node. Doing so relies on parts of the package that are not its
 * public API, all written against {@link EMSCRIPTEN_PINNED} and checked by
 * `test/unit/internals/emscripten.test.ts`:
 *
 * - the build's files under `wasm-out/`: the Emscripten glue (a module factory taking
 *   `locateFile` and `mainScriptUrlOrBlob`), the `.wasm` binary, and the pthread worker script
 *   exported as the string `wasmWorkerContents`;
 * - the glue reports `os.cpus().length` as the logical core count, and the backend uses
 *   min(requested threads, cores / 2) of its pthread pool (it assumes two hyperthreads per core);
 * - the exported C functions the package's own loader wraps with `cwrap` into `module.tfjs`;
 * - `module.PThread.runningWorkers` / `unusedWorkers`, the worker_threads Emscripten keeps a
 *   reference on.
 *
 * When a new package version changes any of these, {@link startThreadedModule} throws an error
 * naming the pinned version (the caller then falls back to the single-threaded build).
 */
import * as fs from "node:fs";
// The module object itself (not an import namespace), so that `cpus` can be swapped while the build starts.
import os = require("node:os");
import * as path from "node:path";

/** The package and version whose internals this file is written against. */
export const EMSCRIPTEN_PINNED = { package: "@tensorflow/tfjs-backend-wasm", version: "4.22.0" } as const;

const PKG = EMSCRIPTEN_PINNED.package;
const BUILD = "tfjs-backend-wasm-threaded-simd";

interface EmscriptenWorker {
  unref(): void;
}

/** The parts of the Emscripten module object this project uses. */
export interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, (...a: number[]) => number>;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

/** The threaded build's files inside the installed package. */
export interface ThreadedBuildFiles {
  /** Emscripten's JavaScript glue: `module.exports` is the module factory. */
  glue: string;
  binary: string;
  /** Exports `wasmWorkerContents`, the pthread worker's source as a string. */
  workerScript: string;
}

/** An error saying which assumption about the pinned package no longer holds. */
export function shapeError(what: string): Error {
  let installed = "unknown";
  try {
    installed = (require(`${PKG}/package.json`) as { version: string }).version;
  } catch {
    // not installed: the message says so through "unknown"
  }
  return new Error(`${what} — kernel-lib/src/internals/emscripten.ts is written against ${PKG} ${EMSCRIPTEN_PINNED.version}, installed ${installed}`);
}

/** Where the installed package keeps its threaded build; throws (naming the pinned version) if a file is missing. */
export function threadedBuildFiles(): ThreadedBuildFiles {
  let glue: string;
  try {
    glue = require.resolve(`${PKG}/wasm-out/${BUILD}.js`);
  } catch {
    throw shapeError(`${PKG}/wasm-out/${BUILD}.js is missing`);
  }
  const dir = path.dirname(glue);
  const files = { glue, binary: path.join(dir, `${BUILD}.wasm`), workerScript: path.join(dir, `${BUILD}.worker.js`) };
  for (const file of [files.binary, files.workerScript]) {
    if (!fs.existsSync(file)) throw shapeError(`${file} is missing`);
  }
  return files;
}

/** The pthread worker's source, as the package would put it in a Blob. */
export function pthreadWorkerSource(files: ThreadedBuildFiles = threadedBuildFiles()): string {
  const { wasmWorkerContents } = require(files.workerScript) as { wasmWorkerContents?: unknown };
  if (typeof wasmWorkerContents !== "string") throw shapeError(`${files.workerScript} no longer exports the string wasmWorkerContents`);
  // The package escapes newlines the same way before making its Blob: the source sits in a
  // template literal, whose "\n" escapes became real newlines inside string literals.
  return wasmWorkerContents.replace(/\n/g, "\\n");
}

/** The module factory exported by the glue. */
export function threadedFactory(files: ThreadedBuildFiles = threadedBuildFiles()): Factory {
  const factory = require(files.glue) as unknown;
  if (typeof factory !== "function") throw shapeError(`${files.glue} no longer exports the module factory`);
  return factory as Factory;
}

/** The C functions the package's own loader wraps into `module.tfjs` (its bridge to the binary). */
export const TFJS_BRIDGE: Record<string, [cName: string, ret: string | null, args: string[]]> = {
  init: ["init", null, []],
  initWithThreadsCount: ["init_with_threads_count", null, ["number"]],
  getThreadsCount: ["get_threads_count", "number", []],
  registerTensor: ["register_tensor", null, ["number", "number", "number"]],
  disposeData: ["dispose_data", null, ["number"]],
  dispose: ["dispose", null, []],
};

/** Throws (naming the pinned version) unless `module` has the parts {@link ThreadedModule} describes. */
export function checkModuleShape(module: unknown): asserts module is ThreadedModule {
  const m = module as Partial<ThreadedModule> | null;
  if (m == null || typeof m.cwrap !== "function") throw shapeError("the Emscripten module has no cwrap");
  const pthread = m.PThread as Partial<ThreadedModule["PThread"]> | undefined;
  if (pthread == null || !Array.isArray(pthread.runningWorkers) || !Array.isArray(pthread.unusedWorkers)) {
    throw shapeError("the Emscripten module has no PThread.runningWorkers / unusedWorkers arrays");
  }
}

/** Wrap the exported C functions into `module.tfjs`, as the package's own loader does. */
export function addTfjsBridge(module: ThreadedModule): void {
  const bridge: Record<string, (...a: number[]) => number> = {};
  for (const [name, [cName, ret, args]] of Object.entries(TFJS_BRIDGE)) bridge[name] = module.cwrap(cName, ret, args);
  module.tfjs = bridge;
}

/** Unreference every pthread worker, so idle pool threads do not keep the process alive. */
export function unrefPthreadWorkers(module: ThreadedModule): void {
  for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref();
}

/** A started threaded module, and what to call once the backend has been constructed on it. */
export interface StartedModule {
  module: ThreadedModule;
  /** Undo the start-up's changes (os.cpus, the temporary worker file) and unreference the pool. */
  settle(): void;
}

/**
 * Start the threaded build's Emscripten module with a pool sized for `threads` threads. Call
 * `settle()` right after the backend has been constructed on `module` (the thread count is read then).
 */
export async function startThreadedModule(threads: number): Promise<StartedModule> {
  const files = threadedBuildFiles();
  const factory = threadedFactory(files);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-lessons-wasm-"));
  const workerFile = path.join(dir, "pthread-worker.cjs");
  // Browsers get the worker as a Blob URL, which Node's Worker cannot open: write it to a file.
  fs.writeFileSync(workerFile, pthreadWorkerSource(files));

  // The backend uses at most half the logical cores: report twice the threads wanted.
  const realCpus = os.cpus;
  const cores = realCpus();
  const wanted = Array.from({ length: 2 * threads }, (_, i) => cores[i % cores.length]);
  os.cpus = () => wanted;
  const undo = () => {
    os.cpus = realCpus;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let started: unknown;
  let module: ThreadedModule;
  try {
    started = await factory({
      locateFile: (file: string, prefix: string) => (file.endsWith(".worker.js") ? workerFile : file.endsWith(".wasm") ? files.binary : prefix + file),
      // The worker loads the glue from its real path instead of a Blob.
      mainScriptUrlOrBlob: files.glue,
    });
    checkModuleShape(started);
    module = started;
    addTfjsBridge(module);
  } catch (e) {
    undo();
    // A module of another shape may still have started its pool: do not let it hold the process.
    const pool = (started as Partial<ThreadedModule> | undefined)?.PThread;
    for (const list of [pool?.runningWorkers, pool?.unusedWorkers]) {
      if (Array.isArray(list)) for (const w of list) w?.unref?.();
    }
    throw e;
  }
  return {
    module,
    settle() {
      undo();
      unrefPthreadWorkers(module);
    },
  };
}
