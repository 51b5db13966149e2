/** Each lesson-06 checker names the likely cause of the usual mistakes. */
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { checkBradleyTerryLoss, checkDpoLoss, checkMaskedLoss, checkSequenceLogProb } from "../../../kernel-lib/src/lessons/06-post-training/checkers";
import { useWasm } from "../gpt/backend";

beforeAll(useWasm);
let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

/** log p(ids[t + 1]) for rows t in [from, T). */
const lps = (logits: tf.Tensor2D, ids: number[], from: number, shift = 1): number[] => {
  const logp = tf.tidy(() => tf.logSoftmax(logits).arraySync() as number[][]);
  return logp.slice(from).map((row, i) => row[ids[from + i + shift]]);
};
const sum = (xs: number[]) => xs.reduce((a, v) => a + v, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;

describe("checkMaskedLoss", () => {
  it.each([
    ["mask not shifted", (l: tf.Tensor2D, ids: number[], p: number) => -mean(lps(l, ids, p)), /mask is not shifted/],
    ["prompt not masked", (l: tf.Tensor2D, ids: number[]) => -mean(lps(l, ids, 0)), /prompt is not masked/],
    ["summed", (l: tf.Tensor2D, ids: number[], p: number) => -sum(lps(l, ids, p - 1)), /summed instead of averaged/],
    ["targets not shifted", (l: tf.Tensor2D, ids: number[], p: number) => -mean(lps(l, ids, p - 1, 0)), /targets are not shifted/],
  ] as const)("%s", (_name, fn, cause) => {
    expect(() => checkMaskedLoss(fn)).toThrow(cause);
    expect(() => checkMaskedLoss(fn)).toThrow(/case 1 .*expected/);
  });
});

describe("checkSequenceLogProb", () => {
  it.each([
    ["averaged", (l: tf.Tensor2D, ids: number[], p: number) => mean(lps(l, ids, p - 1)), /averaged instead of summed/],
    ["mask not shifted", (l: tf.Tensor2D, ids: number[], p: number) => sum(lps(l, ids, p)), /mask is not shifted/],
    ["prompt included", (l: tf.Tensor2D, ids: number[]) => sum(lps(l, ids, 0)), /prompt's tokens are included/],
    ["sign", (l: tf.Tensor2D, ids: number[], p: number) => -sum(lps(l, ids, p - 1)), /sign is flipped/],
  ] as const)("%s", (_name, fn, cause) => {
    expect(() => checkSequenceLogProb(fn)).toThrow(cause);
  });
  it("reports a throwing function and a non-scalar result", () => {
    expect(() =>
      checkSequenceLogProb(() => {
        throw new Error("boom");
      }),
    ).toThrow(/your function threw on case 1.*boom/);
    expect(() => checkSequenceLogProb((l) => l as never)).toThrow(/must be a scalar/);
  });
});

type T1 = tf.Tensor1D;
describe("checkDpoLoss", () => {
  const z = (pc: T1, pr: T1, rc: T1, rr: T1, b: number) => tf.mul(b, tf.sub(tf.sub(pc, rc), tf.sub(pr, rr)));
  it.each([
    ["β missing", (pc: T1, pr: T1, rc: T1, rr: T1) => tf.mean(tf.softplus(tf.neg(z(pc, pr, rc, rr, 1)))), /β is missing/],
    ["sign flipped", (pc: T1, pr: T1, rc: T1, rr: T1, b: number) => tf.mean(tf.softplus(z(pc, pr, rc, rr, b))), /sign is flipped/],
    ["no reference", (pc: T1, pr: T1, _rc: T1, _rr: T1, b: number) => tf.mean(tf.softplus(tf.neg(tf.mul(b, tf.sub(pc, pr))))), /reference is left out/],
    ["not frozen", (pc: T1, pr: T1, _rc: T1, _rr: T1, b: number) => tf.mean(tf.softplus(tf.neg(z(pc, pr, pc, pr, b)))), /not a frozen copy/],
    ["summed", (pc: T1, pr: T1, rc: T1, rr: T1, b: number) => tf.sum(tf.softplus(tf.neg(z(pc, pr, rc, rr, b)))), /summed over the pairs/],
  ] as const)("%s", (_name, fn, cause) => {
    expect(() => checkDpoLoss(fn as never)).toThrow(cause);
  });
});

describe("checkBradleyTerryLoss", () => {
  it.each([
    ["sign flipped", (c: T1, r: T1) => tf.mean(tf.softplus(tf.sub(c, r))), /sign is flipped/],
    ["no minus", (c: T1, r: T1) => tf.mean(tf.logSigmoid(tf.sub(c, r))), /missing minus sign/],
    ["summed", (c: T1, r: T1) => tf.sum(tf.softplus(tf.sub(r, c))), /summed over the pairs/],
  ] as const)("%s", (_name, fn, cause) => {
    expect(() => checkBradleyTerryLoss(fn as never)).toThrow(cause);
  });
});
