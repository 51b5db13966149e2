/**
 * Native BLAS for the wasm backend's matMuls (kernel-lib/src/tf/blas.ts, kernels/MatMulBlas.ts):
 * finding a library through the FFI (koffi) and its error messages, with a stand-in FFI; the banner
 * with a library that is absent; then every product shape the wrapped kernels take (transposes,
 * batches, broadcast batches, fused bias and ReLU) against the cpu backend and against the wasm
 * backend's own matMul, and the shapes they hand back to that kernel. The product tests need a
 * system BLAS (libopenblas0 on Debian/Ubuntu, Accelerate on macOS); CI installs it and sets
 * LLM_LESSONS_EXPECT_BLAS=1, so there they cannot be skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initTf, resetTfState } from "../../../kernel-lib/src/tf/backend";
import {
  BLAS_LIB_ENV,
  blasActive,
  blasCandidates,
  blasStatus,
  blasWanted,
  type Ffi,
  loadBlas,
  resetBlas,
  sgemm,
  sgemmCalls,
} from "../../../kernel-lib/src/tf/blas";
import { makeRng } from "../../../kernel-lib/src/util/random";

/** Whether this machine has a BLAS the real FFI loads (LLM_LESSONS_BLAS_LIB honoured, LLM_LESSONS_BLAS not). */
function systemBlas(): boolean {
  resetBlas();
  const ok = loadBlas({ env: { [BLAS_LIB_ENV]: process.env[BLAS_LIB_ENV] } }).available;
  resetBlas();
  return ok;
}
const HAVE_BLAS = systemBlas();

type Sgemm = (
  o: number,
  ta: number,
  tb: number,
  m: number,
  n: number,
  k: number,
  al: number,
  a: Float32Array,
  la: number,
  b: Float32Array,
  lb: number,
  be: number,
  c: Float32Array,
  lc: number,
) => void;
/** A correct row-major sgemm in JavaScript, as a stand-in library's cblas_sgemm. */
const jsSgemm: Sgemm = (_o, ta, tb, m, n, k, al, a, la, b, lb, be, c, lc) => {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (ta === 112 ? a[p * la + i] : a[i * la + p]) * (tb === 112 ? b[j * lb + p] : b[p * lb + j]);
      c[i * lc + j] = al * sum + be * c[i * lc + j];
    }
};

/** A stand-in FFI: `libraries` maps the names it can load to their exported functions. */
function fakeFfi(libraries: Record<string, Record<string, (...args: never[]) => unknown>>, opened: string[] = []): () => Ffi {
  return () => ({
    load(path: string) {
      opened.push(path);
      const lib = libraries[path];
      if (lib == null) throw new Error(`Failed to load shared library: ${path}: cannot open shared object file: No such file or directory`);
      return {
        func(prototype: string) {
          const name = /(\w+)\(/.exec(prototype)![1];
          const f = lib[name];
          if (f == null) throw new Error(`Cannot find function '${name}' in shared library`);
          return f as (...args: unknown[]) => unknown;
        },
      };
    },
  });
}
const OPENBLAS = {
  cblas_sgemm: jsSgemm,
  openblas_get_config: () => "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64",
  openblas_get_num_threads: () => 3,
};

describe("loadBlas", () => {
  afterAll(() => resetBlas());

  it("reads LLM_LESSONS_BLAS and names it when the value is not a yes or a no", () => {
    expect(blasWanted({})).toBe(true);
    expect(blasWanted({ LLM_LESSONS_BLAS: "off" })).toBe(false);
    expect(blasWanted({ LLM_LESSONS_BLAS: " 1 " })).toBe(true);
    expect(() => blasWanted({ LLM_LESSONS_BLAS: "fast" })).toThrow(/LLM_LESSONS_BLAS must be .* got "fast"/);
  });

  it("is off when LLM_LESSONS_BLAS=0, and says so", () => {
    resetBlas();
    const s = loadBlas({ env: { LLM_LESSONS_BLAS: "0" }, ffi: fakeFfi({ "libopenblas.so.0": OPENBLAS }) });
    expect(s).toEqual({ available: false, detail: "native BLAS off (LLM_LESSONS_BLAS=0)", threads: 0 });
  });

  it("looks for OpenBLAS on Linux, Accelerate on macOS, an OpenBLAS DLL on Windows, or only LLM_LESSONS_BLAS_LIB", () => {
    expect(blasCandidates("linux", {})).toEqual(["libopenblas.so.0", "libopenblas.so", "libblas.so.3"]);
    expect(blasCandidates("darwin", {})).toEqual(["/System/Library/Frameworks/Accelerate.framework/Accelerate"]);
    expect(blasCandidates("win32", {})).toEqual(["libopenblas.dll", "openblas.dll"]);
    expect(blasCandidates("win32", { [BLAS_LIB_ENV]: " C:\\OpenBLAS\\bin\\libopenblas.dll " })).toEqual(["C:\\OpenBLAS\\bin\\libopenblas.dll"]);
  });

  it("loads the first library that opens, names it and asks OpenBLAS for its threads", () => {
    resetBlas();
    const opened: string[] = [];
    const s = loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libopenblas.so": OPENBLAS }, opened) });
    expect(opened).toEqual(["libopenblas.so.0", "libopenblas.so"]);
    expect(s).toEqual({ available: true, detail: "matMul on native BLAS (OpenBLAS 0.3.21 via libopenblas.so, 3 threads)", threads: 3 });
    const c = new Float32Array(4);
    sgemm(false, false, 2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c);
    expect([...c]).toEqual([19, 22, 43, 50]);
    resetBlas();
    const mac = loadBlas({
      env: { OMP_NUM_THREADS: "2" },
      platform: "darwin",
      ffi: fakeFfi({ "/System/Library/Frameworks/Accelerate.framework/Accelerate": { cblas_sgemm: jsSgemm } }),
    });
    expect(mac).toEqual({ available: true, detail: "matMul on native BLAS (Accelerate, 2 threads)", threads: 2 });
  });

  it("uses libblas.so.3 only when it is OpenBLAS (Netlib's reference BLAS is not tuned)", () => {
    resetBlas();
    const reference = loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libblas.so.3": { cblas_sgemm: jsSgemm } }) });
    expect(reference.available).toBe(false);
    expect(reference.detail).toContain("tried libopenblas.so.0, libopenblas.so, libblas.so.3 (not OpenBLAS)");
    resetBlas();
    expect(loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libblas.so.3": OPENBLAS }) }).detail).toBe(
      "matMul on native BLAS (OpenBLAS 0.3.21 via libblas.so.3, 3 threads)",
    );
  });

  it("says how to get a library on each system when none loads", () => {
    const none = fakeFfi({});
    resetBlas();
    const linux = loadBlas({ env: {}, platform: "linux", ffi: none });
    expect(linux).toMatchObject({ available: false, threads: 0 });
    expect(linux.detail).toMatch(
      /^no native BLAS \(no BLAS library found, tried libopenblas\.so\.0, libopenblas\.so, libblas\.so\.3; to get one: sudo apt-get install libopenblas0 .*no compiler needed\)$/,
    );
    expect(linux.fix).toMatch(/^sudo apt-get install libopenblas0/);
    resetBlas();
    expect(loadBlas({ env: {}, platform: "win32", ffi: none }).detail).toMatch(
      /tried libopenblas\.dll, openblas\.dll; to get one: .*OpenBLAS.*PATH.*LLM_LESSONS_BLAS_LIB/,
    );
    resetBlas();
    expect(loadBlas({ env: {}, platform: "darwin", ffi: none }).detail).toMatch(/Accelerate; to get one: .*brew install openblas/);
    resetBlas();
    const explicit = loadBlas({ env: { [BLAS_LIB_ENV]: "/opt/blas/libmine.so" }, platform: "linux", ffi: none });
    expect(explicit.detail).toMatch(
      /^no native BLAS \(LLM_LESSONS_BLAS_LIB=\/opt\/blas\/libmine\.so: Failed to load shared library: .*cannot open shared object file/,
    );
  });

  it("explains a missing FFI package and a library that fails its self-test", () => {
    resetBlas();
    const missing = loadBlas({
      env: {},
      ffi: () => {
        throw Object.assign(new Error("Cannot find module 'koffi'"), { code: "MODULE_NOT_FOUND" });
      },
    });
    expect(missing).toMatchObject({ available: false, fix: "npm install" });
    expect(missing.detail).toMatch(/^no native BLAS \(optional package koffi not installed: /);
    resetBlas();
    const wrong = loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libopenblas.so.0": { ...OPENBLAS, cblas_sgemm: () => undefined } }) });
    expect(wrong.available).toBe(false);
    expect(wrong.detail).toMatch(/^no native BLAS \(OpenBLAS 0\.3\.21 via libopenblas\.so\.0 failed its self-test: a 2×2 test product gave \[0, 0, 0, 0\]/);
    expect(() => sgemm(false, false, 1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1))).toThrow(/not loaded/);
  });

  it("sends one-row and one-column products to sgemv when the library has a working one, else to sgemm", () => {
    type Sgemv = (
      o: number,
      t: number,
      m: number,
      n: number,
      al: number,
      a: Float32Array,
      la: number,
      x: Float32Array,
      ix: number,
      be: number,
      y: Float32Array,
      iy: number,
    ) => void;
    /** A correct row-major sgemv in JavaScript. */
    const jsSgemv: Sgemv = (_o, t, m, n, al, a, la, x, _ix, be, y) => {
      const rows = t === 112 ? n : m;
      const cols = t === 112 ? m : n;
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += (t === 112 ? a[j * la + i] : a[i * la + j]) * x[j];
        y[i] = al * sum + be * y[i];
      }
    };
    const used: string[] = [];
    const lib = (gemv: Sgemv) => ({
      ...OPENBLAS,
      cblas_sgemm: ((...args: Parameters<Sgemm>) => {
        used.push("gemm");
        jsSgemm(...args);
      }) as Sgemm,
      cblas_sgemv: ((...args: Parameters<Sgemv>) => {
        used.push("gemv");
        gemv(...args);
      }) as Sgemv,
    });
    resetBlas();
    loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libopenblas.so.0": lib(jsSgemv) }) });
    used.length = 0;
    // [1 2]·[5 6 7; 8 9 10] and the same with B stored transposed, into a C holding NaN (not accumulated).
    const row = new Float32Array([Number.NaN, Number.NaN, Number.NaN]);
    sgemm(false, false, 1, 3, 2, new Float32Array([1, 2]), new Float32Array([5, 6, 7, 8, 9, 10]), row);
    expect([...row]).toEqual([21, 24, 27]);
    sgemm(false, true, 1, 3, 2, new Float32Array([1, 2]), new Float32Array([5, 8, 6, 9, 7, 10]), row);
    expect([...row]).toEqual([21, 24, 27]);
    // [1 2; 3 4; 5 6]·[1 1]ᵀ, then A stored transposed, then accumulated onto C.
    const col = new Float32Array(3);
    sgemm(false, false, 3, 1, 2, new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 1]), col);
    expect([...col]).toEqual([3, 7, 11]);
    sgemm(true, false, 3, 1, 2, new Float32Array([1, 3, 5, 2, 4, 6]), new Float32Array([1, 1]), col, true);
    expect([...col]).toEqual([6, 14, 22]);
    expect(used).toEqual(["gemv", "gemv", "gemv", "gemv"]);
    // A library whose sgemv fails the check keeps every product on sgemm.
    resetBlas();
    loadBlas({ env: {}, platform: "linux", ffi: fakeFfi({ "libopenblas.so.0": lib(() => undefined) }) });
    used.length = 0;
    sgemm(false, false, 1, 3, 2, new Float32Array([1, 2]), new Float32Array([5, 6, 7, 8, 9, 10]), row);
    expect([...row]).toEqual([21, 24, 27]);
    expect(used).toEqual(["gemm"]);
  });

  it("counts the threads OpenBLAS will use when the library does not say", () => {
    resetBlas();
    const quiet = { cblas_sgemm: jsSgemm, openblas_get_config: () => "OpenBLAS 0.3.26", openblas_get_num_threads: () => 0 };
    expect(loadBlas({ env: { OPENBLAS_NUM_THREADS: "3" }, platform: "linux", ffi: fakeFfi({ "libopenblas.so.0": quiet }) })).toMatchObject({
      available: true,
      threads: 3,
    });
  });

  it("is active where CI expects it (LLM_LESSONS_EXPECT_BLAS=1), with the real FFI and library", () => {
    if (process.env.LLM_LESSONS_EXPECT_BLAS === "1") expect(HAVE_BLAS).toBe(true);
    resetBlas();
    if (HAVE_BLAS) expect(loadBlas({ env: { [BLAS_LIB_ENV]: process.env[BLAS_LIB_ENV] } })).toMatchObject({ available: true });
    resetBlas();
  });
});

describe("without a BLAS library (wasm backend)", () => {
  afterAll(() => resetTfState());

  it("prints the fallback banner with how to get one, and multiplies on wasm's own matMul", async () => {
    resetTfState();
    const lines: string[] = [];
    await initTf({ backend: "wasm", env: { [BLAS_LIB_ENV]: "/nonexistent/libopenblas.so.0" }, log: (line) => lines.push(line) });
    expect(blasActive()).toBe(false);
    expect(lines[0]).toMatch(
      /^tfjs backend: wasm \(SIMD, \d+ threads?; no native BLAS \(LLM_LESSONS_BLAS_LIB=\/nonexistent\/libopenblas\.so\.0: .*; to get one: /,
    );
    const before = sgemmCalls();
    const c = tf.tidy(() =>
      tf
        .matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]))
        .dataSync()
        .slice(),
    );
    expect([...c]).toEqual([19, 22, 43, 50]);
    expect(sgemmCalls()).toBe(before);
  });
});

describe.runIf(HAVE_BLAS || process.env.LLM_LESSONS_EXPECT_BLAS === "1")("matMul on native BLAS (wasm backend)", () => {
  const rng = makeRng(2024);
  const rand = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      Float32Array.from({ length: size }, () => rng.normal()),
      shape,
    );
  };

  beforeAll(async () => {
    resetTfState();
    const lines: string[] = [];
    await initTf({ backend: "wasm", env: { [BLAS_LIB_ENV]: process.env[BLAS_LIB_ENV] }, log: (line) => lines.push(line) });
    expect(blasActive()).toBe(true);
    expect(blasStatus()?.detail).toMatch(/^matMul on native BLAS \((OpenBLAS [\d.]+ via \S+|Accelerate|\S+), \d+ threads?\)$/);
    expect(lines[0]).toContain(`; ${blasStatus()!.detail})`);
  });
  afterAll(() => {
    resetTfState();
  });

  /** Runs `f` on wasm (BLAS) and on cpu with the same input values; returns both outputs. */
  async function both(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): Promise<[Float32Array, Float32Array, number[]]> {
    const values = inputs.map((t) => ({ data: t.dataSync().slice(), shape: t.shape }));
    const onWasm = tf.tidy(() => f(...values.map((v) => tf.tensor(v.data, v.shape))));
    const wasmOut = onWasm.dataSync().slice() as Float32Array;
    const shape = onWasm.shape;
    onWasm.dispose();
    await tf.setBackend("cpu");
    const onCpu = tf.tidy(() => f(...values.map((v) => tf.tensor(v.data, v.shape))));
    const cpuOut = onCpu.dataSync().slice() as Float32Array;
    expect(onCpu.shape).toEqual(shape);
    onCpu.dispose();
    await tf.setBackend("wasm");
    return [wasmOut, cpuOut, shape];
  }

  function close(a: Float32Array, b: Float32Array, tol = 1e-4): void {
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
    expect(worst).toBeLessThan(tol);
  }

  const CASES: { name: string; shapes: number[][]; f: (...xs: tf.Tensor[]) => tf.Tensor }[] = [
    {
      name: "plain",
      shapes: [
        [7, 5],
        [5, 9],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
    {
      name: "transposeA",
      shapes: [
        [5, 7],
        [5, 9],
      ],
      f: (a, b) => tf.matMul(a, b, true, false),
    },
    {
      name: "transposeB",
      shapes: [
        [7, 5],
        [9, 5],
      ],
      f: (a, b) => tf.matMul(a, b, false, true),
    },
    {
      name: "both transposed",
      shapes: [
        [5, 7],
        [9, 5],
      ],
      f: (a, b) => tf.matMul(a, b, true, true),
    },
    {
      name: "batched 4-D q·kᵀ",
      shapes: [
        [2, 3, 6, 4],
        [2, 3, 6, 4],
      ],
      f: (q, k) => tf.matMul(q, k, false, true),
    },
    {
      name: "batch broadcast on b",
      shapes: [
        [3, 4, 5],
        [1, 5, 2],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
    {
      name: "batch broadcast on a (transposed)",
      shapes: [
        [1, 5, 4],
        [3, 5, 2],
      ],
      f: (a, b) => tf.matMul(a, b, true, false),
    },
    {
      name: "rank 3 by rank 2",
      shapes: [
        [2, 4, 5],
        [5, 3],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
    // One row or one column: sgemv (a bias gradient is 1ᵀ·dy).
    {
      name: "one row times a matrix",
      shapes: [
        [1, 7],
        [7, 9],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
    {
      name: "one row, transposeA and transposeB",
      shapes: [
        [7, 1],
        [9, 7],
      ],
      f: (a, b) => tf.matMul(a, b, true, true),
    },
    {
      name: "one column",
      shapes: [
        [7, 5],
        [5, 1],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
    {
      name: "one column, transposeA, batched",
      shapes: [
        [3, 5, 7],
        [3, 5, 1],
      ],
      f: (a, b) => tf.matMul(a, b, true, false),
    },
    {
      name: "fused, one row, bias per column",
      shapes: [[1, 5], [5, 4], [4]],
      f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c }),
    },
    { name: "fused, bias per column", shapes: [[6, 5], [5, 4], [4]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c }) },
    {
      name: "fused, bias per element + ReLU",
      shapes: [
        [6, 5],
        [5, 4],
        [6, 4],
      ],
      f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" }),
    },
    {
      name: "fused transposeB, bias [1, n]",
      shapes: [
        [6, 5],
        [4, 5],
        [1, 4],
      ],
      f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, transposeB: true }),
    },
    // Handed back to the wasm backend's own kernels: an elu activation, mixed batch broadcasts.
    {
      name: "fused elu (native kernel)",
      shapes: [[6, 5], [5, 4], [4]],
      f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "elu" }),
    },
    {
      name: "mixed broadcast (native kernel)",
      shapes: [
        [2, 1, 3, 4],
        [1, 3, 4, 2],
      ],
      f: (a, b) => tf.matMul(a, b),
    },
  ];

  for (const c of CASES) {
    it(c.name, async () => {
      const inputs = c.shapes.map(rand);
      const [w, cpu] = await both(c.f, inputs);
      close(w, cpu);
      tf.dispose(inputs);
    });
  }

  it("gradients of a transposed batched product match the cpu backend", async () => {
    const inputs = [rand([2, 6, 4]), rand([2, 5, 4])];
    const grad = (a: tf.Tensor, b: tf.Tensor) => {
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, false, true).square().sum())([a, b]);
      return tf.concat([da.reshape([-1]), db.reshape([-1])]);
    };
    const [w, cpu] = await both(grad, inputs);
    close(w, cpu);
    tf.dispose(inputs);
  });

  it("random shapes and transposes agree with the cpu backend (fast-check, seed 7)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (m, n, k, batch, ta, tb) => {
          const a = rand([batch, ta ? k : m, ta ? m : k]);
          const b = rand([batch, tb ? n : k, tb ? k : n]);
          const [w, cpu, shape] = await both((x, y) => tf.matMul(x, y, ta, tb), [a, b]);
          expect(shape).toEqual([batch, m, n]);
          close(w, cpu);
          tf.dispose([a, b]);
        },
      ),
      { seed: 7, numRuns: 40 },
    );
  });

  it("runs on BLAS when on, gives the wasm kernel's numbers when turned off", async () => {
    const a = rand([9, 17]);
    const b = rand([17, 11]);
    const before = sgemmCalls();
    const on = tf.tidy(() => tf.matMul(a, b).dataSync().slice());
    expect(sgemmCalls()).toBe(before + 1);
    resetBlas();
    loadBlas({ env: { LLM_LESSONS_BLAS: "0" } });
    expect(blasActive()).toBe(false);
    const off = tf.tidy(() => tf.matMul(a, b).dataSync().slice());
    expect(sgemmCalls()).toBe(before + 1);
    resetBlas();
    loadBlas({ env: { [BLAS_LIB_ENV]: process.env[BLAS_LIB_ENV] } });
    expect(blasActive()).toBe(true);
    close(on as Float32Array, off as Float32Array);
    tf.dispose([a, b]);
  });

  it("sgemm checks its buffer lengths", () => {
    expect(() => sgemm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4))).toThrow(/too short for 2×2 · 2×2/);
  });
});
