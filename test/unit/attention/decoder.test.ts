import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TinyDecoder } from "../../../kernel-lib/src/attention";
import { useBackend } from "./helpers";

beforeAll(useBackend);

describe("TinyDecoder generation with and without the KV cache", () => {
  for (const [name, nKvHead] of [
    ["MHA", 4],
    ["GQA", 2],
    ["MQA", 1],
  ] as const) {
    it(`${name}: the same tokens and the same logits (≤ 1e-5) at every step, no leaked tensors`, async () => {
      const model = new TinyDecoder({ vocabSize: 40, dModel: 32, nLayer: 2, nHead: 4, nKvHead, seed: 11 });
      expect(model.paramCount()).toBe(model.variables.reduce((a, v) => a + v.size, 0));
      const w = model.weights; // the same variables, by role
      const byRole = [w.embed, ...w.layers.flatMap((l) => l.variables), ...w.mlpIn, ...w.mlpOut, w.head];
      expect(byRole.map((v) => v.id)).toEqual(model.variables.map((v) => v.id));
      const before = tf.memory().numTensors;
      const cached = await model.generate([3, 1, 4, 1, 5], 12, { useCache: true, keepLogits: true });
      expect(tf.memory().numTensors).toBe(before);
      const pre = await model.generate([3, 1, 4, 1, 5], 12, { useCache: true, strategy: "preallocated", keepLogits: true });
      const plain = await model.generate([3, 1, 4, 1, 5], 12, { useCache: false, keepLogits: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(cached.tokens).toEqual(plain.tokens);
      expect(pre.tokens).toEqual(plain.tokens);
      expect(new Set(plain.tokens.slice(5)).size).toBeGreaterThan(1); // not a degenerate constant stream
      for (let step = 0; step < 12; step++) {
        let diff = 0;
        plain.stepLogits![step].forEach((x, j) => {
          diff = Math.max(diff, Math.abs(x - cached.stepLogits![step][j]), Math.abs(x - pre.stepLogits![step][j]));
        });
        expect(diff, `step ${step}`).toBeLessThanOrEqual(1e-5);
      }
      model.dispose();
    });
  }

  it("rejects bad tokens and cache lists", () => {
    const model = new TinyDecoder({ vocabSize: 10, dModel: 8, nLayer: 1, nHead: 2 });
    expect(() => model.logits([[1, 10]])).toThrow(/integer ids in \[0, 10\)/);
    expect(() => model.logits([[1]], [])).toThrow(/one cache per layer \(1\), got 0/);
    model.dispose();
  });
});
