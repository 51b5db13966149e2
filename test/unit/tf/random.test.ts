import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { seededGlorotUniform, seededNormal, seededUniform, seededVariable } from "../../../kernel-lib/src/tf/random";
import { makeRng } from "../../../kernel-lib/src/util/random";

describe("seeded tensors", () => {
  it("repeat for a seed, differ across seeds, and match makeRng's stream", () => {
    const a = seededNormal([3, 4], 0.5, makeRng(9)).dataSync();
    const b = seededNormal([3, 4], 0.5, makeRng(9)).dataSync();
    const c = seededNormal([3, 4], 0.5, makeRng(10)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const r = makeRng(9);
    expect(a[0]).toBeCloseTo(0.5 * r.normal(), 6);
  });

  it("have the requested mean and spread", () => {
    const n = seededNormal([20000], 2, makeRng(1), 3).dataSync<"float32">();
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(3, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it("uniform samples stay in [low, high)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), (seed, low, width) => {
        const u = seededUniform([50], low, low + width, makeRng(seed)).dataSync();
        return u.every((v) => v >= Math.fround(low) - 1e-6 && v <= Math.fround(low + width) + 1e-6);
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it("glorot uniform respects its limit and variables are trainable", () => {
    const g = seededGlorotUniform([30, 10], makeRng(2)).dataSync();
    const limit = Math.sqrt(6 / 40);
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    const v = seededVariable([2, 2], makeRng(1));
    expect(v.trainable).toBe(true);
    expect(v.shape).toEqual([2, 2]);
    v.dispose();
  });

  it("reject bad arguments with the value in the message, leaking no tensor", () => {
    const before = tf.memory().numTensors;
    expect(() => seededNormal([2, -1], 1, makeRng(1))).toThrow("seededNormal: shape must be a list of integers >= 0, got [2,-1]");
    expect(() => seededNormal([2], -1, makeRng(1))).toThrow("std must be a finite number >= 0, got -1");
    expect(() => seededUniform([2], 1, 1, makeRng(1))).toThrow("need finite low < high, got low=1, high=1");
    expect(() => seededGlorotUniform([0, 3], makeRng(1))).toThrow("shape must be [fanIn >= 1, fanOut >= 1], got [0,3]");
    expect(tf.memory().numTensors).toBe(before);
  });
});
