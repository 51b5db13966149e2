import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  checkCausalAttention,
  checkLayerNorm,
  checkRmsNorm,
  checkSwiGlu,
  checkTopP,
  compareAcrossSeeds,
} from "../../../kernel-lib/src/lessons/04-mini-gpt/exercises";
import { useWasm } from "./backend";

beforeAll(useWasm);

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

type Attn = (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D;

/** Causal attention with a switch for each typical mistake. */
function attention(
  o: { scale?: "sqrt" | "none" | "d"; mask?: "causal" | "none" | "future" | "strict"; maskAfter?: boolean; axis0?: boolean; noV?: boolean } = {},
): Attn {
  return (q, k, v) => {
    const [T, d] = q.shape;
    const s = o.scale === "none" ? 1 : o.scale === "d" ? 1 / d : 1 / Math.sqrt(d);
    const scores = tf.mul(tf.matMul(q, k, false, true), s);
    const lower = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
    const keep =
      o.mask === "none"
        ? tf.ones([T, T])
        : o.mask === "future"
          ? tf.linalg.bandPart(tf.ones([T, T]), 0, -1)
          : o.mask === "strict"
            ? tf.sub(lower, tf.eye(T))
            : lower;
    let w: tf.Tensor;
    if (o.maskAfter) w = tf.mul(tf.softmax(scores), keep);
    else {
      const masked = tf.add(scores, tf.mul(tf.sub(1, keep), -1e9));
      w = o.axis0 ? tf.transpose(tf.softmax(tf.transpose(masked))) : tf.softmax(masked);
    }
    return (o.noV ? w : tf.matMul(w, v)) as tf.Tensor2D;
  };
}

describe("checkCausalAttention", () => {
  it("passes the reference", () => {
    expect(checkCausalAttention(attention())).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ causal attention/));
  });
  it.each([
    [{ mask: "none" as const }, /no causal mask/],
    [{ scale: "none" as const }, /missing 1\/√d scaling/],
    [{ scale: "d" as const }, /divided by d instead of √d/],
    [{ mask: "future" as const }, /mask is on the wrong side/],
    [{ maskAfter: true }, /masked after the softmax/],
    [{ axis0: true }, /softmax over the wrong axis/],
    [{ noV: true }, /attention weights; multiply them by v/],
  ])("names the mistake %o", (bug, message) => {
    expect(() => checkCausalAttention(attention(bug))).toThrow(message);
  });
  it("names the first wrong element with expected and got", () => {
    expect(() => checkCausalAttention(attention({ scale: "none" }))).toThrow(/output\[\d+\]\[\d+\] is -?\d+\.\d+, expected -?\d+\.\d+/);
  });
  it("a mask that hides the diagonal is caught", () => {
    expect(() => checkCausalAttention(attention({ mask: "strict" }))).toThrow(/hides the diagonal|NaN/);
  });
});

type Ln = (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor2D;
function layerNorm(o: { eps?: number; unbiased?: boolean; noSqrt?: boolean; axis?: number; noGamma?: boolean; noBeta?: boolean; swap?: boolean } = {}): Ln {
  return (x, g, b) => {
    const axis = o.axis ?? -1;
    const C = x.shape[axis === 0 ? 0 : 1];
    const mean = tf.mean(x, axis, true);
    const ss = tf.sum(tf.square(tf.sub(x, mean)), axis, true);
    const variance = tf.div(ss, o.unbiased ? C - 1 : C);
    const v = tf.add(variance, o.eps ?? 1e-5);
    const xhat = tf.div(tf.sub(x, mean), o.noSqrt ? v : tf.sqrt(v));
    const [gg, bb] = o.swap ? [b, g] : [g, b];
    const scaled = o.noGamma ? xhat : tf.mul(xhat, gg);
    return (o.noBeta ? scaled : tf.add(scaled, bb)) as tf.Tensor2D;
  };
}

describe("checkLayerNorm", () => {
  it("passes the reference", () => {
    expect(checkLayerNorm(layerNorm())).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ LayerNorm/));
  });
  it.each([
    [{ unbiased: true }, /divided by C − 1/],
    [{ noSqrt: true }, /instead of its square root/],
    [{ axis: 0 }, /normalised each column/],
    [{ noGamma: true }, /gamma \(the learned scale\) is missing/],
    [{ noBeta: true }, /beta \(the learned shift\) is missing/],
    [{ swap: true }, /gamma and beta are swapped/],
    [{ eps: 0 }, /constant last row gives NaN/],
  ])("names the mistake %o", (bug, message) => {
    expect(() => checkLayerNorm(layerNorm(bug))).toThrow(message);
  });
});

type Rms = (x: tf.Tensor2D, g: tf.Tensor1D) => tf.Tensor2D;
/** RMSNorm as a learner would write it, with switches for the usual mistakes. */
function rmsNorm(o: { eps?: number; subtractMean?: boolean; noSqrt?: boolean; axis?: number; noGamma?: boolean; sum?: boolean } = {}): Rms {
  return (x, g) => {
    const axis = o.axis ?? -1;
    const centred = o.subtractMean ? tf.sub(x, tf.mean(x, axis, true)) : x;
    const ms = o.sum ? tf.sum(tf.square(centred), axis, true) : tf.mean(tf.square(centred), axis, true);
    const eps = o.eps ?? 1e-5;
    const denom = o.noSqrt ? tf.add(ms, eps) : tf.sqrt(tf.add(ms, eps));
    const h = tf.div(centred, denom);
    return (o.noGamma ? h : tf.mul(h, g)) as tf.Tensor2D;
  };
}

describe("checkRmsNorm", () => {
  it("passes the reference", () => {
    expect(checkRmsNorm(rmsNorm())).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ RMSNorm/));
  });
  it.each([
    [{ subtractMean: true }, /the mean was subtracted: that is LayerNorm/],
    [{ noSqrt: true }, /divided by the mean square instead of its square root/],
    [{ sum: true }, /the sum of squares instead of their mean/],
    [{ axis: 0 }, /normalised each column/],
    [{ noGamma: true }, /gamma \(the learned scale\) is missing/],
    [{ eps: 0 }, /row of zeros gives NaN/],
  ])("names the mistake %o", (bug, message) => {
    expect(() => checkRmsNorm(rmsNorm(bug))).toThrow(message);
  });
  it("names the element and the expected value", () => {
    expect(() => checkRmsNorm(rmsNorm({ noGamma: true }))).toThrow(/^RMSNorm: output\[0\]\[\d\] is -?[\d.]+, expected -?[\d.]+\. Likely cause/);
  });
});

type Ffn = (x: tf.Tensor2D, w1: tf.Tensor2D, w3: tf.Tensor2D, w2: tf.Tensor2D) => tf.Tensor2D;
/** SwiGLU as a learner would write it, with switches for the usual mistakes. */
function swiGlu(o: { gate?: "silu" | "sigmoid" | "relu"; swap?: boolean; add?: boolean; noGate?: boolean; noW2?: boolean } = {}): Ffn {
  return (x, w1, w3, w2) => {
    const [a, b] = o.swap ? [tf.matMul(x, w3), tf.matMul(x, w1)] : [tf.matMul(x, w1), tf.matMul(x, w3)];
    const act = o.gate === "sigmoid" ? tf.sigmoid(a) : o.gate === "relu" ? tf.relu(a) : tf.mul(a, tf.sigmoid(a));
    const h = o.noGate ? act : o.add ? tf.add(act, b) : tf.mul(act, b);
    return (o.noW2 ? h : tf.matMul(h, w2)) as tf.Tensor2D;
  };
}

describe("checkSwiGlu", () => {
  it("passes the reference", () => {
    expect(checkSwiGlu(swiGlu())).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ SwiGLU/));
  });
  it.each([
    [{ gate: "sigmoid" as const }, /plain sigmoid .*GLU/],
    [{ gate: "relu" as const }, /ReGLU/],
    [{ swap: true }, /branches are swapped/],
    [{ add: true }, /branches are added/],
    [{ noGate: true }, /the gate is missing/],
  ])("names the mistake %o", (bug, message) => {
    expect(() => checkSwiGlu(swiGlu(bug))).toThrow(message);
  });
  it("says what shape it expected when W2 is left out", () => {
    expect(() => checkSwiGlu(swiGlu({ noW2: true }))).toThrow("the output has shape [4, 10], expected [4, 6]");
  });
});

function topP(o: { noRenorm?: boolean; excludeCrossing?: boolean; indexOrder?: boolean; short?: boolean } = {}) {
  return (probs: number[], p: number): number[] => {
    const order = probs.map((_, i) => i);
    if (!o.indexOrder) order.sort((a, b) => probs[b] - probs[a]);
    const keep = new Array<boolean>(probs.length).fill(false);
    let mass = 0;
    for (const i of order) {
      if (o.excludeCrossing && mass > 0 && mass + probs[i] >= p) break;
      keep[i] = true;
      mass += probs[i];
      if (mass >= p) break;
    }
    const out = probs.map((q, i) => (keep[i] ? (o.noRenorm ? q : q / mass) : 0));
    return o.short ? out.filter((q) => q > 0) : out;
  };
}

describe("checkTopP", () => {
  it("passes the reference", () => {
    expect(checkTopP(topP())).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ top-p/));
  });
  it.each([
    [{ noRenorm: true }, /not renormalised/],
    [{ excludeCrossing: true }, /one token too few/],
    [{ indexOrder: true }, /index order/],
    [{ short: true }, /return one probability per token/],
  ])("names the mistake %o", (bug, message) => {
    expect(() => checkTopP(topP(bug))).toThrow(message);
  });
  it("names the token, expected and got", () => {
    expect(() => checkTopP(topP({ noRenorm: true }))).toThrow(/token \d+ has \d\.\d+, expected \d\.\d+/);
  });
});

describe("compareAcrossSeeds", () => {
  it("a difference inside the seed noise is no measurable difference", () => {
    const r = compareAcrossSeeds([2.0, 2.1, 1.95], [2.02, 2.05, 1.99], ["GELU", "ReLU"]);
    expect(r.conclusion).toMatch(/no measurable difference with 3 seeds/);
    expect(r.tCritical).toBeCloseTo(4.303);
  });
  it("a steady difference is measurable and names the better variant", () => {
    const r = compareAcrossSeeds([2.0, 2.1, 1.95, 2.05], [2.1, 2.21, 2.04, 2.16], ["GELU", "ReLU"]);
    expect(r.meanDiff).toBeCloseTo(0.1025, 6);
    expect(r.conclusion).toMatch(/GELU is measurably better/);
  });
  it("two seeds need a large t (1 degree of freedom)", () => {
    expect(compareAcrossSeeds([2.0, 2.1], [1.92, 2.0]).conclusion).toMatch(/no measurable difference/);
  });
  it("validates its input", () => {
    expect(() => compareAcrossSeeds([2], [2])).toThrow(/at least 2 seeds/);
    expect(() => compareAcrossSeeds([2, 2], [2])).toThrow(/same seeds/);
    expect(() => compareAcrossSeeds([2, NaN], [2, 2], ["GELU", "ReLU"])).toThrow(/GELU\[1\] must be a finite val loss/);
  });
});
