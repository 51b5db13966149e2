import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { dpoLoss, dpoMargins } from "../../../kernel-lib/src/posttrain/dpo";
import { bradleyTerryLoss } from "../../../kernel-lib/src/posttrain/reward";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);

interface DpoCase {
  beta: number;
  policyChosen: number[];
  policyRejected: number[];
  refChosen: number[];
  refRejected: number[];
  loss: number;
  gradPolicyChosen: number[];
  gradPolicyRejected: number[];
}
interface BtCase {
  rChosen: number[];
  rRejected: number[];
  loss: number;
  gradChosen: number[];
}
const fixture: { dpo: DpoCase[]; bradleyTerry: BtCase[] } = JSON.parse(readFileSync(join(__dirname, "../../fixtures/posttrain/torch_dpo.json"), "utf8"));

describe("parity with PyTorch (scripts/fixtures/torch_dpo.py, TRL's sigmoid loss)", () => {
  it.each(fixture.dpo.map((c, i) => [i, c] as const))("dpoLoss case %i: loss and gradients", (_i, c) => {
    const [pc, pr, rc, rr] = [c.policyChosen, c.policyRejected, c.refChosen, c.refRejected].map((a) => tf.tensor1d(a));
    const loss = dpoLoss(pc as tf.Tensor1D, pr as tf.Tensor1D, rc as tf.Tensor1D, rr as tf.Tensor1D, c.beta).dataSync()[0];
    expect(loss).toBeCloseTo(c.loss, 5);
    const [gc, gr] = tf.grads((a: tf.Tensor, b: tf.Tensor) => dpoLoss(a as tf.Tensor1D, b as tf.Tensor1D, rc as tf.Tensor1D, rr as tf.Tensor1D, c.beta))([
      pc,
      pr,
    ]);
    Array.from(gc.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(c.gradPolicyChosen[i], 5));
    Array.from(gr.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(c.gradPolicyRejected[i], 5));
    tf.dispose([pc, pr, rc, rr, gc, gr]);
  });

  it.each(fixture.bradleyTerry.map((c, i) => [i, c] as const))("bradleyTerryLoss case %i", (_i, c) => {
    const [a, b] = [tf.tensor1d(c.rChosen), tf.tensor1d(c.rRejected)];
    expect(bradleyTerryLoss(a, b).dataSync()[0]).toBeCloseTo(c.loss, 5);
    const g = tf.grad((x: tf.Tensor) => bradleyTerryLoss(x as tf.Tensor1D, b))(a);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(c.gradChosen[i], 5));
    tf.dispose([a, b, g]);
  });
});

describe("dpoLoss", () => {
  it("is ln 2 whenever the policy equals the reference (step 0 of every DPO run)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -200, max: 0, noNaN: true }), { minLength: 2, maxLength: 12 }),
        fc.float({ min: Math.fround(0.01), max: 10, noNaN: true }),
        (lps, beta) => {
          const half = Math.floor(lps.length / 2);
          const c = tf.tensor1d(lps.slice(0, half));
          const r = tf.tensor1d(lps.slice(half, 2 * half));
          const loss = dpoLoss(c, r, c, r, beta).dataSync()[0];
          tf.dispose([c, r]);
          return Math.abs(loss - Math.LN2) < 1e-6;
        },
      ),
      { numRuns: 40, seed: 6 },
    );
  });

  it("stays finite for huge margins and falls as the chosen answer gains", () => {
    const t = (xs: number[]) => tf.tensor1d(xs);
    expect(dpoLoss(t([0]), t([-1e4]), t([0]), t([0]), 1).dataSync()[0]).toBeCloseTo(0, 6);
    expect(dpoLoss(t([-1e4]), t([0]), t([0]), t([0]), 1).dataSync()[0]).toBeCloseTo(1e4, 0);
    const l1 = dpoLoss(t([-5]), t([-6]), t([-6]), t([-6]), 0.1).dataSync()[0];
    const l2 = dpoLoss(t([-4]), t([-6]), t([-6]), t([-6]), 0.1).dataSync()[0];
    expect(l2).toBeLessThan(l1);
    expect(Array.from(dpoMargins(t([-4]), t([-6]), t([-6]), t([-6]), 0.1).dataSync())[0]).toBeCloseTo(0.2, 6);
  });

  it("rejects bad shapes and β", () => {
    const a = tf.tensor1d([1, 2]);
    expect(() => dpoLoss(a, a, a, tf.tensor1d([1]), 0.1)).toThrow(/refRejected has 1 entries/);
    expect(() => dpoLoss(a, a, a, a, 0)).toThrow(/beta must be a number > 0/);
    expect(() => dpoLoss(tf.tensor2d([[1]]) as unknown as tf.Tensor1D, a, a, a, 0.1)).toThrow(/1-D tensor/);
  });
});
