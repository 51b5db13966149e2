/**
 * The contract every lesson's implement-it checker keeps (util/checker.ts): given a right answer
 * it prints exactly one line starting with "✓" and returns that same line.
 */
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyRope, checkRepeatKv, checkRope, checkSdpa, repeatKv, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { checkChinchillaLoss, checkHuber, huberLoss, thetaLoss } from "../../../kernel-lib/src/scaling/checkers";
import { checkMerge, checkPairCounts, checkPerplexity, referenceMergeOnce, referencePairCounts, referencePerplexity } from "../../../kernel-lib/src/text/checkers";
import { checkKeepProbability, checkSgnsStep } from "../../../kernel-lib/src/word2vec/exercises";
import { sgnsStep } from "../../../kernel-lib/src/word2vec/reference";

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

const ropeLoops = (x: number[][], offset: number) =>
  tf.tidy(() => applyRope(tf.tensor4d(x.flat(), [1, 1, x.length, x[0].length]), { offset }).reshape([x.length, x[0].length]).arraySync() as number[][]);

const rightAnswers: [string, () => string][] = [
  ["checkPairCounts", () => checkPairCounts(referencePairCounts)],
  ["checkMerge", () => checkMerge(referenceMergeOnce)],
  ["checkPerplexity", () => checkPerplexity(referencePerplexity)],
  ["checkSdpa", () => checkSdpa((q, k, v) => scaledDotProductAttention(q, k, v, { causal: true }).output)],
  ["checkRepeatKv", () => checkRepeatKv(repeatKv)],
  ["checkRope", () => checkRope(ropeLoops)],
  ["checkChinchillaLoss", () => checkChinchillaLoss(thetaLoss)],
  ["checkHuber", () => checkHuber(huberLoss)],
  ["checkSgnsStep", () => checkSgnsStep(sgnsStep)],
  ["checkKeepProbability", () => checkKeepProbability((c, t, s) => Math.min(1, (Math.sqrt(c / (s * t)) + 1) * ((s * t) / c)))],
];

describe("every checker prints one ✓ line and returns it", () => {
  it.each(rightAnswers)("%s", (_name, run) => {
    const line = run();
    expect(line).toMatch(/^✓ /);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toBe(line);
  });
});
