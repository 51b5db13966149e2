/**
 * Native BLAS for the wasm backend's matMuls (kernel-lib/src/tf/blas.ts, kernels/MatMulBlas.ts):
 * loading and its error messages, then every product shape the wrapped kernels take (transposes,
 * batches, broadcast batches, fused bias and ReLU) against the cpu backend, and the shapes they
 * hand back to the wasm backend's own kernel. The product tests need the optional package nblas;
 * CI installs it and sets LLM_LESSONS_EXPECT_BLAS=1, so there they cannot be skipped.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initTf, resetTfState } from "../../../kernel-lib/src/tf/backend";
import { blasActive, blasStatus, blasWanted, loadBlas, resetBlas, sgemm, sgemmCalls } from "../../../kernel-lib/src/tf/blas";
import { makeRng } from "../../../kernel-lib/src/util/random";

function installed(): boolean {
  try {
    createRequire(import.meta.url).resolve("nblas");
    return true;
  } catch {
    return false;
  }
}
const HAVE_NBLAS = installed();

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
    const s = loadBlas({ env: { LLM_LESSONS_BLAS: "0" }, load: () => ({}) });
    expect(s).toEqual({ available: false, detail: "native BLAS off (LLM_LESSONS_BLAS=0)", threads: 0 });
  });

  it("explains a missing package and a library that fails its self-test", () => {
    resetBlas();
    const missing = loadBlas({
      env: {},
      load: () => {
        throw Object.assign(new Error("Cannot find module 'nblas'"), { code: "MODULE_NOT_FOUND" });
      },
    });
    expect(missing.available).toBe(false);
    expect(missing.detail).toMatch(/^no native BLAS \(optional package nblas not installed: .*libopenblas-dev/);
    resetBlas();
    const wrong = loadBlas({ env: {}, load: () => ({ sgemm: () => undefined }) });
    expect(wrong.available).toBe(false);
    expect(wrong.detail).toMatch(/^no native BLAS \(nblas failed its self-test: a 2×2 test product gave \[0, 0, 0, 0\]/);
    expect(() => sgemm(false, false, 1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1))).toThrow(/not loaded/);
  });

  it("counts the threads OpenBLAS will use", () => {
    resetBlas();
    const fake = { sgemm: (_ta: number, _tb: number, _m: number, _n: number, _k: number, _al: number, _a: Float32Array, _la: number, _b: Float32Array, _lb: number, _be: number, c: Float32Array) => c.set([17, 23, 39, 53]) };
    expect(loadBlas({ env: { OPENBLAS_NUM_THREADS: "3" }, load: () => fake })).toMatchObject({ available: true, threads: 3 });
  });

  it("is installed where CI expects it (LLM_LESSONS_EXPECT_BLAS=1)", () => {
    if (process.env.LLM_LESSONS_EXPECT_BLAS === "1") expect(HAVE_NBLAS).toBe(true);
    resetBlas();
    if (HAVE_NBLAS) expect(loadBlas({ env: {} })).toMatchObject({ available: true });
  });
});

describe.runIf(HAVE_NBLAS || process.env.LLM_LESSONS_EXPECT_BLAS === "1")("matMul on native BLAS (wasm backend)", () => {
  const rng = makeRng(2024);
  const rand = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
  };

  beforeAll(async () => {
    resetTfState();
    await initTf({ backend: "wasm", quiet: true, env: {} });
    expect(blasActive()).toBe(true);
    expect(blasStatus()?.detail).toMatch(/^matMul on native BLAS \(nblas, \d+ threads?\)$/);
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
    { name: "plain", shapes: [[7, 5], [5, 9]], f: (a, b) => tf.matMul(a, b) },
    { name: "transposeA", shapes: [[5, 7], [5, 9]], f: (a, b) => tf.matMul(a, b, true, false) },
    { name: "transposeB", shapes: [[7, 5], [9, 5]], f: (a, b) => tf.matMul(a, b, false, true) },
    { name: "both transposed", shapes: [[5, 7], [9, 5]], f: (a, b) => tf.matMul(a, b, true, true) },
    { name: "batched 4-D q·kᵀ", shapes: [[2, 3, 6, 4], [2, 3, 6, 4]], f: (q, k) => tf.matMul(q, k, false, true) },
    { name: "batch broadcast on b", shapes: [[3, 4, 5], [1, 5, 2]], f: (a, b) => tf.matMul(a, b) },
    { name: "batch broadcast on a (transposed)", shapes: [[1, 5, 4], [3, 5, 2]], f: (a, b) => tf.matMul(a, b, true, false) },
    { name: "rank 3 by rank 2", shapes: [[2, 4, 5], [5, 3]], f: (a, b) => tf.matMul(a, b) },
    { name: "fused, bias per column", shapes: [[6, 5], [5, 4], [4]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c }) },
    { name: "fused, bias per element + ReLU", shapes: [[6, 5], [5, 4], [6, 4]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" }) },
    { name: "fused transposeB, bias [1, n]", shapes: [[6, 5], [4, 5], [1, 4]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, transposeB: true }) },
    // Handed back to the wasm backend's own kernels: an elu activation, mixed batch broadcasts.
    { name: "fused elu (native kernel)", shapes: [[6, 5], [5, 4], [4]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "elu" }) },
    { name: "mixed broadcast (native kernel)", shapes: [[2, 1, 3, 4], [1, 3, 4, 2]], f: (a, b) => tf.matMul(a, b) },
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
      fc.asyncProperty(fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), async (m, n, k, batch, ta, tb) => {
        const a = rand([batch, ta ? k : m, ta ? m : k]);
        const b = rand([batch, tb ? n : k, tb ? k : n]);
        const [w, cpu, shape] = await both((x, y) => tf.matMul(x, y, ta, tb), [a, b]);
        expect(shape).toEqual([batch, m, n]);
        close(w, cpu);
        tf.dispose([a, b]);
      }),
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
    loadBlas({ env: {} });
    expect(blasActive()).toBe(true);
    close(on as Float32Array, off as Float32Array);
    tf.dispose([a, b]);
  });

  it("sgemm checks its buffer lengths", () => {
    expect(() => sgemm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4))).toThrow(/too short for 2×2 · 2×2/);
  });
});
