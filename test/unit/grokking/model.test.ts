import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeModularSplit } from "../../../kernel-lib/src/grokking/data";
import { disposeModMlp, initModMlp, modMlpEvaluate, modMlpLogits, weightNorm } from "../../../kernel-lib/src/grokking/mlp";
import { evaluateGrok, isEvalStep, mlpGrokModel, trainGrok, transformerGrokModel } from "../../../kernel-lib/src/grokking/train";
import { disposeModTransformer, initModTransformer, modTransformerLogits, type ModTransformerConfig } from "../../../kernel-lib/src/grokking/transformer";
import { registerMissingKernels } from "../../../kernel-lib/src/tf/register";
import { useWasm } from "../gpt/backend";

beforeAll(async () => {
  await useWasm();
  registerMissingKernels(); // the embedding's gradient (UnsortedSegmentSum) on wasm
});

describe("the grokking MLP", () => {
  it("starts from PyTorch's default initialisation, the same for the same seed", () => {
    const w = initModMlp({ p: 53, embed: 128, hidden: 128 }, 0);
    expect(w.E.shape).toEqual([53, 128]);
    expect(w.W1.shape).toEqual([256, 128]);
    expect(w.W2.shape).toEqual([128, 53]);
    const e = Array.from(w.E.dataSync() as Float32Array);
    const std = Math.sqrt(e.reduce((s, v) => s + v * v, 0) / e.length);
    expect(std).toBeGreaterThan(0.95);
    expect(std).toBeLessThan(1.05);
    expect(Math.max(...Array.from(w.W1.dataSync(), Math.abs))).toBeLessThanOrEqual(1 / 16);
    // The PyTorch re-implementation starts at a weight norm of 82.7 (same shapes).
    expect(weightNorm([w.E, w.W1, w.b1, w.W2, w.b2])).toBeGreaterThan(80);
    expect(weightNorm([w.E, w.W1, w.b1, w.W2, w.b2])).toBeLessThan(86);
    const again = initModMlp({ p: 53, embed: 128, hidden: 128 }, 0);
    expect(Array.from(again.W2.dataSync())).toEqual(Array.from(w.W2.dataSync()));
    disposeModMlp(w);
    disposeModMlp(again);
    expect(() => initModMlp({ p: 5, embed: 0, hidden: 3 }, 0)).toThrow(/embed must be an integer >= 1/);
  });

  it("computes relu([E[a], E[b]]·W1 + b1)·W2 + b2", () => {
    const w = initModMlp({ p: 5, embed: 3, hidden: 4 }, 1);
    const E = w.E.arraySync() as number[][];
    const W1 = w.W1.arraySync() as number[][];
    const b1 = w.b1.arraySync() as number[];
    const W2 = w.W2.arraySync() as number[][];
    const b2 = w.b2.arraySync() as number[];
    const logits = modMlpLogits(w, Int32Array.from([2]), Int32Array.from([4])).arraySync()[0];
    const x = [...E[2], ...E[4]];
    const h = b1.map((b, j) => Math.max(0, b + x.reduce((s, xi, i) => s + xi * W1[i][j], 0)));
    b2.forEach((b, c) => expect(logits[c]).toBeCloseTo(b + h.reduce((s, hj, j) => s + hj * W2[j][c], 0), 5));
    disposeModMlp(w);
  });
});

describe("trainGrok", () => {
  it("evaluates at 0, powers of two and every evalEvery steps", () => {
    expect([0, 1, 2, 3, 4, 8, 10, 16, 20, 25].filter((s) => isEvalStep(s, 10))).toEqual([0, 1, 2, 4, 8, 10, 20]);
  });

  it("memorises a small table full batch and reports what it measured", async () => {
    const split = makeModularSplit(11, 0.6, 0);
    const w = initModMlp({ p: 11, embed: 16, hidden: 32 }, 0);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const run = await trainGrok(w, split, { steps: 60, learningRate: 3e-2, weightDecay: 0.1, evalEvery: 20, onEval: (e) => seen.push(e.step) });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([0, 1, 2, 4, 8, 16, 20, 40, 60]);
    expect(run.steps).toBe(60);
    const last = run.evals[run.evals.length - 1];
    expect(last.trainAcc).toBe(1);
    expect(last).toEqual(evaluateGrok(mlpGrokModel(w), split, 60));
    expect(modMlpEvaluate(w, split.train).accuracy).toBe(1);
    expect(last.gini).toBeGreaterThan(0);
    disposeModMlp(w);
  });

  it("stops once validation stays above the target", async () => {
    const split = makeModularSplit(7, 0.5, 0);
    const w = initModMlp({ p: 7, embed: 8, hidden: 8 }, 0);
    const run = await trainGrok(w, split, { steps: 50, learningRate: 3e-2, weightDecay: 0, evalEvery: 10, stopAtValAcc: 0, patience: 2 });
    expect(run.evals.map((e) => e.step)).toEqual([0, 1]);
    disposeModMlp(w);
  });
});

describe("the one-layer transformer", () => {
  it("gives the logits of the full causal model at the '=' position", () => {
    const c: ModTransformerConfig = { p: 5, dModel: 8, nHeads: 2, dMlp: 12 };
    const w = initModTransformer(c, 3);
    const get = (v: tf.Variable) => v.arraySync() as number[][];
    const [WE, Wpos, WQ, WK, WV, WO, Win, Wout, WU] = [w.W_E, w.W_pos, w.W_Q, w.W_K, w.W_V, w.W_O, w.W_in, w.W_out, w.W_U].map(get);
    const bin = w.b_in.arraySync() as number[];
    const bout = w.b_out.arraySync() as number[];
    const mv = (x: number[], W: number[][]) => W[0].map((_, j) => x.reduce((s, xi, i) => s + xi * W[i][j], 0));
    const a = Int32Array.from([1, 4, 0]);
    const b = Int32Array.from([3, 2, 0]);
    const got = modTransformerLogits(w, c, a, b).arraySync();
    for (let n = 0; n < a.length; n++) {
      const xs = [a[n], b[n], c.p].map((tok, t) => WE[tok].map((v, j) => v + Wpos[t][j]));
      const q = mv(xs[2], WQ);
      const ks = xs.map((x) => mv(x, WK));
      const vs = xs.map((x) => mv(x, WV));
      const dh = c.dModel / c.nHeads;
      const z = new Array(c.dModel).fill(0);
      for (let h = 0; h < c.nHeads; h++) {
        const sl = (u: number[]) => u.slice(h * dh, (h + 1) * dh);
        const s = ks.map((k) => sl(k).reduce((acc, kv, i) => acc + kv * sl(q)[i], 0) / Math.sqrt(dh));
        const m = Math.max(...s);
        const e = s.map((x) => Math.exp(x - m));
        const att = e.map((x) => x / e.reduce((u, v) => u + v, 0));
        for (let i = 0; i < dh; i++) z[h * dh + i] = att.reduce((acc, p, t) => acc + p * vs[t][h * dh + i], 0);
      }
      const resid = mv(z, WO).map((v, j) => v + xs[2][j]);
      const hidden = mv(resid, Win).map((v, j) => Math.max(0, v + bin[j]));
      const out = mv(hidden, Wout).map((v, j) => v + bout[j] + resid[j]);
      mv(out, WU).forEach((v, j) => expect(got[n][j]).toBeCloseTo(v, 4));
    }
    expect(() => initModTransformer({ ...c, nHeads: 3 }, 0)).toThrow(/multiple of nHeads/);
    disposeModTransformer(w);
  });

  it("trains with warmup through the same loop", async () => {
    const c: ModTransformerConfig = { p: 7, dModel: 16, nHeads: 2, dMlp: 32 };
    const w = initModTransformer(c, 0);
    const split = makeModularSplit(7, 0.5, 0);
    const run = await trainGrok(transformerGrokModel(w, c), split, { steps: 40, learningRate: 1e-2, weightDecay: 1, beta2: 0.98, warmup: 10, evalEvery: 20 });
    // Step 0 has learning rate 0 (lr·min(0/10, 1)): only the weights' decay by lr·λ = 0 — nothing moves.
    expect(run.evals[1].trainLoss).toBeCloseTo(run.evals[0].trainLoss, 6);
    expect(run.evals[run.evals.length - 1].trainLoss).toBeLessThan(run.evals[0].trainLoss - 0.5);
    disposeModTransformer(w);
  });
});

describe("trainGrokLive", () => {
  it("outside a kernel trains exactly as trainGrok does", async () => {
    const { trainGrokLive } = await import("../../../kernel-lib/src/lessons/07-grokking/live");
    const split = makeModularSplit(7, 0.5, 1);
    const o = { steps: 12, learningRate: 3e-2, weightDecay: 0.3, evalEvery: 4 };
    const a = initModMlp({ p: 7, embed: 8, hidden: 8 }, 2);
    const b = initModMlp({ p: 7, embed: 8, hidden: 8 }, 2);
    const seen: number[] = [];
    const live = await trainGrokLive(a, split, { ...o, onEval: (e) => seen.push(e.step) }, "test");
    const plain = await trainGrok(b, split, o);
    expect(live.evals).toEqual(plain.evals);
    expect(seen).toEqual([0, 1, 2, 4, 8, 12]);
    disposeModMlp(a);
    disposeModMlp(b);
  });
});
