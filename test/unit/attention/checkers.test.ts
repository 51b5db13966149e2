import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { repeatKv, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { type CircuitLayout, checkPreviousTokenHead, circuitBlocks, previousTokenHead } from "../../../kernel-lib/src/lessons/03-attention";
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

/** A previous-token head written the way a learner would, with each classic mistake switchable. */
function learnerPreviousHead(
  bug: { shift?: number; tokenBlock?: boolean; gain?: number; zeroQ?: boolean; writeTo?: "previous" | "token" | "guess" | "none"; readPosition?: boolean } = {},
) {
  return (layout: CircuitLayout) => {
    const b = circuitBlocks(layout);
    const T = layout.maxLen;
    const gain = bug.gain ?? 10 * Math.sqrt(T);
    const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));
    const [wQ, wK, wV] = [zeros(b.width, T), zeros(b.width, T), zeros(b.width, b.width)];
    const shift = bug.shift ?? -1; // position t asks for t + shift
    for (let t = 0; t < T; t++) {
      const row = bug.tokenBlock ? t % layout.vocabSize : b.position + t;
      if (!bug.zeroQ && t + shift >= 0 && t + shift < T) wQ[row][t + shift] = gain;
      wK[row][t] = 1;
    }
    if (bug.tokenBlock) for (let a = 0; a < layout.vocabSize; a++) [wQ, wK].forEach((w) => (w[a] = w[a].map((_, c) => (c === a ? (w === wQ ? gain : 1) : 0))));
    const target = { previous: b.previous, token: b.token, guess: b.guess, none: -1 }[bug.writeTo ?? "previous"];
    if (target >= 0) for (let a = 0; a < layout.vocabSize; a++) wV[(bug.readPosition ? b.position : b.token) + a][target + a] = 1;
    return { wQ, wK, wV };
  };
}

describe("checkPreviousTokenHead", () => {
  it("passes the library's head and a learner's, as arrays or tensors, printing one ✓ line", () => {
    log.mockClear();
    expect(checkPreviousTokenHead(previousTokenHead)).toBeUndefined();
    expect(() => checkPreviousTokenHead(learnerPreviousHead())).not.toThrow();
    expect(() =>
      checkPreviousTokenHead((layout) => {
        const h = previousTokenHead(layout);
        return { wQ: tf.tensor2d(h.wQ), wK: tf.tensor2d(h.wK), wV: tf.tensor2d(h.wV) };
      }),
    ).not.toThrow();
    expect(log).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ checkPreviousTokenHead: every position puts ≥ 0.9/));
  });

  it("names where the attention goes instead: itself, the next position, two back, the same token, evenly", () => {
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ shift: 0 }))).toThrow(
      /position 1 puts 0\.0000\d+ of its attention on position 0, expected ≥ 0.9 \(its largest weight, 1, is on position 1\)\. Likely cause: each position attends to itself/,
    );
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ shift: 1 }))).toThrow(/Likely cause: the shift goes the wrong way/);
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ shift: -2 }))).toThrow(/Likely cause: off by one/);
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ tokenBlock: true }))).toThrow(/Likely cause: the head looks for the same token/);
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ zeroQ: true }))).toThrow(/Likely cause: every score is the same/);
    // W_K reading the previous-token block, which is empty before layer 1 writes it
    expect(() =>
      checkPreviousTokenHead((layout) => {
        const b = circuitBlocks(layout);
        const h = previousTokenHead(layout);
        h.wK = h.wK.map((row) => row.map(() => 0));
        for (let a = 0; a < layout.vocabSize; a++) h.wK[b.previous + a][a] = 1;
        return h;
      }),
    ).toThrow(/every score is the same.*reads a block that is still empty/);
  });

  it("names scores that are too small for a sharp softmax (no gain)", () => {
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ gain: 1 }))).toThrow(/Likely cause: the scores are too small/);
  });

  it("names scores that depend on the tokens when the position block is not what W_Q reads", () => {
    expect(() =>
      checkPreviousTokenHead((layout) => {
        const h = previousTokenHead(layout);
        h.wQ[0][0] += 40; // token 0 adds to its score on position 0
        return h;
      }),
    ).toThrow(/Likely cause: the scores change when only the tokens change/);
  });

  it("names a W_V that writes nothing, into the wrong block, or copies the position", () => {
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ writeTo: "none" }))).toThrow(
      /position \d+, column \d+ \(previous-token block\) is 0, expected 1\. Likely cause: W_V is zero/,
    );
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ writeTo: "token" }))).toThrow(/Likely cause: W_V writes the token into the token block/);
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ writeTo: "guess" }))).toThrow(/Likely cause: W_V writes into the guess block/);
    expect(() => checkPreviousTokenHead(learnerPreviousHead({ readPosition: true }))).toThrow(/Likely cause: W_V copies the position/);
  });

  it("explains wrong shapes and a missing function", () => {
    expect(() => checkPreviousTokenHead((l) => ({ ...previousTokenHead(l), wV: previousTokenHead(l).wQ }))).toThrow(/W_V is \[24,9\], expected \[24, 24\]/);
    expect(() => checkPreviousTokenHead((l) => ({ ...previousTokenHead(l), wK: [[1]] }))).toThrow(/both must be \[width 24, d_head\]/);
    expect(() => checkPreviousTokenHead(null as never)).toThrow(/pass your function/);
  });
});
