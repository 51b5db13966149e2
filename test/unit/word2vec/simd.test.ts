import { describe, expect, it } from "vitest";
import { sharedMemory, simdLayout, simdModule, simdOps, threadScratch } from "../../../kernel-lib/src/word2vec/simd";

describe("SIMD vector operations", () => {
  // n = 12 runs only the loops' 4-float steps; n = 100 (the bench's dim) their unrolled steps too.
  for (const n of [12, 100]) {
    it(`compiles simd.wat and matches plain arithmetic (n = ${n})`, () => {
      expect(simdModule()).toBeInstanceOf(WebAssembly.Module);
      const mem = sharedMemory(4096);
      const ops = simdOps(mem)!;
      const f = new Float32Array(mem.buffer);
      const [A, B, N] = [0, 128, 256]; // float offsets of the input row, output row and gradient
      for (let i = 0; i < n; i++) {
        f[A + i] = i * 0.05 - 2;
        f[B + i] = 1 - i * 0.01;
      }
      let ref = 0;
      for (let i = 0; i < n; i++) ref += f[A + i] * f[B + i];
      expect(ops.dot(A * 4, B * 4, n)).toBeCloseTo(ref, 3);
      const a = f.slice(A, A + n);
      const b = f.slice(B, B + n);
      ops.update(A * 4, B * 4, N * 4, n, 0.25); // neu += g·b; b += g·a
      for (let i = 0; i < n; i++) {
        expect(f[N + i]).toBeCloseTo(0.25 * b[i], 6);
        expect(f[B + i]).toBeCloseTo(b[i] + 0.25 * a[i], 6);
      }
      ops.addClear(A * 4, N * 4, n);
      for (let i = 0; i < n; i++) {
        expect(f[A + i]).toBeCloseTo(a[i] + 0.25 * b[i], 6);
        expect(f[N + i]).toBe(0);
      }
      expect(f[A + n]).toBe(0); // nothing written past the rows
      expect(f[B + n]).toBe(0);
      expect(f[N + n]).toBe(0);
    });
  }

  it("lays out each thread's scratch on cache lines of its own, after the shared tables", () => {
    const [V, dim, maxSentence, negative, threads] = [11, 100, 37, 5, 2];
    const l = simdLayout(V, dim, maxSentence, negative, threads);
    expect(l.syn1).toBeGreaterThanOrEqual(V * dim * 4);
    expect(l.aliasProb).toBeGreaterThanOrEqual(l.syn1 + V * dim * 4);
    const blocks = [0, 1].map((t) => threadScratch(l, dim, negative, t));
    for (const b of blocks) {
      for (const offset of [b.neu, b.rows, b.gs, b.sentence]) expect(offset % 64).toBe(0);
      expect(b.neu).toBeGreaterThanOrEqual(l.lossTable + 1000 * 4);
      expect(b.rows).toBeGreaterThanOrEqual(b.neu + dim * 4);
      expect(b.gs).toBeGreaterThanOrEqual(b.rows + (negative + 1) * 4);
      expect(b.sentence).toBeGreaterThanOrEqual(b.gs + (negative + 1) * 16);
    }
    expect(blocks[1].neu).toBeGreaterThanOrEqual(blocks[0].sentence + maxSentence * 4);
    expect(l.bytes).toBeGreaterThanOrEqual(blocks[1].sentence + maxSentence * 4);
  });
});
