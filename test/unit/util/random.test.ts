import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { makeRng, shuffle } from "../../../kernel-lib/src/util/random";

describe("makeRng", () => {
  it("is reproducible for a seed and differs across seeds", () => {
    const a = makeRng(42);
    const b = makeRng(42);
    const c = makeRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it("stays in [0, 1) and int stays in range", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const r = makeRng(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.next();
          const k = r.int(n);
          if (!(x >= 0 && x < 1)) return false;
          if (!(Number.isInteger(k) && k >= 0 && k < n)) return false;
        }
        return true;
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it("has roughly uniform mean and standard-normal moments", () => {
    const r = makeRng(7);
    let sum = 0;
    let s1 = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      sum += r.next();
      const z = r.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it("resumes the exact stream from a saved state", () => {
    const r = makeRng(3);
    r.next();
    const state = r.getState();
    const expected = [r.next(), r.next()];
    const q = makeRng(999);
    q.setState(state);
    expect([q.next(), q.next()]).toEqual(expected);
  });

  it("rejects a non-finite seed", () => {
    expect(() => makeRng(Number.NaN)).toThrow(/seed/);
  });

  it("shuffle is a permutation", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const ys = shuffle([...xs], makeRng(1));
    expect(ys).not.toEqual(xs);
    expect([...ys].sort((p, q) => p - q)).toEqual(xs);
  });
});
