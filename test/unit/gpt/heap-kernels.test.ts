/**
 * The WebAssembly SIMD kernels that run on the wasm backend's memory (gpt/heap-kernels.ts):
 * each kernel on a standalone memory of both kinds (shared, as in the threaded build, and plain)
 * against a float64 JavaScript reference, then LayerNorm, GELU and AdamW through the ops and the
 * optimizer on the wasm backend against the same code on the cpu backend.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { heapKernels, heapModuleBytes, type HeapKernels } from "../../../kernel-lib/src/gpt/heap-kernels";
import { gelu, layerNorm } from "../../../kernel-lib/src/gpt/ops";
import { AdamW } from "../../../kernel-lib/src/gpt/optim";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { useWasm } from "./backend";

/** The kernels on a fresh memory of `pages` 64 KiB pages, and a Float32Array over it. */
function standalone(shared: boolean, pages = 4): { k: HeapKernels; heap: () => Float32Array } {
  const memory = shared ? new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: pages });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(heapModuleBytes(shared)), { env: { memory } });
  return { k: inst.exports as unknown as HeapKernels, heap: () => new Float32Array(memory.buffer) };
}

/** Places arrays one after another from byte 0; returns their byte offsets. */
function place(heap: Float32Array, arrays: Float32Array[]): number[] {
  let at = 0;
  return arrays.map((a) => {
    heap.set(a, at);
    const off = at * 4;
    at += a.length;
    return off;
  });
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

const normals = (n: number, rng: ReturnType<typeof makeRng>, scale = 1, shift = 0) => Float32Array.from({ length: n }, () => shift + scale * rng.normal());

for (const shared of [false, true]) {
  describe(`SIMD kernels on a ${shared ? "shared" : "plain"} memory`, () => {
    it("the module validates", () => {
      expect(WebAssembly.validate(heapModuleBytes(shared))).toBe(true);
    });

    it("ln_fwd and ln_bwd match the float64 formulas (fast-check, seed 5)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1000 }), (rows, quads, seed) => {
          const dim = 4 * quads;
          const rng = makeRng(seed);
          // An offset of 3 in x: the two-pass variance must not lose it.
          const x = normals(rows * dim, rng, 1.5, 3);
          const gamma = normals(dim, rng);
          const beta = normals(dim, rng);
          const dy = normals(rows * dim, rng);
          const { k, heap } = standalone(shared);
          const z = (n: number) => new Float32Array(n);
          const [px, pg, pb, pxh, prs, py, pdy, pdg, pdb, pdx] = place(heap(), [x, gamma, beta, z(rows * dim), z(rows), z(rows * dim), dy, z(dim), z(dim), z(rows * dim)]);
          k.ln_fwd(px, pg, pb, pxh, prs, py, rows, dim, 1 / dim, 1e-5);
          k.ln_bwd(pdy, pxh, prs, pg, pdg, pdb, pdx, rows, dim, 1 / dim);
          const h = heap();
          const got = (off: number, n: number) => h.subarray(off / 4, off / 4 + n);
          // Reference in float64.
          const y = new Float64Array(rows * dim);
          const dx = new Float64Array(rows * dim);
          const dg = new Float64Array(dim);
          const db = new Float64Array(dim);
          for (let r = 0; r < rows; r++) {
            const row = Array.from(x.subarray(r * dim, (r + 1) * dim));
            const mean = row.reduce((a, b) => a + b, 0) / dim;
            const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / dim;
            const rs = 1 / Math.sqrt(v + 1e-5);
            const xh = row.map((e) => (e - mean) * rs);
            let m1 = 0;
            let m2 = 0;
            for (let j = 0; j < dim; j++) {
              y[r * dim + j] = xh[j] * gamma[j] + beta[j];
              const g = dy[r * dim + j] * gamma[j];
              m1 += g / dim;
              m2 += (g * xh[j]) / dim;
              dg[j] += dy[r * dim + j] * xh[j];
              db[j] += dy[r * dim + j];
            }
            for (let j = 0; j < dim; j++) dx[r * dim + j] = rs * (dy[r * dim + j] * gamma[j] - m1 - xh[j] * m2);
          }
          expect(maxDiff(got(py, rows * dim), y)).toBeLessThan(1e-5);
          expect(maxDiff(got(pdx, rows * dim), dx)).toBeLessThan(1e-4);
          expect(maxDiff(got(pdg, dim), dg)).toBeLessThan(1e-4);
          expect(maxDiff(got(pdb, dim), db)).toBeLessThan(1e-5);
        }),
        { seed: 5, numRuns: 30 },
      );
    });

    it("adamw updates m and v in place and writes the new weights", () => {
      const n = 40;
      const rng = makeRng(9);
      const w = normals(n, rng);
      const g = normals(n, rng, 0.1);
      const m = normals(n, rng, 0.01);
      const v = Float32Array.from(normals(n, rng, 0.001), Math.abs);
      const { k, heap } = standalone(shared);
      const [pw, pg, pm, pv, po] = place(heap(), [w, g, m, v, new Float32Array(n)]);
      const [b1, b2, c2, eps, stepSize, decay] = [0.9, 0.99, 1 - 0.99 ** 3, 1e-8, 1e-3 / (1 - 0.9 ** 3), 1 - 1e-3 * 0.1];
      k.adamw(pw, pg, pm, pv, po, n, b1, b2, 1 - b1, 1 - b2, 1 / c2, eps, stepSize, decay);
      const h = heap();
      for (let j = 0; j < n; j++) {
        const mj = b1 * m[j] + (1 - b1) * g[j];
        const vj = b2 * v[j] + (1 - b2) * g[j] * g[j];
        expect(h[pm / 4 + j]).toBeCloseTo(mj, 6);
        expect(h[pv / 4 + j]).toBeCloseTo(vj, 7);
        expect(h[po / 4 + j]).toBeCloseTo(w[j] * decay - (stepSize * mj) / (Math.sqrt(vj / c2) + eps), 5);
        expect(h[pw / 4 + j]).toBe(w[j]); // the weights themselves are left alone
      }
    });

    it("gelu matches x·Φ(x) and Φ(x) + x·φ(x)", () => {
      const x = Float32Array.from({ length: 64 }, (_, i) => -8 + i * 0.25);
      const { k, heap } = standalone(shared);
      const [px, py, pd] = place(heap(), [x, new Float32Array(64), new Float32Array(64)]);
      k.gelu(px, py, pd, 64);
      const h = heap();
      // Φ via erf from its series is overkill here: compare against tf-free closed forms at a few points.
      expect(h[py / 4 + 32]).toBe(0); // x = 0
      expect(h[py / 4 + 36]).toBeCloseTo(0.8413447 * 1, 5); // x = 1
      expect(h[pd / 4 + 36]).toBeCloseTo(0.8413447 + 0.2419707, 5);
      expect(h[py / 4 + 28]).toBeCloseTo(-1 * (1 - 0.8413447), 5); // x = −1
      expect(h[py / 4 + 0]).toBeCloseTo(0, 5); // x = −8
      expect(h[py / 4 + 63]).toBeCloseTo(7.75, 5);
    });
  });
}

describe("the ops and AdamW on the wasm backend's memory agree with the cpu backend", () => {
  beforeAll(useWasm);
  afterAll(useWasm);

  /** `run` on wasm (with the heap kernels), then on cpu; returns both results. */
  async function onBoth(run: () => Float32Array[]): Promise<[Float32Array[], Float32Array[]]> {
    await tf.setBackend("wasm");
    expect(heapKernels()).not.toBeNull();
    const onWasm = run();
    await tf.setBackend("cpu");
    const onCpu = run();
    await tf.setBackend("wasm");
    return [onWasm, onCpu];
  }

  /** Runs `f` on both backends with the same input values; returns both flattened outputs. */
  function both(f: (...xs: tf.Tensor[]) => tf.Tensor[], inputs: { data: Float32Array; shape: number[] }[]): Promise<[Float32Array[], Float32Array[]]> {
    return onBoth(() => tf.tidy(() => f(...inputs.map((i) => tf.tensor(i.data, i.shape))).map((t) => t.dataSync().slice() as Float32Array)));
  }

  it("layerNorm, with and without beta: values and gradients", async () => {
    const rng = makeRng(3);
    const inputs = [
      { data: normals(6 * 12, rng, 2, 1), shape: [6, 12] },
      { data: normals(12, rng), shape: [12] },
      { data: normals(12, rng), shape: [12] },
      { data: normals(6 * 12, rng), shape: [6, 12] },
    ];
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w: tf.Tensor) => {
      const loss = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(layerNorm(xx as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D), w));
      const lossNoBeta = (xx: tf.Tensor, gg: tf.Tensor) => tf.sum(tf.mul(layerNorm(xx as tf.Tensor2D, gg as tf.Tensor1D), w));
      return [layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), ...tf.grads(loss)([x, g, b]), ...tf.grads(lossNoBeta)([x, g])];
    };
    const [wasm, cpu] = await both(f, inputs);
    expect(wasm).toHaveLength(6);
    wasm.forEach((t, i) => expect(maxDiff(t, cpu[i])).toBeLessThan(1e-4));
  });

  it("gelu: values and gradient", async () => {
    const rng = makeRng(4);
    const [wasm, cpu] = await both((x) => [gelu(x), tf.grad((xx: tf.Tensor) => tf.sum(tf.square(gelu(xx))))(x)], [{ data: normals(8 * 16, rng, 3), shape: [8, 16] }]);
    wasm.forEach((t, i) => expect(maxDiff(t, cpu[i])).toBeLessThan(1e-5));
  });

  it("AdamW: three steps with decay, without decay and with an odd-sized parameter", async () => {
    const rng = makeRng(5);
    const shapes = [[4, 8], [8], [3, 3]];
    const init = shapes.map((s) => normals(s.reduce((a, b) => a * b, 1), rng));
    const grads = [0, 1, 2].map(() => shapes.map((s) => normals(s.reduce((a, b) => a * b, 1), rng, 0.1)));
    const run = () => {
      const vars = init.map((d, i) => tf.variable(tf.tensor(d, shapes[i])));
      const opt = new AdamW(vars.map((v, i) => ({ name: `p${i}`, variable: v, decay: i !== 1 })), { weightDecay: 0.1 });
      for (const gs of grads) {
        const ts = gs.map((d, i) => tf.tensor(d, shapes[i]));
        opt.apply(ts, 1e-2);
        tf.dispose(ts);
      }
      const out = [...vars, ...opt.state().map((s) => s.tensor)].map((t) => t.dataSync().slice() as Float32Array);
      opt.dispose();
      tf.dispose(vars);
      return out;
    };
    const [onWasm, onCpu] = await onBoth(run);
    onWasm.forEach((t, i) => expect(maxDiff(t, onCpu[i])).toBeLessThan(1e-5));
  });
});
