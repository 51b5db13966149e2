/**
 * Native matrix products for the wasm backend, through the optional npm package `nblas` (CBLAS
 * bindings, built at install time against the system BLAS: OpenBLAS on Debian/Ubuntu with
 * `libopenblas-dev`; on macOS `-lblas` names Accelerate's, untested here).
 *
 * WebAssembly SIMD is 128 bits wide and has no fused multiply-add, so XNNPACK's wasm matMul tops
 * out near 20 GFLOP/s per core; a native sgemm uses the CPU's AVX2/FMA (or NEON) units and runs
 * 2–5× faster (`llm-lessons bench backends` measures both). When `nblas` loads, `initTf` routes
 * the wasm backend's float32 matMuls to it (kernels/MatMulBlas.ts); everything else stays in wasm.
 * When it does not (no compiler or BLAS at install time: npm then skips the optional package),
 * nothing changes. `LLM_LESSONS_BLAS=0` turns it off.
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";

/** The environment variable that turns native BLAS off ("0", "off", "false", "no"). */
export const BLAS_ENV = "LLM_LESSONS_BLAS";
const PKG = "nblas";
/** CBLAS's constants for op(A) = A and op(A) = Aᵀ. */
const NO_TRANS = 111;
const TRANS = 112;

interface Nblas {
  sgemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
}

/** Whether native BLAS is in use and, if not, why. */
export interface BlasStatus {
  available: boolean;
  /** "matMul on native BLAS (nblas, 2 threads)", or why there is none. */
  detail: string;
  /** Threads the BLAS library computes on (0 when unavailable). */
  threads: number;
}

let lib: Nblas | null = null;
let calls = 0;
let status: BlasStatus | null = null;

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();
}

/** Whether `value` of LLM_LESSONS_BLAS turns BLAS off; throws naming the variable on nonsense. */
export function blasWanted(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env[BLAS_ENV];
  if (raw == null || raw.trim() === "") return true;
  const v = raw.trim().toLowerCase();
  if (["1", "on", "true", "yes"].includes(v)) return true;
  if (["0", "off", "false", "no"].includes(v)) return false;
  throw new Error(`${BLAS_ENV} must be 1/on/true/yes or 0/off/false/no; got "${raw}"`);
}

/** Threads OpenBLAS starts with: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, else one per core. */
function blasThreads(env: Record<string, string | undefined>): number {
  for (const name of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"]) {
    const n = Number(env[name]);
    if (Number.isInteger(n) && n > 0) return n;
  }
  return os.cpus().length;
}

/**
 * Loads `nblas` once (later calls return the first answer) and checks it with a 2×2 product.
 * `load` and `env` exist so tests can stand in for the real world.
 */
export function loadBlas(options: { load?: (name: string) => unknown; env?: Record<string, string | undefined> } = {}): BlasStatus {
  if (status != null) return status;
  const env = options.env ?? process.env;
  const load = options.load ?? ((name: string) => require(name));
  if (!blasWanted(env)) {
    status = { available: false, detail: `native BLAS off (${BLAS_ENV}=${env[BLAS_ENV]})`, threads: 0 };
    return status;
  }
  let candidate: Nblas;
  try {
    candidate = load(PKG) as Nblas;
  } catch (e) {
    const missing = (e as { code?: string }).code === "MODULE_NOT_FOUND";
    status = {
      available: false,
      detail: missing
        ? `no native BLAS (optional package ${PKG} not installed: it needs a C++ compiler and libopenblas-dev at npm install; see README, section Backends)`
        : `no native BLAS (${PKG} failed to load: ${firstLine(e)})`,
      threads: 0,
    };
    return status;
  }
  try {
    // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]; with B transposed: [17 23; 39 53].
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([5, 6, 7, 8]);
    const c = new Float32Array(4);
    candidate.sgemm(NO_TRANS, TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    if (c.join(",") !== "17,23,39,53") throw new Error(`a 2×2 test product gave [${c.join(", ")}], expected [17, 23, 39, 53]`);
  } catch (e) {
    status = { available: false, detail: `no native BLAS (${PKG} failed its self-test: ${firstLine(e)})`, threads: 0 };
    return status;
  }
  lib = candidate;
  const threads = blasThreads(env);
  status = { available: true, detail: `matMul on native BLAS (${PKG}, ${threads} thread${threads === 1 ? "" : "s"})`, threads };
  return status;
}

/** The loaded status, or null before `loadBlas`. */
export function blasStatus(): BlasStatus | null {
  return status;
}

/** Whether the current backend's matMuls run on native BLAS (wasm backend with BLAS loaded). */
export function blasActive(): boolean {
  return status?.available === true && tf.getBackend() === "wasm";
}

/** How many products `sgemm` has computed in this process (shows that matMuls reach BLAS). */
export function sgemmCalls(): number {
  return calls;
}

/** Forget the loaded library (tests). */
export function resetBlas(): void {
  lib = null;
  status = null;
}

/**
 * C = op(A)·op(B) (+ C when `accumulate`) for row-major float32 matrices: op(A) is m×k, op(B) is
 * k×n, C is m×n. A is stored m×k (k×m when `transA`), B k×n (n×k when `transB`). Throws when BLAS
 * is not loaded.
 */
export function sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false): void {
  if (lib == null) throw new Error("native BLAS is not loaded (call loadBlas first)");
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(`sgemm: buffers of ${a.length}, ${b.length}, ${c.length} floats are too short for ${m}×${k} · ${k}×${n}`);
  }
  calls++;
  lib.sgemm(transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1, a, transA ? m : k, b, transB ? k : n, accumulate ? 1 : 0, c, n);
}
