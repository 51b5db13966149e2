import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { aliasDraw, buildAliasTable, keepProbabilities } from "../../../kernel-lib/src/word2vec/sampling";
import { buildVocabulary, encodeCorpus } from "../../../kernel-lib/src/word2vec/vocab";
import { makeRng } from "../../../kernel-lib/src/util/random";

describe("keepProbabilities", () => {
  it("follows word2vec.c's formula", () => {
    // total 1e6, sample 1e-3 → threshold 1000. f = 10000: (sqrt(10)+1)·0.1 = 0.41623.
    const k = keepProbabilities([10000, 1000, 10], 1e-3, 1e6);
    expect(k[0]).toBeCloseTo((Math.sqrt(10) + 1) * 0.1, 6);
    expect(k[1]).toBeCloseTo(2, 6);
    expect(k[2]).toBeGreaterThan(1);
    expect(Array.from(keepProbabilities([5, 7], 0, 12))).toEqual([1, 1]);
  });
});

describe("alias table", () => {
  it("encodes exactly counts^0.75 (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100000 }), { minLength: 1, maxLength: 60 }), (counts) => {
        const t = buildAliasTable(counts, 0.75);
        const n = counts.length;
        const implied = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          implied[i] += t.prob[i] / n;
          implied[t.alias[i]] += (1 - t.prob[i]) / n;
        }
        const w = counts.map((c) => c ** 0.75);
        const sum = w.reduce((a, b) => a + b, 0);
        return w.every((x, i) => Math.abs(implied[i] - x / sum) < 1e-5);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it("draws with the right frequencies", () => {
    const t = buildAliasTable([1, 16, 81], 0.75); // weights 1, 8, 27
    const rng = makeRng(3);
    const hits = [0, 0, 0];
    for (let i = 0; i < 36000; i++) hits[aliasDraw(t, rng.next())]++;
    expect(hits[0] / 36000).toBeCloseTo(1 / 36, 2);
    expect(hits[2] / 36000).toBeCloseTo(27 / 36, 1);
  });

  it("rejects empty or zero counts", () => {
    expect(() => buildAliasTable([])).toThrow(/empty/);
    expect(() => buildAliasTable([0, 0])).toThrow(/zero/);
  });
});

describe("vocabulary", () => {
  it("keeps words with count >= minCount, most frequent first, ties alphabetical", () => {
    const v = buildVocabulary(
      [
        ["b", "a", "a", "c"],
        ["b", "a", "d", "c"],
      ],
      2,
    );
    expect(v.words).toEqual(["a", "b", "c"]);
    expect(Array.from(v.counts)).toEqual([3, 2, 2]);
    expect(v.total).toBe(7);
    const e = encodeCorpus([["b", "d", "a"], ["d"], ["c"]], v.index);
    expect(Array.from(e.tokens)).toEqual([1, 0, 2]);
    expect(Array.from(e.sentStarts)).toEqual([0, 2, 3]);
    expect(e.maxSentence).toBe(2);
  });
});
