import { beforeAll, describe, expect, it } from "vitest";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { generate } from "../../../kernel-lib/src/gpt/sample";
import { generateBatch } from "../../../kernel-lib/src/posttrain/generate";
import { FineTuner } from "../../../kernel-lib/src/posttrain/step";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);

describe("generateBatch", () => {
  it("greedy answers of a padded batch equal one-at-a-time greedy generation", async () => {
    const model = createGpt({ vocabSize: 10, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 }, { seed: 7 });
    const prompts = [[1, 2, 3, 4, 5], [6], [7, 8, 9]];
    const batched = generateBatch(model, prompts, { maxNewTokens: 6, greedy: true, chunk: 2 });
    for (let i = 0; i < prompts.length; i++) expect(batched[i]).toEqual(await generate(model, prompts[i], { maxNewTokens: 6, greedy: true }));
    model.dispose();
  });

  it("stops each row at stopId (kept) and is reproducible with a seed", () => {
    const model = createGpt({ vocabSize: 6, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 8 }, { seed: 8 });
    const a = generateBatch(model, [[1], [2], [3]], { maxNewTokens: 8, temperature: 1, stopId: 5, seed: 3 });
    const b = generateBatch(model, [[1], [2], [3]], { maxNewTokens: 8, temperature: 1, stopId: 5, seed: 3 });
    expect(a).toEqual(b);
    for (const row of a) {
      expect(row.length).toBeLessThanOrEqual(8);
      const stop = row.indexOf(5);
      if (stop >= 0) expect(stop).toBe(row.length - 1);
    }
    expect(generateBatch(model, [[1]], { maxNewTokens: 0 })).toEqual([[]]);
    model.dispose();
  });

  it("FineTuner refuses a non-finite loss and leaves the weights alone", () => {
    const model = createGpt({ vocabSize: 6, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 }, { seed: 9 });
    const tuner = new FineTuner(model.params, { learningRate: 1e-3, steps: 2 });
    const before = Float32Array.from(model.params[0].variable.dataSync());
    expect(() => tuner.step(() => model.params[0].variable.sum().mul(Number.NaN) as never)).toThrow(/weights were left unchanged/);
    expect(Array.from(model.params[0].variable.dataSync())).toEqual(Array.from(before));
    expect(() => new FineTuner(model.params, { learningRate: 0, steps: 1 })).toThrow(/learningRate/);
    tuner.dispose();
    model.dispose();
  });
});
