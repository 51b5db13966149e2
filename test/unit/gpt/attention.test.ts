import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { causalSelfAttention } from "../../../kernel-lib/src/gpt/attention";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { batchMatMul } from "../../../kernel-lib/src/gpt/sliced-matmul";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { useWasm } from "./backend";

beforeAll(useWasm);

function rand(shape: number[], seed: number): tf.Tensor {
  const r = makeRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()), shape);
}
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe("wasm attention fast path", () => {
  it("batchMatMul equals tf.matMul, values and gradients", () => {
    const a = rand([5, 3, 4], 1) as tf.Tensor3D;
    const b = rand([5, 4, 6], 2) as tf.Tensor3D;
    expect(maxDiff(batchMatMul(a, b), tf.matMul(a, b))).toBeLessThan(1e-5);
    const w = rand([5, 3, 6], 3);
    const g1 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D), w)))([a, b]);
    const g2 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D), w)))([a, b]);
    g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-5));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      batchMatMul(a, b);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
  it("agrees with the attention module's scaledDotProductAttention (MHA and GQA, with dropout)", () => {
    for (const [h, hk, rate] of [[4, 4, 0], [4, 2, 0], [4, 1, 0.2]]) {
      const q = rand([2, h, 5, 8], 4) as tf.Tensor4D;
      const k = rand([2, hk, 5, 8], 5) as tf.Tensor4D;
      const v = rand([2, hk, 5, 8], 6) as tf.Tensor4D;
      const fast = causalSelfAttention(q, k, v, { dropout: rate, dropoutSeed: 7 });
      const ref = causalSelfAttention(q, k, v, { dropout: rate, dropoutSeed: 7, reference: true });
      expect(maxDiff(fast, ref)).toBeLessThan(1e-5);
      const loss = (ref: boolean) => (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => tf.sum(tf.sin(causalSelfAttention(qq as tf.Tensor4D, kk as tf.Tensor4D, vv as tf.Tensor4D, { dropout: rate, dropoutSeed: 7, reference: ref })));
      const g1 = tf.grads(loss(false))([q, k, v]);
      const g2 = tf.grads(loss(true))([q, k, v]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-4));
    }
  });
  it("a whole model gives the same loss either way", () => {
    const m = createGpt({ vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 16 }, { seed: 2 });
    const x = Int32Array.from({ length: 16 }, (_, i) => (i * 5) % 11);
    const y = Int32Array.from({ length: 16 }, (_, i) => (i * 3) % 11);
    const fast = m.loss(x, y, 2, 8).dataSync()[0];
    m.referenceAttention = true;
    expect(m.loss(x, y, 2, 8).dataSync()[0]).toBeCloseTo(fast, 5);
    m.dispose();
  });
});
