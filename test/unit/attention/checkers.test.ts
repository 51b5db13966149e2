import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { repeatKv, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { useBackend } from "./helpers";
import { checkRepeatKv, checkRope, checkSdpa } from "../../../kernel-lib/src/lessons/03-attention";

beforeAll(useBackend);

const log = vi.spyOn(console, "log").mockImplementation(() => {});
afterAll(() => log.mockRestore());

/** Causal attention written the way a learner would, with each classic mistake switchable. */
function learnerSdpa(
  bug: {
    noScale?: boolean;
    divideByD?: boolean;
    topLeft?: boolean;
    strict?: boolean;
    noMask?: boolean;
    axis?: 2 | 3;
    maskAfter?: boolean;
    negInf?: boolean;
  } = {},
) {
  return (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor =>
    tf.tidy(() => {
      const [lq, lk, d] = [q.shape[2], k.shape[2], q.shape[3]];
      const scale = bug.noScale ? 1 : bug.divideByD ? 1 / d : 1 / Math.sqrt(d);
      const shift = bug.topLeft ? 0 : lk - lq;
      const rows: boolean[][] = [];
      for (let i = 0; i < lq; i++) rows.push(Array.from({ length: lk }, (_, j) => bug.noMask === true || (bug.strict ? j < i + shift : j <= i + shift)));
      const mask = tf.tensor2d(rows, [lq, lk], "bool");
      let scores = tf.matMul(q, k, false, true).mul(scale);
      if (!bug.maskAfter) scores = tf.where(mask, scores, bug.negInf ? -Infinity : -1e9);
      const axis = bug.axis ?? 3;
      const e = scores.sub(scores.max(axis, true)).exp();
      let w = e.div(e.sum(axis, true));
      if (bug.maskAfter) w = w.mul(mask.cast("float32"));
      return tf.matMul(w, v);
    });
}

describe("checkSdpa", () => {
  it("passes the library and a correct learner version, printing one ✓ line", () => {
    const before = tf.memory().numTensors;
    log.mockClear();
    expect(checkSdpa((q, k, v) => scaledDotProductAttention(q, k, v, { causal: true }).output)).toBeUndefined();
    expect(() => checkSdpa(learnerSdpa())).not.toThrow();
    expect(() => checkSdpa(learnerSdpa({ negInf: true }))).not.toThrow(); // −Infinity is fine when no row is fully masked
    expect(log).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ checkSdpa/));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names a missing 1/√d, with the first wrong element, expected and got", () => {
    expect(() => checkSdpa(learnerSdpa({ noScale: true }))).toThrow(
      /element \[0,0,1,\d\] is -?\d\.\d+, expected -?\d\.\d+\. Likely cause: missing 1\/√d scaling/,
    );
    expect(() => checkSdpa(learnerSdpa({ divideByD: true }))).toThrow(/divided by d instead of √d/);
  });

  it("names a top-left-aligned mask (only wrong once queries are fewer than keys)", () => {
    expect(() => checkSdpa(learnerSdpa({ topLeft: true }))).toThrow(/3 new queries over 7 keys.*Likely cause: mask aligned top-left/);
  });

  it("names softmax over the wrong axis, a missing mask, and masking after softmax", () => {
    expect(() => checkSdpa(learnerSdpa({ axis: 2 }))).toThrow(/Likely cause: softmax over the wrong axis/);
    expect(() => checkSdpa(learnerSdpa({ noMask: true }))).toThrow(/Likely cause: no causal mask/);
    expect(() => checkSdpa(learnerSdpa({ maskAfter: true }))).toThrow(/Likely cause: mask applied after the softmax/);
  });

  it("names two mistakes at once, from the evidence of every case", () => {
    expect(() => checkSdpa(learnerSdpa({ noScale: true, topLeft: true }))).toThrow(/5 queries over 5 keys.*missing 1\/√d scaling.*; and mask aligned top-left/);
  });

  it("names a mask that hides the diagonal, and explains the NaN that −Infinity then gives", () => {
    expect(() => checkSdpa(learnerSdpa({ strict: true }))).toThrow(/Likely cause: the mask hides the diagonal/);
    expect(() => checkSdpa(learnerSdpa({ strict: true, negInf: true }))).toThrow(/is NaN.*−1e9/);
  });

  it("explains wrong shapes, wrong return types and errors thrown", () => {
    expect(() => checkSdpa((q, k) => tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), k))).toThrow(
      /expected shape \[2,3,5,6\], got \[2,3,5,8\].*multiply the weights by v/,
    );
    expect(() => checkSdpa((() => 42) as never)).toThrow(/must return a tensor, got number/);
    expect(() =>
      checkSdpa(() => {
        throw new Error("not written yet");
      }),
    ).toThrow(/checkSdpa: your function threw on 5 queries over 5 keys, headDim 8: not written yet/);
    expect(() => checkSdpa(undefined as never)).toThrow(/pass your function/);
  });

  it("accepts nested arrays", () => {
    expect(() => checkSdpa((q, k, v) => learnerSdpa()(q, k, v).arraySync() as number[][][][])).not.toThrow();
  });
});

describe("checkRepeatKv", () => {
  it("passes the library and a learner's stack-based version", () => {
    const before = tf.memory().numTensors;
    log.mockClear();
    expect(checkRepeatKv((x, n) => repeatKv(x, n))).toBeUndefined();
    const stacked = (x: tf.Tensor4D, nRep: number) =>
      tf.tidy(() =>
        tf.concat(
          tf.split(x, x.shape[1], 1).flatMap((head) => Array.from({ length: nRep }, () => head)),
          1,
        ),
      );
    expect(() => checkRepeatKv(stacked)).not.toThrow();
    expect(log).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ checkRepeatKv/));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names heads tiled as a block instead of interleaved", () => {
    expect(() => checkRepeatKv((x, n) => x.tile([1, n, 1, 1]))).toThrow(/element \[0,1,0,0\].*Likely cause: the heads are repeated as a block/);
  });

  it("names the wrong axis and an ignored nRep", () => {
    expect(() => checkRepeatKv((x, n) => x.tile([1, 1, n, 1]))).toThrow(/expected shape \[2,6,3,4\], got \[2,2,9,4\].*sequence axis \(2\)/);
    expect(() => checkRepeatKv((x, n) => x.tile([n, 1, 1, 1]))).toThrow(/batch axis \(0\)/);
    expect(() => checkRepeatKv((x) => x.clone())).toThrow(/nRep is ignored/);
  });
});

/** RoPE on one head in plain loops, as a learner writes it, with each classic mistake switchable. */
function learnerRope(bug: { half?: boolean; backwards?: boolean; exponentOne?: boolean; noOffset?: boolean } = {}) {
  return (x: number[][], offset: number): number[][] => {
    const d = x[0].length;
    return x.map((row, m) => {
      const out = [...row];
      for (let i = 0; i < d / 2; i++) {
        const angle = (bug.backwards ? -1 : 1) * ((bug.noOffset ? 0 : offset) + m) * 10000 ** ((-(bug.exponentOne ? 1 : 2) * i) / d);
        const [a, b] = bug.half ? [i, i + d / 2] : [2 * i, 2 * i + 1];
        out[a] = row[a] * Math.cos(angle) - row[b] * Math.sin(angle);
        out[b] = row[a] * Math.sin(angle) + row[b] * Math.cos(angle);
      }
      return out;
    });
  };
}

describe("checkRope", () => {
  it("passes a correct loop version in both pairings, printing one ✓ line", () => {
    const before = tf.memory().numTensors;
    log.mockClear();
    expect(checkRope(learnerRope())).toBeUndefined();
    expect(() => checkRope(learnerRope({ half: true }), "half")).not.toThrow();
    expect(log).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ checkRope/));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names the other pairing, a backwards rotation, the wrong exponent and an ignored offset", () => {
    expect(() => checkRope(learnerRope({ half: true }))).toThrow(
      /element \[\d+,\d+\] is .*, expected .*Likely cause: pairs \(xᵢ, x_\{i\+d\/2\}\) — that is the "half" pairing/,
    );
    expect(() => checkRope(learnerRope(), "half")).toThrow(/that is the "interleaved" pairing/);
    expect(() => checkRope(learnerRope({ backwards: true }))).toThrow(/Likely cause: rotation in the wrong direction/);
    expect(() => checkRope(learnerRope({ exponentOne: true }))).toThrow(/Likely cause: frequencies θᵢ = 10000\^\(−i\/d\)/);
    expect(() => checkRope(learnerRope({ noOffset: true }))).toThrow(/from position 6.*Likely cause: offset ignored/);
    expect(() => checkRope(learnerRope({ noOffset: true, backwards: true }))).toThrow(/wrong direction.*; and offset ignored/);
  });

  it("explains a wrong shape", () => {
    expect(() => checkRope((x) => x.slice(1))).toThrow(/expected shape \[4,8\], got \[3,8\]/);
  });
});
