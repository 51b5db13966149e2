import { afterEach, describe, expect, it, vi } from "vitest";
import {
  allClose,
  callLearner,
  close,
  failure,
  firstMismatch,
  formatNumber,
  matchMistake,
  pass,
  requireFunction,
  unravel,
} from "../../../kernel-lib/src/util/checker";

describe("compare: close and firstMismatch", () => {
  it("absolute, relative (with a floor of 1) and purely relative tolerances", () => {
    expect(close(1.00005, 1, { abs: 1e-4 })).toBe(true);
    expect(close(1.0002, 1, { abs: 1e-4 })).toBe(false);
    expect(close(1000.0005, 1000, { rel: 1e-6 })).toBe(true);
    // below 1 the relative tolerance acts as an absolute one…
    expect(close(1e-8, 2e-8, { rel: 1e-6 })).toBe(true);
    // …unless the floor is lowered: then it stays relative down to tiny values.
    expect(close(1e-8, 2e-8, { rel: 1e-6, floor: 1e-300 })).toBe(false);
    expect(close(1e-8 * (1 + 1e-9), 1e-8, { rel: 1e-6, floor: 1e-300 })).toBe(true);
  });

  it("NaN and infinities are never close", () => {
    expect(close(Number.NaN, Number.NaN, { abs: 1 })).toBe(false);
    expect(close(Number.NaN, 0, { abs: 1 })).toBe(false);
    expect(close(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, { rel: 1 })).toBe(false);
  });

  it("finds the first element out of tolerance, NaN included", () => {
    expect(firstMismatch([1, 2, 3], [1, 2, 3], { abs: 0 })).toBe(-1);
    expect(firstMismatch([1, 2, 3], [1, 2.5, 9], { abs: 0.1 })).toBe(1);
    expect(firstMismatch(Float32Array.from([0, 0]), [0, Number.NaN], { abs: 1 })).toBe(1);
    expect(allClose([1, 2], [1, 2, 3], { abs: 0 })).toBe(false);
    expect(allClose([1, 2], [1, 2.05], { abs: 0.1 })).toBe(true);
  });

  it("unravels a flat index into row-major coordinates", () => {
    expect(unravel(0, [2, 3, 4])).toEqual([0, 0, 0]);
    expect(unravel(23, [2, 3, 4])).toEqual([1, 2, 3]);
    expect(unravel(7, [2, 5])).toEqual([1, 2]);
  });
});

describe("matched cause", () => {
  const mistakes = [
    { cause: "first", output: 1 },
    { cause: "second", output: 2 },
    { cause: "also two", output: 2 },
  ];

  it("returns the first mistake that reproduces the answer, or null", () => {
    expect(matchMistake(mistakes, (o) => o === 2)).toBe("second");
    expect(matchMistake(mistakes, (o) => o === 3)).toBeNull();
  });

  it("with a score, the best-scoring reproducing mistake wins, ties to the earlier one", () => {
    expect(
      matchMistake(
        mistakes,
        (o) => o === 2,
        (m) => (m.cause === "also two" ? 5 : 1),
      ),
    ).toBe("also two");
    expect(
      matchMistake(
        mistakes,
        (o) => o === 2,
        () => 0,
      ),
    ).toBe("second");
    // A mistake that does not reproduce this answer never wins, whatever its score.
    expect(
      matchMistake(
        mistakes,
        (o) => o === 2,
        (m) => (m.cause === "first" ? 99 : 0),
      ),
    ).toBe("second");
  });
});

describe("message", () => {
  it("names the cause when one matched, else gives the hint, then the note", () => {
    expect(failure("f: x[1] is 2, expected 3", "off by one", "Compare with the formula.").message).toBe("f: x[1] is 2, expected 3. Likely cause: off by one.");
    expect(failure("f: x[1] is 2, expected 3", null, "Compare with the formula.").message).toBe("f: x[1] is 2, expected 3. Compare with the formula.");
    expect(failure("f: x is NaN, expected 3", "no eps", "", "NaN comes from 0 / 0.").message).toBe(
      "f: x is NaN, expected 3. Likely cause: no eps. NaN comes from 0 / 0.",
    );
    expect(failure("f: wrong", null, "").message).toBe("f: wrong.");
  });

  it("formats numbers to significant digits without trailing zeros, NaN and ∞ by name", () => {
    expect(formatNumber(0.123456789)).toBe("0.123457");
    expect(formatNumber(2)).toBe("2");
    expect(formatNumber(1.5, 10)).toBe("1.5");
    expect(formatNumber(1 / 3, 10)).toBe("0.3333333333");
    expect(formatNumber(-0.000123456789, 3)).toBe("-0.000123");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("names the input the learner's function threw on", () => {
    expect(callLearner("checkX", "case 1", () => 42)).toBe(42);
    expect(() =>
      callLearner("checkX", "case 2 (n = 3)", () => {
        throw new Error("not written yet");
      }),
    ).toThrow(/^checkX: your function threw on case 2 \(n = 3\): not written yet$/);
    expect(() =>
      callLearner("checkX", "case 3", () => {
        throw "a string";
      }),
    ).toThrow(/threw on case 3: a string/);
  });

  it("asks for a function when given something else", () => {
    expect(() => requireFunction(undefined, "checkX", "checkX(myX)")).toThrow(/^checkX: pass your function, e.g. checkX\(myX\); got undefined$/);
    expect(() => requireFunction(null, "checkX", "checkX(myX)")).toThrow(/got null/);
    expect(() => requireFunction(() => 0, "checkX", "checkX(myX)")).not.toThrow();
  });
});

describe("success line", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints one ✓ line and returns nothing (a notebook would echo a returned line a second time)", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(pass("checkX: all 3 cases agree")).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("✓ checkX: all 3 cases agree");
  });
});
