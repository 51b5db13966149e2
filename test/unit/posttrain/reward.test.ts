import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { createRewardModel, padRows, bradleyTerryLoss } from "../../../kernel-lib/src/posttrain/reward";
import { FineTuner } from "../../../kernel-lib/src/posttrain/step";
import { groupAdvantages, klShapedRewards, reinforceLoss } from "../../../kernel-lib/src/posttrain/reinforce";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);
const cfg = { vocabSize: 12, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };

describe("reward model", () => {
  it("reads each sequence at its own last token: padding and batch-mates change nothing", () => {
    const rm = createRewardModel(createGpt(cfg, { seed: 1 }), { seed: 2 });
    const seqs = [
      [1, 2, 3, 4, 5, 6],
      [3, 4],
      [7, 8, 9],
    ];
    const together = Array.from(rm.scores(seqs).dataSync());
    seqs.forEach((s, i) => expect(together[i]).toBeCloseTo(rm.scores([s]).dataSync()[0], 5));
    expect(padRows([[1], [2, 3]], 9).ids).toEqual(Int32Array.from([1, 9, 2, 3]));
    rm.dispose();
  });

  it("learns a preference with the Bradley–Terry loss, and leaves the model it was copied from alone", () => {
    const base = createGpt(cfg, { seed: 1 });
    const before = base.params.map((p) => Float32Array.from(p.variable.dataSync()));
    const rm = createRewardModel(base, { seed: 2 });
    const chosen = [
      [1, 2, 3, 11],
      [4, 5, 11],
      [6, 7, 11],
    ];
    const rejected = [
      [1, 2, 3, 10],
      [4, 5, 10],
      [6, 7, 10],
    ];
    const tuner = new FineTuner(rm.params(), { learningRate: 1e-2, steps: 30 });
    const first = tuner.step(() => bradleyTerryLoss(rm.scores(chosen), rm.scores(rejected))).loss;
    expect(Math.abs(first - Math.LN2)).toBeLessThan(0.15); // a small random head: rewards near 0, loss near ln 2
    let last = first;
    for (let s = 0; s < 29; s++) last = tuner.step(() => bradleyTerryLoss(rm.scores(chosen), rm.scores(rejected))).loss;
    expect(last).toBeLessThan(0.1);
    const margins = tf.sub(rm.scores([[8, 9, 11]]), rm.scores([[8, 9, 10]])).dataSync()[0];
    expect(margins).toBeGreaterThan(0); // generalises to an unseen prompt
    base.params.forEach((p, i) => expect(Buffer.from(p.variable.dataSync().buffer).equals(Buffer.from(before[i].buffer))).toBe(true));
    tuner.dispose();
    rm.dispose();
    base.dispose();
  });
});

describe("REINFORCE pieces", () => {
  it("group advantages sum to zero in each group; the KL term charges drift from the reference", () => {
    const adv = groupAdvantages([1, 2, 3, 10, 10, 10], 3);
    expect(Array.from(adv)).toEqual([-1, 0, 1, 0, 0, 0]);
    expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(/do not split/);
    expect(() => groupAdvantages([1, 2], 1)).toThrow(/groupSize/);
    const shaped = klShapedRewards([1, 1], [-1, -3], [-2, -2], 0.5);
    expect(Array.from(shaped)).toEqual([0.5, 1.5]);
  });

  it("the loss's gradient raises the log-prob of answers with positive advantage", () => {
    const lp = tf.tensor1d([-1, -2, -3]);
    const g = tf
      .grad((x: tf.Tensor) => reinforceLoss(x as tf.Tensor1D, Float32Array.from([1, 0, -1])))(lp)
      .dataSync();
    expect(Array.from(g).map((v) => Math.sign(v) + 0)).toEqual([-1, 0, 1]); // descent raises lp[0], lowers lp[2]
    expect(() => reinforceLoss(lp, new Float32Array(2))).toThrow(/3 log-probs but 2/);
  });
});
