/**
 * splitHeads / mergeHeads (gpt/heads.ts): the strided-copy kernels on the wasm backend against
 * the split + reshape + transpose they replace (run on the cpu backend), values and gradients,
 * for multi-head and grouped-query shapes; a head size that is not a multiple of 4 takes the ops.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { heapKernels } from "../../../kernel-lib/src/gpt/heap-kernels";
import { mergeHeads, splitHeads } from "../../../kernel-lib/src/gpt/heads";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { useWasm } from "./backend";

beforeAll(useWasm);
afterAll(useWasm);

/** A loss that weighs every element of q, k, v and of mergeHeads(q) differently. */
function pipeline(batch: number, seq: number, nHead: number, nKv: number) {
  return (qkv: tf.Tensor) => {
    const [q, k, v] = splitHeads(qkv as tf.Tensor2D, batch, seq, nHead, nKv);
    const merged = mergeHeads(q);
    const w = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.sin(tf.range(0, t.size).reshape(t.shape))));
    return { q, k, v, merged, loss: tf.addN([w(q), tf.mul(w(k), 2), tf.mul(w(v), 3), tf.mul(w(merged), 0.5)]) };
  };
}

async function compare(batch: number, seq: number, nHead: number, nKv: number, hd: number): Promise<void> {
  const rng = makeRng(batch * 100 + nKv);
  const width = (nHead + 2 * nKv) * hd;
  const data = Float32Array.from({ length: batch * seq * width }, () => rng.normal());
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor2d(data, [batch * seq, width]);
      const f = pipeline(batch, seq, nHead, nKv);
      const out = f(x);
      const grad = tf.grad((t: tf.Tensor) => f(t).loss)(x);
      return [out.q, out.k, out.v, out.merged, grad].map((t) => ({ shape: t.shape, data: t.dataSync().slice() }));
    });
  await tf.setBackend("wasm");
  const onWasm = run();
  await tf.setBackend("cpu");
  const onCpu = run();
  await tf.setBackend("wasm");
  expect(onWasm.map((t) => t.shape)).toEqual([[batch, nHead, seq, hd], [batch, nKv, seq, hd], [batch, nKv, seq, hd], [batch * seq, nHead * hd], [batch * seq, width]]);
  onWasm.forEach((t, i) => {
    expect(t.shape).toEqual(onCpu[i].shape);
    let worst = 0;
    for (let j = 0; j < t.data.length; j++) worst = Math.max(worst, Math.abs(t.data[j] - onCpu[i].data[j]));
    expect(worst).toBeLessThan(1e-5);
  });
}

describe("splitHeads and mergeHeads", () => {
  it("run as copy kernels on wasm", () => {
    expect(heapKernels()).not.toBeNull();
  });
  it("multi-head (4 heads of 8) agrees with the ops, values and gradient", () => compare(3, 5, 4, 4, 8));
  it("grouped-query (4 query heads, 2 kv heads of 4) agrees", () => compare(2, 7, 4, 2, 4));
  it("multi-query (6 query heads, 1 kv head of 12) agrees", () => compare(2, 3, 6, 1, 12));
  it("a head size of 6 (not a multiple of 4) takes the ops and agrees", () => compare(2, 4, 2, 1, 6));
  it("rejects a projection of the wrong width, naming the shapes", () => {
    expect(() => splitHeads(tf.zeros([6, 10]) as tf.Tensor2D, 2, 3, 2, 1)).toThrow(/qkv \[6,10\] does not hold 2·3 rows of 2 \+ 2·1 heads/);
  });
});
