import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { causalSelfAttention } from "../../../kernel-lib/src/gpt/attention";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { useWasm } from "./backend";

beforeAll(useWasm);

function rand(shape: number[], seed: number): tf.Tensor {
  const r = makeRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()),
    shape,
  );
}

describe("causalSelfAttention", () => {
  it("is the attention module's causal scaledDotProductAttention (MHA and GQA, with dropout; without, the fused kernel to float rounding)", () => {
    for (const [h, hk, rate] of [
      [4, 4, 0],
      [4, 2, 0],
      [4, 1, 0.2],
    ]) {
      const q = rand([2, h, 5, 8], 4) as tf.Tensor4D;
      const k = rand([2, hk, 5, 8], 5) as tf.Tensor4D;
      const v = rand([2, hk, 5, 8], 6) as tf.Tensor4D;
      const got = causalSelfAttention(q, k, v, { dropout: rate, dropoutSeed: 7 });
      const want = scaledDotProductAttention(q, k, v, { causal: true, dropout: rate, dropoutSeed: 7 }).output;
      const [g, w] = [Array.from(got.dataSync()), Array.from(want.dataSync())];
      if (rate > 0) expect(g).toEqual(w);
      else g.forEach((x, i) => expect(Math.abs(x - w[i]), `element ${i}`).toBeLessThan(1e-6 * (1 + Math.abs(w[i]))));
    }
  });
});
