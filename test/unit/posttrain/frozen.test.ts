/**
 * The reference model of DPO and RL must stay exactly where it started: its weights are compared
 * bit for bit before and after training steps of a policy copied from it.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createGpt, Gpt } from "../../../kernel-lib/src/gpt/model";
import { dpoLoss } from "../../../kernel-lib/src/posttrain/dpo";
import { generateBatch } from "../../../kernel-lib/src/posttrain/generate";
import { sequenceLogProbs } from "../../../kernel-lib/src/posttrain/logprob";
import { groupAdvantages, klShapedRewards, reinforceLoss } from "../../../kernel-lib/src/posttrain/reinforce";
import { buildSftBatch } from "../../../kernel-lib/src/posttrain/sft";
import { cloneGpt, FineTuner } from "../../../kernel-lib/src/posttrain/step";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);
const cfg = { vocabSize: 12, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
const bytes = (m: Gpt) => m.params.map((p) => Buffer.from(Float32Array.from(p.variable.dataSync()).buffer));
const same = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((x, i) => x.equals(b[i]));

describe("the reference model is frozen", () => {
  it("cloneGpt copies the weights into new variables", () => {
    const a = createGpt(cfg, { seed: 3 });
    const b = cloneGpt(a);
    expect(same(bytes(a), bytes(b))).toBe(true);
    expect(a.params[0].variable).not.toBe(b.params[0].variable);
    a.dispose();
    b.dispose();
  });

  it("is bit-identical after DPO steps on a policy copied from it (and the policy moved)", () => {
    const reference = createGpt(cfg, { seed: 4 });
    const before = bytes(reference);
    const policy = cloneGpt(reference);
    const pairs = [
      { prompt: [1, 2], chosen: [3, 11], rejected: [5, 6, 11] },
      { prompt: [7], chosen: [8, 11], rejected: [9, 10, 11] },
    ];
    const batch = buildSftBatch([
      ...pairs.map((p) => ({ prompt: p.prompt, response: p.chosen })),
      ...pairs.map((p) => ({ prompt: p.prompt, response: p.rejected })),
    ]);
    const ref = sequenceLogProbs(reference, batch);
    const tuner = new FineTuner(policy.params, { learningRate: 1e-2, steps: 5 });
    const losses = Array.from(
      { length: 5 },
      () =>
        tuner.step(() => {
          const lp = sequenceLogProbs(policy, batch);
          return dpoLoss(lp.slice(0, 2), lp.slice(2, 2), ref.slice(0, 2), ref.slice(2, 2), 0.5);
        }).loss,
    );
    expect(losses[0]).toBeCloseTo(Math.LN2, 5);
    expect(losses[4]).toBeLessThan(losses[0]);
    expect(same(bytes(reference), before)).toBe(true);
    expect(same(bytes(policy), before)).toBe(false);
    tf.dispose(ref);
    tuner.dispose();
    policy.dispose();
    reference.dispose();
  });

  it("is bit-identical after REINFORCE steps with a KL penalty to it", () => {
    const reference = createGpt(cfg, { seed: 5 });
    const before = bytes(reference);
    const policy = cloneGpt(reference);
    const tuner = new FineTuner(policy.params, { learningRate: 1e-2, steps: 3 });
    for (let s = 0; s < 3; s++) {
      const prompts = [[1, 2], [1, 2], [3], [3]];
      const answers = generateBatch(policy, prompts, { maxNewTokens: 3, temperature: 1, seed: s });
      const batch = buildSftBatch(prompts.map((p, i) => ({ prompt: p, response: answers[i] })));
      const rewards = answers.map((a) => (a.includes(11) ? 1 : 0));
      const lpPolicy = Array.from(sequenceLogProbs(policy, batch).dataSync());
      const lpRef = Array.from(sequenceLogProbs(reference, batch).dataSync());
      const adv = groupAdvantages(klShapedRewards(rewards, lpPolicy, lpRef, 0.1), 2);
      tuner.step(() => reinforceLoss(sequenceLogProbs(policy, batch), adv));
    }
    expect(same(bytes(reference), before)).toBe(true);
    expect(same(bytes(policy), before)).toBe(false);
    tuner.dispose();
    policy.dispose();
    reference.dispose();
  });
});
