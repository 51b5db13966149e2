import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { KVCache, MultiHeadAttention, attentionParamCount, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { maxAbsDiff, randn, useBackend } from "./helpers";

beforeAll(useBackend);

const KINDS = [
  { name: "MHA", nKvHead: 4 },
  { name: "GQA", nKvHead: 2 },
  { name: "MQA", nKvHead: 1 },
];

describe("MultiHeadAttention", () => {
  it("parameter count matches the variables and the formula", () => {
    for (const { nKvHead } of KINDS) {
      for (const bias of [false, true]) {
        const m = new MultiHeadAttention({ dModel: 32, nHead: 4, nKvHead, bias });
        const counted = m.variables.reduce((a, v) => a + v.size, 0);
        expect(m.paramCount()).toBe(counted);
        expect(counted).toBe(2 * 32 * 32 + 2 * 32 * nKvHead * 8 + (bias ? 32 + 2 * nKvHead * 8 + 32 : 0));
        m.dispose();
      }
    }
    expect(attentionParamCount({ dModel: 8192, nHead: 64, nKvHead: 8 })).toBe(2 * 8192 * 8192 + 2 * 8192 * 1024);
  });

  it("rejects nHead not divisible by nKvHead, and x of the wrong shape, naming values", () => {
    expect(() => new MultiHeadAttention({ dModel: 24, nHead: 6, nKvHead: 4 })).toThrow(/nHead \(6\) must be divisible by nKvHead \(4\)/);
    expect(() => new MultiHeadAttention({ dModel: 30, nHead: 4 })).toThrow(/dModel \(30\) must be divisible by nHead \(4\)/);
    expect(() => new MultiHeadAttention({ dModel: 12, nHead: 4, rope: true })).toThrow(/even headDim, got headDim 3/);
    const m = new MultiHeadAttention({ dModel: 16, nHead: 4 });
    expect(() => m.apply(randn([1, 3, 8], 1))).toThrow(/x must be \[batch, seq, dModel=16\], got shape \[1,3,8\]/);
    m.dispose();
  });

  it("weights are deterministic for a seed and differ across seeds", () => {
    const a = new MultiHeadAttention({ dModel: 16, nHead: 4, seed: 7 });
    const b = new MultiHeadAttention({ dModel: 16, nHead: 4, seed: 7 });
    const c = new MultiHeadAttention({ dModel: 16, nHead: 4, seed: 8 });
    expect(maxAbsDiff(a.weights.wq, b.weights.wq)).toBe(0);
    expect(maxAbsDiff(a.weights.wo, c.weights.wo)).toBeGreaterThan(0);
    [a, b, c].forEach((m) => m.dispose());
  });

  it("query head h uses kv head floor(h / (nHead / nKvHead))", () => {
    const m = new MultiHeadAttention({ dModel: 16, nHead: 4, nKvHead: 2, initStd: 0.5 });
    const x = randn([1, 5, 16], 2);
    const { q, k, v } = m.qkv(x);
    const w = m.attentionWeights(x).arraySync() as number[][][][];
    for (let h = 0; h < 4; h++) {
      const kvh = Math.floor(h / 2);
      const ref = scaledDotProductAttention(q.slice([0, h, 0, 0], [1, 1, 5, 4]), k.slice([0, kvh, 0, 0], [1, 1, 5, 4]), v.slice([0, kvh, 0, 0], [1, 1, 5, 4]), {
        causal: true,
        returnWeights: true,
      });
      expect(maxAbsDiff(tf.tensor(w[0][h]), ref.weights!.reshape([5, 5]))).toBeLessThan(1e-6);
    }
    m.dispose();
  });

  for (const { name, nKvHead } of KINDS) {
    for (const strategy of ["concat", "preallocated"] as const) {
      it(`${name} + RoPE, ${strategy} cache: decoding one token at a time gives the uncached outputs (≤ 1e-5) at every step, no leaks`, () => {
        const m = new MultiHeadAttention({ dModel: 32, nHead: 4, nKvHead, rope: { pairing: "half" }, initStd: 0.3, seed: 3 });
        const x = randn([2, 9, 32], 4);
        const full = m.apply(x);
        const cache = new KVCache({ strategy, capacity: 4 });
        // a 3-token prompt first (chunked prefill), then single tokens
        let start = 0;
        const before = tf.memory().numTensors;
        for (const t of [3, 1, 1, 1, 1, 1, 1]) {
          const diff = tf.tidy(() => maxAbsDiff(m.apply(x.slice([0, start, 0], [2, t, 32]), { cache }), full.slice([0, start, 0], [2, t, 32])));
          expect(diff).toBeLessThan(1e-5);
          start += t;
          expect(tf.memory().numTensors - before).toBe(2); // the cache's keys and values, nothing else
        }
        expect(cache.length).toBe(9);
        expect(cache.bytes()).toBe(2 * 4 * 2 * nKvHead * 9 * 8);
        cache.dispose();
        expect(tf.memory().numTensors).toBe(before);
        m.dispose();
      });
    }
  }

  it("trains: gradients reach every variable under variableGrads and a few Adam steps lower the loss", () => {
    const m = new MultiHeadAttention({ dModel: 16, nHead: 4, nKvHead: 2, bias: true, rope: true, dropout: 0.1, seed: 5 });
    const x = randn([2, 6, 16], 6);
    const target = randn([2, 6, 16], 7);
    const loss = () => tf.losses.meanSquaredError(target, m.apply(x, { training: true })) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, m.variables);
    expect(Object.keys(grads)).toHaveLength(8);
    for (const g of Object.values(grads)) expect(g.abs().sum().dataSync()[0]).toBeGreaterThan(0);
    value.dispose();
    tf.dispose(grads);
    const opt = tf.train.adam(0.01);
    const evalLoss = () => tf.tidy(() => tf.losses.meanSquaredError(target, m.apply(x)).dataSync()[0]);
    const first = evalLoss();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) opt.minimize(loss, false, m.variables);
    const afterSteps = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.minimize(loss, false, m.variables);
    expect(tf.memory().numTensors).toBe(afterSteps);
    expect(afterSteps - before).toBeLessThanOrEqual(16); // Adam's two moments per variable, created once
    expect(evalLoss()).toBeLessThan(first * 0.9);
    opt.dispose();
    m.dispose();
  });

  it("dropout acts only in training", () => {
    const m = new MultiHeadAttention({ dModel: 16, nHead: 2, dropout: 0.5, initStd: 0.5 });
    const x = randn([1, 6, 16], 8);
    expect(maxAbsDiff(m.apply(x), m.apply(x))).toBe(0);
    expect(maxAbsDiff(m.apply(x, { training: true, dropoutSeed: 1 }), m.apply(x))).toBeGreaterThan(1e-4);
    m.dispose();
  });
});

describe("KVCache", () => {
  it("rejects appends that do not match, naming the shapes", () => {
    const c = new KVCache();
    c.append(tf.zeros([1, 2, 3, 4]), tf.zeros([1, 2, 3, 4]));
    expect(() => c.append(tf.zeros([1, 1, 1, 4]), tf.zeros([1, 1, 1, 4]))).toThrow(/\[1,1,1,4\].*do not match the cache \[1,2,3,4\]/);
    expect(() => c.append(tf.zeros([1, 2, 1, 4]), tf.zeros([1, 2, 2, 4]))).toThrow(/differ in batch, heads or length/);
    expect(() => new KVCache({ strategy: "ring" as "concat" })).toThrow(/strategy/);
    c.dispose();
  });

  it("both strategies hold the same keys and values", () => {
    const a = new KVCache();
    const b = new KVCache({ strategy: "preallocated", capacity: 2 });
    for (let i = 0; i < 5; i++) {
      const k = randn([2, 3, 1 + (i % 2), 4], 10 + i);
      const v = randn([2, 3, 1 + (i % 2), 6], 20 + i);
      a.append(k, v);
      b.append(k, v);
    }
    expect(a.length).toBe(7);
    expect(maxAbsDiff(a.keys!, b.keys!)).toBe(0);
    expect(maxAbsDiff(a.values!, b.values!)).toBe(0);
    a.dispose();
    b.dispose();
  });
});

describe("disposal", () => {
  it("dispose() frees every tensor a layer created", () => {
    const before = tf.memory().numTensors;
    const m = new MultiHeadAttention({ dModel: 16, nHead: 4, nKvHead: 2, bias: true });
    expect(tf.memory().numTensors - before).toBe(8);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
