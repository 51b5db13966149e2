import { describe, expect, it } from "vitest";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { applyTemperature, entropyBits, sampleFromProbs, mostLikely } from "../../../kernel-lib/src/text/sampling";

describe("sampling", () => {
  const p = [0.5, 0.3, 0.2, 0];

  it("temperature 1 leaves a distribution unchanged; 0 is argmax; large T flattens", () => {
    expect(Array.from(applyTemperature(p, 1))).toEqual(p.map((x) => expect.closeTo(x, 12)));
    expect(Array.from(applyTemperature(p, 0))).toEqual([1, 0, 0, 0]);
    const flat = applyTemperature(p, 1e6);
    expect(flat[0]).toBeCloseTo(1 / 3, 5);
    expect(flat[3]).toBe(0);
    const sharp = applyTemperature(p, 0.5);
    expect(sharp[0]).toBeCloseTo(0.25 / 0.38, 12);
  });

  it("samples with the right frequencies", () => {
    const rng = makeRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleFromProbs(p, rng)]++;
    expect(counts[0] / 20000).toBeCloseTo(0.5, 1);
    expect(counts[2] / 20000).toBeCloseTo(0.2, 1);
    expect(counts[3]).toBe(0);
  });

  it("top-k and entropy", () => {
    expect(mostLikely(p, 2)).toEqual([
      { index: 0, prob: 0.5 },
      { index: 1, prob: 0.3 },
    ]);
    expect(entropyBits([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(2, 12);
  });

  it("rejects bad input", () => {
    expect(() => applyTemperature(p, -1)).toThrow(/temperature must be a finite number >= 0, got -1/);
    expect(() => applyTemperature([0, 0], 1)).toThrow(/positive sum/);
    expect(() => applyTemperature([0.5, NaN], 1)).toThrow(/probs\[1\]/);
    expect(() => mostLikely(p, 0)).toThrow(/k must be/);
  });
});
