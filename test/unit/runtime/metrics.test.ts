import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_ENV, isSeries, recordMetric, recordMetrics, recordedMetrics, seriesXY, underRunner } from "../../../kernel-lib/src/runtime/metrics";

describe("recordMetric series", () => {
  afterEach(() => {
    delete process.env[RUNNER_ENV];
  });

  it("takes an array of numbers and an {x, y} series", () => {
    recordMetric("curve", [3, 2, 1.5]);
    recordMetric("xy", { x: [0, 10, 20], y: [3, 2, 1] });
    expect(recordedMetrics().curve).toEqual([3, 2, 1.5]);
    expect(recordedMetrics().xy).toEqual({ x: [0, 10, 20], y: [3, 2, 1] });
  });

  it("stores a copy, so later changes to the array do not leak in", () => {
    const a = [1, 2];
    recordMetric("copy", a);
    a.push(3);
    expect(recordedMetrics().copy).toEqual([1, 2]);
  });

  it("names the bad element of a curve", () => {
    expect(() => recordMetric("c", [1, Number.NaN])).toThrow(/element 1 of "c" is NaN/);
    expect(() => recordMetric("c", { x: [0, 1], y: [1, Infinity] })).toThrow(/y\[1\] of "c" is Infinity/);
    expect(() => recordMetric("c", { x: [0, 1], y: [1] })).toThrow(/x: 2, y: 1/);
    // An object with scalar x and y is plain JSON, not a curve.
    recordMetric("point", { x: 1, y: 2 });
    expect(recordedMetrics().point).toEqual({ x: 1, y: 2 });
  });

  it("recognises series and turns them into {x, y}", () => {
    expect(isSeries([1, 2])).toBe(true);
    expect(isSeries([])).toBe(false);
    expect(isSeries(["a"])).toBe(false);
    expect(isSeries({ x: [1], y: [2] })).toBe(true);
    expect(isSeries(3)).toBe(false);
    expect(seriesXY([5, 6])).toEqual({ x: [0, 1], y: [5, 6] });
    expect(seriesXY({ x: [2], y: [3] })).toEqual({ x: [2], y: [3] });
    expect(seriesXY("no")).toBeNull();
  });

  it("knows when it runs under the runner", () => {
    expect(underRunner({})).toBe(false);
    expect(underRunner({ [RUNNER_ENV]: "1" })).toBe(true);
  });
});

describe("recordMetrics", () => {
  it("records every entry, as recordMetric would", () => {
    recordMetrics({ many_a: 1, many_b: "two", many_curve: [3, 2] });
    expect(recordedMetrics()).toMatchObject({ many_a: 1, many_b: "two", many_curve: [3, 2] });
  });

  it("names a bad value and records none of the batch", () => {
    expect(() => recordMetrics({ batch_ok: 1, batch_bad: Number.NaN })).toThrow(/batch_bad/);
    expect(recordedMetrics()).not.toHaveProperty("batch_ok");
    expect(() => recordMetrics([1, 2] as never)).toThrow(/object of name/);
  });
});
