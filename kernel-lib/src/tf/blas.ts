/**
 * Native matrix products for the wasm backend: `cblas_sgemm` from the system's BLAS, called
 * through the FFI package `koffi` (prebuilt for Linux, macOS and Windows: no compiler needed).
 * The library is found at run time:
 * - Linux: OpenBLAS's runtime library `libopenblas.so.0` (Debian/Ubuntu `libopenblas0`, Fedora
 *   `openblas`), else `libopenblas.so`, else `libblas.so.3` when that one is OpenBLAS (it exports
 *   `openblas_get_config`; Netlib's reference BLAS is not tuned for the CPU and is skipped);
 * - macOS: Accelerate, which every Mac has;
 * - Windows: `libopenblas.dll` (or `openblas.dll`) on PATH;
 * - anywhere: the path in `LLM_LESSONS_BLAS_LIB`, any library exporting `cblas_sgemm`.
 *
 * WebAssembly SIMD is 128 bits wide and has no fused multiply-add, so XNNPACK's wasm matMul tops
 * out near 20 GFLOP/s per core; a native sgemm uses the CPU's AVX2/FMA (or NEON) units and runs
 * 2–5× faster (`llm-lessons bench backends` measures both). When a library loads and passes a
 * 2×2 self-test, `initTf` routes the wasm backend's float32 matMuls to it (kernels/MatMulBlas.ts);
 * everything else stays in wasm. A product with one row or one column (a bias gradient's 1ᵀ·dy)
 * goes to `cblas_sgemv` when the library has it: sgemm pads such a product to its block sizes and
 * takes ≈ 4× as long. When none does, nothing changes and the banner says how to get
 * one. `LLM_LESSONS_BLAS=0` turns it off.
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { firstLine, isMissing } from "./load-errors";

/** The environment variable that turns native BLAS off ("0", "off", "false", "no"). */
export const BLAS_ENV = "LLM_LESSONS_BLAS";
/** The environment variable naming a BLAS library to load instead of searching (a path or a file name). */
export const BLAS_LIB_ENV = "LLM_LESSONS_BLAS_LIB";
const FFI_PKG = "koffi";
/** CBLAS's constants: row-major storage, op(A) = A, op(A) = Aᵀ. */
const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;
const ACCELERATE = "/System/Library/Frameworks/Accelerate.framework/Accelerate";

/** cblas_sgemm as JavaScript calls it. */
type CblasSgemm = (
  order: number,
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
) => void;

/** cblas_sgemv as JavaScript calls it: y = alpha·op(A)·x + beta·y. */
type CblasSgemv = (
  order: number,
  trans: number,
  m: number,
  n: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  x: Float32Array,
  incx: number,
  beta: number,
  y: Float32Array,
  incy: number,
) => void;

/** The part of koffi's API used here (declared locally: koffi is an optional dependency). */
export interface Ffi {
  load(path: string): { func(prototype: string): (...args: unknown[]) => unknown };
}

/** Whether native BLAS is in use and, if not, why. */
export interface BlasStatus {
  available: boolean;
  /** "matMul on native BLAS (OpenBLAS 0.3.21 via libopenblas.so.0, 2 threads)", or why there is none. */
  detail: string;
  /** Threads the BLAS library computes on (0 when unavailable). */
  threads: number;
  /** When unavailable for want of a library: the command or step that gets one on this system. */
  fix?: string;
}

let sgemmFn: CblasSgemm | null = null;
let sgemvFn: CblasSgemv | null = null;
let calls = 0;
let status: BlasStatus | null = null;

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

/** The libraries tried on `platform`, in order (LLM_LESSONS_BLAS_LIB alone when it is set). */
export function blasCandidates(platform: string = process.platform, env: Record<string, string | undefined> = process.env): string[] {
  const explicit = env[BLAS_LIB_ENV]?.trim();
  if (explicit) return [explicit];
  if (platform === "darwin") return [ACCELERATE];
  if (platform === "win32") return ["libopenblas.dll", "openblas.dll"];
  return ["libopenblas.so.0", "libopenblas.so", "libblas.so.3"];
}

/** How to get a BLAS library on `platform` (the banner's and doctor's advice). */
export function blasInstallHint(platform: string = process.platform): string {
  if (platform === "linux") return "sudo apt-get install libopenblas0 (Debian/Ubuntu) or sudo dnf install openblas (Fedora), no compiler needed";
  if (platform === "darwin") return `Accelerate should always load; else brew install openblas and set ${BLAS_LIB_ENV} to its libopenblas.dylib`;
  if (platform === "win32")
    return `get OpenBLAS's Windows build (github.com/OpenMathLib/OpenBLAS/releases, the x64 zip) and put its bin folder (libopenblas.dll) on PATH, or set ${BLAS_LIB_ENV} to the DLL's full path`;
  return `install OpenBLAS and set ${BLAS_LIB_ENV} to its shared library`;
}

/** Opens one library: its cblas_sgemm and, when it is OpenBLAS, its build string and thread count. */
function open(ffi: Ffi, path: string): { sgemm: CblasSgemm; sgemv: CblasSgemv | null; config: string | null; threads: number | null } {
  const lib = ffi.load(path);
  const sgemm = lib.func(
    "void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, _Inout_ float *c, int ldc)",
  ) as unknown as CblasSgemm;
  let sgemv: CblasSgemv | null = null;
  try {
    sgemv = lib.func(
      "void cblas_sgemv(int order, int trans, int m, int n, float alpha, const float *a, int lda, const float *x, int incx, float beta, _Inout_ float *y, int incy)",
    ) as unknown as CblasSgemv;
  } catch {
    // A library with sgemm alone: one-row products stay on sgemm.
  }
  let config: string | null = null;
  let threads: number | null = null;
  try {
    config = String(lib.func("const char *openblas_get_config(void)")());
    threads = Number(lib.func("int openblas_get_num_threads(void)")());
  } catch {
    // Not OpenBLAS (Accelerate, BLIS, MKL, the reference BLAS).
  }
  return { sgemm, sgemv, config, threads };
}

/** "OpenBLAS 0.3.21" from OpenBLAS's build string "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …". */
function libraryName(path: string, config: string | null): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  if (path === ACCELERATE) return "Accelerate";
  if (config == null) return file;
  return `${config.split(/\s+/).slice(0, 2).join(" ")} via ${file}`;
}

/** [1 2; 3 4]·[5 6; 7 8]ᵀ = [17 23; 39 53]: throws when `sgemm` gives anything else. */
function selfTest(sgemm: CblasSgemm): void {
  const a = new Float32Array([1, 2, 3, 4]);
  const b = new Float32Array([5, 6, 7, 8]);
  const c = new Float32Array(4);
  sgemm(ROW_MAJOR, NO_TRANS, TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
  if (c.join(",") !== "17,23,39,53") throw new Error(`a 2×2 test product gave [${c.join(", ")}], expected [17, 23, 39, 53]`);
}

/** [1 2; 3 4]·[5 6]ᵀ = [17 39]: whether `sgemv` computes it (a library whose sgemv does not is used for sgemm alone). */
function gemvWorks(sgemv: CblasSgemv): boolean {
  const y = new Float32Array(2);
  sgemv(ROW_MAJOR, NO_TRANS, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, new Float32Array([5, 6]), 1, 0, y, 1);
  return y[0] === 17 && y[1] === 39;
}

/**
 * Finds a BLAS library once (later calls return the first answer) and checks it with a 2×2
 * product. `ffi`, `platform` and `env` exist so tests can stand in for the real world.
 */
export function loadBlas(options: { ffi?: () => Ffi; platform?: string; env?: Record<string, string | undefined> } = {}): BlasStatus {
  if (status != null) return status;
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  if (!blasWanted(env)) {
    status = { available: false, detail: `native BLAS off (${BLAS_ENV}=${env[BLAS_ENV]})`, threads: 0 };
    return status;
  }
  let ffi: Ffi;
  try {
    ffi = options.ffi ? options.ffi() : (require(FFI_PKG) as Ffi);
  } catch (e) {
    const missing = isMissing(e, FFI_PKG);
    status = {
      available: false,
      detail: missing
        ? `no native BLAS (optional package ${FFI_PKG} not installed: run npm install without --omit=optional; see README, section Backends)`
        : `no native BLAS (${FFI_PKG} failed to load: ${firstLine(e)})`,
      threads: 0,
      fix: "npm install",
    };
    return status;
  }
  const explicit = Boolean(env[BLAS_LIB_ENV]?.trim());
  const tried: string[] = [];
  for (const path of blasCandidates(platform, env)) {
    let lib: ReturnType<typeof open>;
    try {
      lib = open(ffi, path);
    } catch (e) {
      tried.push(explicit ? `${path}: ${firstLine(e)}` : path);
      continue;
    }
    // Only OpenBLAS is trusted under the generic name: libblas.so.3 may be Netlib's untuned reference BLAS.
    if (!explicit && path === "libblas.so.3" && lib.config == null) {
      tried.push(`${path} (not OpenBLAS)`);
      continue;
    }
    try {
      selfTest(lib.sgemm);
    } catch (e) {
      status = { available: false, detail: `no native BLAS (${libraryName(path, lib.config)} failed its self-test: ${firstLine(e)})`, threads: 0 };
      return status;
    }
    sgemmFn = lib.sgemm;
    sgemvFn = lib.sgemv != null && gemvWorks(lib.sgemv) ? lib.sgemv : null;
    const threads = lib.threads != null && lib.threads > 0 ? lib.threads : blasThreads(env);
    status = { available: true, detail: `matMul on native BLAS (${libraryName(path, lib.config)}, ${threads} thread${threads === 1 ? "" : "s"})`, threads };
    return status;
  }
  const what = explicit ? `${BLAS_LIB_ENV}=${tried.join("; ")}` : `no BLAS library found, tried ${tried.join(", ")}`;
  status = {
    available: false,
    detail: `no native BLAS (${what}; to get one: ${blasInstallHint(platform)})`,
    threads: 0,
    fix: blasInstallHint(platform),
  };
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
  sgemmFn = null;
  sgemvFn = null;
  status = null;
}

/**
 * C = op(A)·op(B) (+ C when `accumulate`) for row-major float32 matrices: op(A) is m×k, op(B) is
 * k×n, C is m×n. A is stored m×k (k×m when `transA`), B k×n (n×k when `transB`). Throws when BLAS
 * is not loaded. With m = 1 or n = 1 the product is a matrix times a vector (sgemv, when loaded).
 */
export function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate = false,
): void {
  if (sgemmFn == null) throw new Error("native BLAS is not loaded (call loadBlas first)");
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(`sgemm: buffers of ${a.length}, ${b.length}, ${c.length} floats are too short for ${m}×${k} · ${k}×${n}`);
  }
  calls++;
  if (sgemvFn != null && (m === 1 || n === 1)) {
    // The one-row (or one-column) operand is a contiguous vector whichever way it is stored.
    // C is zeroed first when not accumulated: how sgemv treats a NaN in y under beta = 0 varies.
    if (!accumulate) c.fill(0, 0, m * n);
    if (m === 1) {
      // c = op(B)ᵀ·a: B stored n×k (transB) is used as it is, stored k×n it is transposed.
      if (transB) sgemvFn(ROW_MAJOR, NO_TRANS, n, k, 1, b, k, a, 1, 1, c, 1);
      else sgemvFn(ROW_MAJOR, TRANS, k, n, 1, b, n, a, 1, 1, c, 1);
    } else if (transA) sgemvFn(ROW_MAJOR, TRANS, k, m, 1, a, m, b, 1, 1, c, 1);
    else sgemvFn(ROW_MAJOR, NO_TRANS, m, k, 1, a, k, b, 1, 1, c, 1);
    return;
  }
  sgemmFn(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1, a, transA ? m : k, b, transB ? k : n, accumulate ? 1 : 0, c, n);
}
