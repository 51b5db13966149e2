import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeModularSplit, modularPairs, splitModularPairs, toModularSet, trainSize } from "../../../kernel-lib/src/grokking/data";

describe("modular addition data", () => {
  it("lists every pair once with c = (a + b) mod p", () => {
    const all = modularPairs(5);
    expect(all).toHaveLength(25);
    expect(all[7]).toEqual([1, 2, 3]);
    expect(all[24]).toEqual([4, 4, 3]);
    expect(() => modularPairs(1)).toThrow(/p must be an integer in \[2, 1000\]/);
  });

  it("splits by pair: disjoint, complete, round(fraction · p²) for training, seeded", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (p, f, seed) => {
        const s = splitModularPairs(p, f, seed);
        expect(s.train).toHaveLength(trainSize(p, f));
        const keys = [...s.train, ...s.val].map(([a, b, c]) => {
          expect(c).toBe((a + b) % p);
          return a * p + b;
        });
        expect(new Set(keys).size).toBe(p * p);
        expect(splitModularPairs(p, f, seed)).toEqual(s);
      }),
      { numRuns: 40 },
    );
    expect(splitModularPairs(11, 0.5, 1).train).not.toEqual(splitModularPairs(11, 0.5, 2).train);
    expect(() => splitModularPairs(5, 1, 0)).toThrow(/trainFraction must be in \(0, 1\)/);
  });

  it("every number appears as a on both sides of a large enough split", () => {
    const s = splitModularPairs(53, 0.6, 0);
    expect(new Set(s.train.map((e) => e[0])).size).toBe(53);
    expect(new Set(s.val.map((e) => e[0])).size).toBe(53);
  });

  it("makeModularSplit gives the same examples as parallel arrays", () => {
    const s = splitModularPairs(7, 0.4, 3);
    const m = makeModularSplit(7, 0.4, 3);
    expect(m.p).toBe(7);
    expect(m.train).toEqual(toModularSet(s.train));
    expect(Array.from(m.val.c)).toEqual(s.val.map((e) => e[2]));
  });
});
