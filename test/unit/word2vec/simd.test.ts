import { describe, expect, it } from "vitest";
import { sharedMemory, simdModule, simdOps } from "../../../kernel-lib/src/word2vec/simd";

describe("SIMD vector operations", () => {
  it("compiles simd.wat and matches plain arithmetic", () => {
    expect(simdModule()).toBeInstanceOf(WebAssembly.Module);
    const mem = sharedMemory(4096);
    const ops = simdOps(mem)!;
    const f = new Float32Array(mem.buffer);
    for (let i = 0; i < 12; i++) {
      f[i] = i * 0.5 - 2;
      f[100 + i] = 1 - i * 0.1;
    }
    let ref = 0;
    for (let i = 0; i < 12; i++) ref += f[i] * f[100 + i];
    expect(ops.dot(0, 400, 12)).toBeCloseTo(ref, 4);
    const a = f.slice(0, 12);
    const b = f.slice(100, 112);
    ops.update(0, 400, 800, 12, 0.25); // neu(=f[200..]) += g·b; b += g·a
    for (let i = 0; i < 12; i++) {
      expect(f[200 + i]).toBeCloseTo(0.25 * b[i], 6);
      expect(f[100 + i]).toBeCloseTo(b[i] + 0.25 * a[i], 6);
    }
    ops.addClear(0, 800, 12);
    for (let i = 0; i < 12; i++) {
      expect(f[i]).toBeCloseTo(a[i] + 0.25 * b[i], 6);
      expect(f[200 + i]).toBe(0);
    }
  });
});
