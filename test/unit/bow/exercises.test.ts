import { describe, expect, it, vi } from "vitest";
import { csrFromRows } from "../../../kernel-lib/src/bow";
import {
  checkTrigramCosine,
  checkSmoothIdfAnswer,
  checkMostSimilarAddress,
  checkCentroidAccuracy,
  smoothIdf,
} from "../../../kernel-lib/src/lessons/01-bag-of-words";

describe("exercise checkers", () => {
  it("accept the right answers and print ✓", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    checkTrigramCosine(10 / 14);
    checkSmoothIdfAnswer(Math.log(11 / 4) + 1);
    checkMostSimilarAddress(
      1802,
      [
        [1, 0.2, 0.9],
        [0.2, 1, 0.1],
        [0.9, 0.1, 1],
      ],
      [1801, 1850, 1802],
      1801,
    );
    const X = csrFromRows(
      [
        new Map([[0, 1]]),
        new Map([[1, 1]]),
        new Map([
          [0, 1],
          [1, 0.2],
        ]),
      ],
      2,
    );
    const xTrain = csrFromRows([new Map([[0, 1]]), new Map([[1, 1]])], 2);
    checkCentroidAccuracy(1, xTrain, [0, 1], X, [0, 1, 0], 2);
    expect(log.mock.calls.every((c) => String(c[0]).startsWith("✓"))).toBe(true);
    expect(log).toHaveBeenCalledTimes(4);
    log.mockRestore();
  });

  it("reject wrong answers with a hint", () => {
    expect(() => checkTrigramCosine(14)).toThrow(/Exercise 1: 14 is not right/);
    expect(() => checkTrigramCosine(10 / 11)).toThrow(/cosine with word pairs \(§2\): add the word triples/);
    expect(() => checkTrigramCosine(1)).toThrow(/unigram cosine/);
    expect(() => checkTrigramCosine(7 / 11)).toThrow(/Count "the" twice/);
    expect(() => checkTrigramCosine(Number.NaN)).toThrow(/finite number/);
    expect(() => checkSmoothIdfAnswer(Math.log(10 / 3) + 1)).toThrow(/unsmoothed idf/);
    expect(() => checkSmoothIdfAnswer(Number.NaN)).toThrow(/finite number/);
    expect(() =>
      checkMostSimilarAddress(
        1850,
        [
          [1, 0.2, 0.9],
          [0.2, 1, 0.1],
          [0.9, 0.1, 1],
        ],
        [1801, 1850, 1802],
        1801,
      ),
    ).toThrow(/not the most similar/);
    expect(() => checkMostSimilarAddress(1850, [[1]], [1801], 1900)).toThrow(/targetYear 1900 is not in years/);
    const X = csrFromRows([new Map([[0, 1]]), new Map([[1, 1]])], 2);
    expect(() => checkCentroidAccuracy(0.5, X, [0, 1], X, [0, 1], 2)).toThrow(/Exercise 4/);
  });

  it("smoothIdf validates its inputs", () => {
    expect(smoothIdf(10, 10)).toBe(1);
    expect(() => smoothIdf(10, 11)).toThrow(/df must be/);
    expect(() => smoothIdf(0, 0)).toThrow(/n must be/);
  });
});
