import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { crossEntropy, embedding, gelu, layerNorm, linear } from "../../../kernel-lib/src/gpt/ops";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { useWasm } from "./backend";

beforeAll(useWasm);

function rand(shape: number[], seed: number): tf.Tensor {
  const r = makeRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => r.normal()),
    shape,
  );
}
function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])));
}

describe("hand-written gradients agree with tfjs autodiff", () => {
  it("linear (with and without bias)", () => {
    const x = rand([5, 3], 1);
    const w = rand([3, 4], 2);
    const b = rand([4], 3);
    const f1 = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.sin(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)));
    const f2 = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.sin(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)));
    const g1 = tf.grads(f1)([x, w, b]);
    const g2 = tf.grads(f2)([x, w, b]);
    g1.forEach((g, i) => close(g, g2[i]));
    const h1 = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(linear(xx as tf.Tensor2D, ww as tf.Tensor2D))))([x, w]);
    const h2 = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D))))([x, w]);
    h1.forEach((g, i) => close(g, h2[i]));
  });
  it("cross-entropy equals tf.losses.softmaxCrossEntropy, value and gradient", () => {
    const z = rand([6, 5], 4);
    const t = Int32Array.from([0, 4, 2, 2, 1, 3]);
    const ref = (zz: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(t, "int32"), 5), zz);
    expect(crossEntropy(z as tf.Tensor2D, t).dataSync()[0]).toBeCloseTo(ref(z).dataSync()[0], 5);
    close(tf.grad((zz: tf.Tensor) => crossEntropy(zz as tf.Tensor2D, t))(z), tf.grad(ref)(z));
  });
  it("gelu matches x·Φ(x) and its gradient; known values", () => {
    const x = tf.tensor1d([-3, -1, 0, 0.5, 2]);
    expect(Array.from(gelu(x).dataSync()).map((v) => +v.toFixed(4))).toEqual([-0.004, -0.1587, 0, 0.3457, 1.9545]);
    const ref = (xx: tf.Tensor) => tf.sum(tf.mul(xx, tf.mul(tf.add(tf.erf(tf.div(xx, Math.SQRT2)), 1), 0.5)));
    close(tf.grad((xx: tf.Tensor) => tf.sum(gelu(xx)))(x), tf.grad(ref)(x), 1e-3);
  });
  it("embedding rows and scatter-add gradient (repeated ids add up)", () => {
    const table = rand([4, 3], 5) as tf.Tensor2D;
    const ids = Int32Array.from([2, 0, 2, 3]);
    close(embedding(table, ids), tf.gather(table, tf.tensor1d(ids, "int32")));
    const g = tf.grad((t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          embedding(t as tf.Tensor2D, ids),
          tf.tensor2d([
            [1, 1, 1],
            [2, 2, 2],
            [3, 3, 3],
            [4, 4, 4],
          ]),
        ),
      ),
    )(table);
    expect(Array.from(g.dataSync())).toEqual([2, 2, 2, 0, 0, 0, 4, 4, 4, 4, 4, 4]);
  });
  it("layerNorm: zero mean, unit variance per row", () => {
    const y = layerNorm(rand([3, 16], 6) as tf.Tensor2D, tf.ones([16]) as tf.Tensor1D, tf.zeros([16]) as tf.Tensor1D);
    const { mean, variance } = tf.moments(y, 1);
    for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
  });
});

describe("CPU-side fused LayerNorm and GELU match the composite formulas", () => {
  it("layerNorm value and gradients (with and without beta)", () => {
    const x = rand([4, 8], 11) as tf.Tensor2D;
    const g = rand([8], 12) as tf.Tensor1D;
    const b = rand([8], 13) as tf.Tensor1D;
    const w = rand([4, 8], 14);
    const ref = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const { mean, variance } = tf.moments(xx, 1, true);
      return tf.sum(tf.mul(tf.add(tf.mul(tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, 1e-5))), gg), bb), w));
    };
    const mine = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(layerNorm(xx as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D), w));
    expect(mine(x, g, b).dataSync()[0]).toBeCloseTo(ref(x, g, b).dataSync()[0], 4);
    const g1 = tf.grads(mine)([x, g, b]);
    const g2 = tf.grads(ref)([x, g, b]);
    g1.forEach((t, i) => close(t, g2[i], 1e-3));
    const noBeta = tf.grads((xx: tf.Tensor, gg: tf.Tensor) => tf.sum(tf.mul(layerNorm(xx as tf.Tensor2D, gg as tf.Tensor1D), w)))([x, g]);
    expect(noBeta.length).toBe(2);
    close(noBeta[0], g2[0], 1e-3);
  });
});
