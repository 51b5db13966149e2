import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { causalMaskArray, kvCacheBytes, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { useBackend } from "./helpers";
import {
  ATTENTION_WEIGHTS_DATA,
  attendOne,
  checkAttentionWeights,
  checkKvCacheBytes,
  checkCachedCausalMask,
  checkRopeOffset,
  ropeScore,
} from "../../../kernel-lib/src/lessons/03-attention";

beforeAll(useBackend);

describe("exercise checkers accept the solution and reject wrong answers with a hint", () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});

  it("1: one query by hand (and it matches the matrix form)", () => {
    const { query, keys, values } = ATTENTION_WEIGHTS_DATA;
    const r = attendOne(query, keys, values);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const matrix = scaledDotProductAttention(
      tf.tensor4d(query, [1, 1, 1, 2]),
      tf.tensor4d(keys.flat(), [1, 1, 3, 2]),
      tf.tensor4d(values.flat(), [1, 1, 3, 2]),
    );
    expect(Array.from(matrix.output.dataSync())).toEqual(r.output.map((x) => expect.closeTo(x, 4)));
    expect(() => checkAttentionWeights(r.weights)).not.toThrow();
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ Weights by hand/));
    expect(() => checkAttentionWeights(attendOne(query, keys, values, 1).weights)).toThrow(/divide the scores by √d/);
    expect(() => checkAttentionWeights([1, 1, 1])).toThrow(/sum to 3/);
    expect(() => checkAttentionWeights([0.5, 0.5])).toThrow(/three finite numbers/);
  });

  it("2: Llama 2 70B KV cache", () => {
    expect(() => checkKvCacheBytes(kvCacheBytes({ nLayer: 80, nKvHead: 8, headDim: 128, bytesPerElement: 2 }, 4096))).not.toThrow();
    expect(() => checkKvCacheBytes(1_342_177_280)).not.toThrow();
    expect(() => checkKvCacheBytes(8 * 1_342_177_280)).toThrow(/64 query heads/);
    expect(() => checkKvCacheBytes(1_342_177_280 / 2)).toThrow(/both/);
    expect(() => checkKvCacheBytes(2 * 1_342_177_280)).toThrow(/2 bytes/);
  });

  it("3: bottom-right causal mask", () => {
    expect(() => checkCachedCausalMask(causalMaskArray(2, 5))).not.toThrow();
    expect(() =>
      checkCachedCausalMask([
        [true, false, false, false, false],
        [true, true, false, false, false],
      ]),
    ).toThrow(/top-left/);
    expect(() => checkCachedCausalMask([])).toThrow(/2 rows of 5/);
  });

  it("4: RoPE offset", () => {
    const q = [0.3, -1, 0.5, 2];
    const k = [1, 0.2, -0.7, 0.4];
    const target = ropeScore(q, k, 3, 0);
    const scores = Array.from({ length: 20 }, (_, n) => Math.abs(ropeScore(q, k, 10, n) - target));
    const best = scores.indexOf(Math.min(...scores));
    expect(best).toBe(7);
    expect(() => checkRopeOffset(best)).not.toThrow();
    expect(() => checkRopeOffset(13)).toThrow(/query minus key/);
  });
});
