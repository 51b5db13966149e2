import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { WASM_THREADS_ENV, wasmThreadsWanted } from "../../../kernel-lib/src/tf/wasm-threads";

const ROOT = path.resolve(__dirname, "../../..");

/** Start a fresh Node process that picks the backend with `threads` and multiplies two matrices. */
function child(threads: string): { banner: string; product: number[]; reference: number[] } {
  const script = `
    const tf = require("@tensorflow/tfjs");
    const { initTf } = require("./kernel-lib/dist/tf");
    (async () => {
      const lines = [];
      await initTf({ log: (l) => lines.push(l) });
      // 96 × 80 · 80 × 72: big enough for XNNPACK to split the work between threads.
      const a = tf.tensor2d(Array.from({ length: 96 * 80 }, (_, i) => Math.sin(i)), [96, 80]);
      const b = tf.tensor2d(Array.from({ length: 80 * 72 }, (_, i) => Math.cos(i * 0.7)), [80, 72]);
      const product = Array.from(tf.matMul(a, b).dataSync());
      await tf.setBackend("cpu");
      const reference = Array.from(tf.matMul(a, b).dataSync());
      // No process.exit: the process must end by itself (idle pool threads must not hold it).
      process.stdout.write(JSON.stringify({ banner: lines[0], product, reference }));
    })();
  `;
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    // BLAS off: the product must run on the wasm build (XNNPACK and its thread pool).
    env: { ...process.env, [WASM_THREADS_ENV]: threads, LLM_LESSONS_BACKEND: "wasm", LLM_LESSONS_BLAS: "0" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out);
}

describe("wasmThreadsWanted", () => {
  it("defaults to the core count, at most 4", () => {
    expect(wasmThreadsWanted({})).toBe(Math.max(1, Math.min(4, os.cpus().length)));
  });

  it("reads LLM_LESSONS_WASM_THREADS", () => {
    expect(wasmThreadsWanted({ [WASM_THREADS_ENV]: "1" })).toBe(1);
    expect(wasmThreadsWanted({ [WASM_THREADS_ENV]: " 3 " })).toBe(3);
  });

  it("rejects a bad value, naming the variable", () => {
    for (const bad of ["0", "9", "two", "1.5", "-2"]) {
      expect(() => wasmThreadsWanted({ [WASM_THREADS_ENV]: bad })).toThrow(/LLM_LESSONS_WASM_THREADS must be an integer from 1 to 8/);
    }
  });
});

describe("the threaded wasm build under Node", () => {
  it("runs with 2 threads, matches the cpu backend, and lets the process exit", () => {
    const r = child("2");
    expect(r.banner).toMatch(/^tfjs backend: wasm \(SIMD, 2 threads; native BLAS off \(LLM_LESSONS_BLAS=0\)\)/);
    expect(r.product).toHaveLength(96 * 72);
    const worst = Math.max(...r.product.map((x, i) => Math.abs(x - r.reference[i])));
    expect(worst).toBeLessThan(1e-3);
  });

  it("LLM_LESSONS_WASM_THREADS=1 keeps the single-threaded build", () => {
    const r = child("1");
    expect(r.banner).toMatch(/^tfjs backend: wasm \(SIMD, 1 thread; native BLAS off \(LLM_LESSONS_BLAS=0\)\)/);
    const worst = Math.max(...r.product.map((x, i) => Math.abs(x - r.reference[i])));
    expect(worst).toBeLessThan(1e-3);
  });
});
