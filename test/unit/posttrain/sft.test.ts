import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { crossEntropy } from "../../../kernel-lib/src/gpt/ops";
import { sequenceLogProbs } from "../../../kernel-lib/src/posttrain/logprob";
import { buildSftBatch, maskedCrossEntropy, sftLoss } from "../../../kernel-lib/src/posttrain/sft";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);

describe("buildSftBatch", () => {
  it("lays out prompt + response, shifts targets and mask by one, right-pads", () => {
    const b = buildSftBatch(
      [
        { prompt: [5, 6, 7], response: [8, 9] },
        { prompt: [5], response: [4] },
      ],
      0,
    );
    expect(b.seq).toBe(4);
    expect(Array.from(b.x)).toEqual([5, 6, 7, 8, /**/ 5, 0, 0, 0]);
    expect(Array.from(b.y)).toEqual([6, 7, 8, 9, /**/ 4, 0, 0, 0]);
    // Row 0: targets 6, 7 are prompt; 8, 9 response. Row 1: target 4 is the response; the rest padding.
    expect(Array.from(b.mask)).toEqual([0, 0, 1, 1, /**/ 1, 0, 0, 0]);
    expect(b.lengths).toEqual([5, 2]);
    expect(b.promptLengths).toEqual([3, 1]);
  });

  it("refuses empty prompts and responses", () => {
    expect(() => buildSftBatch([{ prompt: [], response: [1] }])).toThrow(/empty prompt/);
    expect(() => buildSftBatch([{ prompt: [1], response: [] }])).toThrow(/empty response/);
    expect(() => buildSftBatch([])).toThrow(/at least one/);
  });

  it("masks exactly the response tokens, for any lengths", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.integer({ min: 1, max: 6 }), r: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 5 }), (rows) => {
        const b = buildSftBatch(rows.map(({ p, r }) => ({ prompt: Array(p).fill(1), response: Array(r).fill(2) })));
        return rows.every(({ r }, i) => {
          const m = Array.from(b.mask.subarray(i * b.seq, (i + 1) * b.seq));
          const y = Array.from(b.y.subarray(i * b.seq, (i + 1) * b.seq));
          return m.reduce((a, v) => a + v, 0) === r && m.every((v, t) => (v === 1) === (y[t] === 2 && t < b.lengths[i] - 1));
        });
      }),
      { numRuns: 50, seed: 1 },
    );
  });
});

describe("maskedCrossEntropy and sequence log-probs", () => {
  const rng = () => tf.randomNormal([6, 5], 0, 2, "float32", 3) as tf.Tensor2D;

  it("equals the plain cross-entropy when every target counts, and ignores masked rows", () => {
    const logits = rng();
    const y = Int32Array.from([0, 1, 2, 3, 4, 0]);
    expect(maskedCrossEntropy(logits, y, new Float32Array(6).fill(1)).dataSync()[0]).toBeCloseTo(crossEntropy(logits, y).dataSync()[0], 5);
    const mask = Float32Array.from([0, 0, 1, 1, 0, 1]);
    const scrambled = tf.add(logits, tf.mul(tf.randomNormal([6, 5], 0, 10, "float32", 9), tf.reshape(tf.sub(1, tf.tensor1d(mask)), [6, 1]))) as tf.Tensor2D;
    expect(maskedCrossEntropy(scrambled, y, mask).dataSync()[0]).toBeCloseTo(maskedCrossEntropy(logits, y, mask).dataSync()[0], 5);
    const g = tf
      .grad((l: tf.Tensor) => maskedCrossEntropy(l as tf.Tensor2D, y, mask))(logits)
      .arraySync() as number[][];
    for (const row of [0, 1, 4]) expect(g[row].every((v) => v === 0)).toBe(true);
    expect(() => maskedCrossEntropy(logits, y, new Float32Array(6))).toThrow(/selects no target/);
  });

  it("sequenceLogProbs is minus the masked loss times the response length, row by row", () => {
    const model = createGpt({ vocabSize: 11, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 2 });
    const examples = [
      { prompt: [1, 2, 3], response: [4, 5, 6] },
      { prompt: [7, 8], response: [9, 10] },
    ];
    const batch = buildSftBatch(examples);
    const lp = Array.from(sequenceLogProbs(model, batch).dataSync());
    examples.forEach((e, i) => {
      const single = buildSftBatch([e]);
      expect(lp[i]).toBeCloseTo(-sftLoss(model, single).dataSync()[0] * e.response.length, 4);
    });
    const avg = Array.from(sequenceLogProbs(model, batch, { average: true }).dataSync());
    expect(avg[0]).toBeCloseTo(lp[0] / 3, 5);
    expect(avg[1]).toBeCloseTo(lp[1] / 2, 5);
    expect(lp.every((v) => v < 0)).toBe(true);
    model.dispose();
  });
});
