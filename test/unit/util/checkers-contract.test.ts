/**
 * The contract every lesson's checker keeps (util/checker.ts), the implement-it checkers
 * (`checkSdpa(fn)`) and the exercise-answer checkers (`checkTrigramCosine(answer)`) alike: given a
 * right answer it prints exactly one line starting with "✓" and returns nothing. (A notebook echoes
 * the value of a cell's last expression: a returned line would show twice, a returned `true`
 * would show "true".) What they throw on a wrong answer is tested beside each checker.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { applyRope, causalMaskArray, repeatKv, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { cosineSimilarity, csrFromRows, softmaxStep, type CsrMatrix } from "../../../kernel-lib/src/bow";
import { checkPreviousTokenHead, previousTokenHead } from "../../../kernel-lib/src/lessons/03-attention";
import {
  checkCausalAttention,
  checkLayerNorm,
  checkRmsNorm,
  checkSwiGlu,
  checkTopP,
  checkTyingSavings,
  referenceLayerNorm,
  referenceRmsNorm,
  referenceSwiGlu,
  referenceTopP,
} from "../../../kernel-lib/src/lessons/04-mini-gpt/exercises";
import { checkBradleyTerryLoss, checkDpoLoss, checkMaskedLoss, checkSequenceLogProb } from "../../../kernel-lib/src/lessons/06-post-training/checkers";
import { bradleyTerryLoss } from "../../../kernel-lib/src/posttrain/reward";
import { dpoLoss } from "../../../kernel-lib/src/posttrain/dpo";
import { checkDecoupledWeightDecay, checkFourierPower, checkModularSplit, referenceAdamWStep } from "../../../kernel-lib/src/lessons/07-grokking/checkers";
import { fourierPower } from "../../../kernel-lib/src/grokking/fourier";
import { splitModularPairs } from "../../../kernel-lib/src/grokking/data";
import {
  checkChinchillaLoss,
  checkChinchillaObjective,
  checkHuber,
  checkIsoFlopMinimum,
  checkObjectiveGradient,
  chinchillaObjectiveGradient,
  huberLoss,
  thetaLoss,
  type ChinchillaTheta,
} from "../../../kernel-lib/src/lessons/05-scaling-laws/checkers";
import { isoFlopMinimum } from "../../../kernel-lib/src/scaling/isoflop";
import { CHINCHILLA_PUBLISHED, chinchillaObjective } from "../../../kernel-lib/src/scaling/chinchilla";
import { computeOptimal } from "../../../kernel-lib/src/scaling/compute";
import { checkComputeOptimal, checkParamCount, checkTokensForLoss } from "../../../kernel-lib/src/lessons/05-scaling-laws/exercises";
import type { ScalingPoint } from "../../../kernel-lib/src/scaling/validate";
import {
  checkMerge,
  checkPairCounts,
  checkNgramPerplexity,
  referenceMergeOnce,
  referencePairCounts,
  referenceNgramPerplexity,
} from "../../../kernel-lib/src/lessons";
import { checkBpeEncode, referenceBpeDecode, referenceBpeEncode } from "../../../kernel-lib/src/lessons/00-tokens/encode-checker";
import { checkLongestAddress } from "../../../kernel-lib/src/lessons/00-setup/corpus-tour";
import { checkFirstMerge, checkBestAddK, ADD_K_CHOICES } from "../../../kernel-lib/src/lessons";
import { prepareCorpus } from "../../../kernel-lib/src/text/prepare-corpus";
import { NgramModel } from "../../../kernel-lib/src/text/ngram";
import {
  checkCbowStep,
  checkKeepProbability,
  checkSgnsStep,
  checkPairCount,
  checkSubsampledWord,
  checkMostDriftedWord,
} from "../../../kernel-lib/src/lessons/02-word2vec/exercises";
import { WordVectors } from "../../../kernel-lib/src/word2vec/model";
import { cbowStep, sgnsStep } from "../../../kernel-lib/src/word2vec/reference";
import { trainSkipGramSync } from "../../../kernel-lib/src/word2vec/train";
import { topicCorpus } from "../word2vec/topic-corpus";
import {
  checkTrigramCosine,
  checkSmoothIdfAnswer,
  checkMostSimilarAddress,
  checkCentroidAccuracy,
  checkCosine,
  checkIdf,
  checkSoftmaxStep,
  smoothIdf,
  type SparseVector,
} from "../../../kernel-lib/src/lessons/01-bag-of-words";
import {
  ATTENTION_WEIGHTS_DATA,
  attendOne,
  checkAttentionWeights,
  checkKvCacheBytes,
  checkCachedCausalMask,
  checkRopeOffset,
  checkRepeatKv,
  checkRope,
  checkSdpa,
} from "../../../kernel-lib/src/lessons/03-attention";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

// ---- Right answers, written the way a learner would (or with the library where that is shorter).

const ropeLoops = (x: number[][], offset: number) =>
  tf.tidy(
    () =>
      applyRope(tf.tensor4d(x.flat(), [1, 1, x.length, x[0].length]), { offset })
        .reshape([x.length, x[0].length])
        .arraySync() as number[][],
  );

const idf = (counts: number[][]) => counts[0].map((_, t) => Math.log((1 + counts.length) / (1 + counts.filter((row) => row[t] > 0).length)) + 1);

/** Cosine of two sparse vectors, through the library's dense cosine. */
function sparseCosine(a: SparseVector, b: SparseVector): number {
  const n = Math.max(...a.indices, ...b.indices) + 1;
  const dense = (v: SparseVector) => {
    const out = new Float64Array(n);
    v.indices.forEach((j, p) => (out[j] = v.values[p]));
    return out;
  };
  return cosineSimilarity(dense(a), dense(b));
}

function step(X: CsrMatrix, y: number[], W: Float64Array[], b: Float64Array, l2: number, lr: number) {
  const K = b.length;
  const r = softmaxStep(X, y, K, { weights: Float64Array.from(W.flatMap((row) => Array.from(row))), bias: b }, { l2: l2, learningRate: lr });
  return { W: W.map((_, j) => r.weights.subarray(j * K, (j + 1) * K)), b: r.bias };
}

const objective = (t: ChinchillaTheta, points: readonly ScalingPoint[], d: number) =>
  chinchillaObjective(
    Float64Array.from(points, (p) => Math.log(p.N)),
    Float64Array.from(points, (p) => Math.log(p.D)),
    Float64Array.from(points, (p) => Math.log(p.loss)),
    d,
    Float64Array.from(t),
  );

/** log p(ids[t + 1]) of the rows t ≥ promptLength − 1 (the response's targets). */
const responseLogProbs = (logits: tf.Tensor2D, ids: number[], promptLength: number): number[] => {
  const logp = tf.tidy(() => tf.logSoftmax(logits).arraySync() as number[][]);
  return logp.slice(promptLength - 1).map((row, i) => row[ids[promptLength + i]]);
};

const causalAttention = (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) =>
  tf.tidy(() => {
    const [T, d] = q.shape;
    const out = scaledDotProductAttention(q.reshape([1, 1, T, d]), k.reshape([1, 1, T, d]), v.reshape([1, 1, T, v.shape[1]]), { causal: true }).output;
    return out.reshape([T, v.shape[1]]) as tf.Tensor2D;
  });

const layerNorm = (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) =>
  referenceLayerNorm(x.arraySync(), Array.from(gamma.dataSync()), Array.from(beta.dataSync()));

function tokensExercise3(): void {
  const { train, test } = prepareCorpus(
    "The cat sat on the mat. The dog sat on the log. A cat saw the dog. The cat ran home. The dog ran too. A dog sat. ".repeat(4) +
      "The bird flew over the mat. A bird saw the cat.",
    { heldOutEvery: 5 },
  );
  const pps = ADD_K_CHOICES.map((k) => NgramModel.train(train, { order: 2, smoothing: "add-k", k: k }).perplexity(test).perplexity);
  checkBestAddK(ADD_K_CHOICES[pps.indexOf(Math.min(...pps))], train, test);
}

function bowExercise4(): void {
  const X = csrFromRows(
    [
      new Map([[0, 1]]),
      new Map([[1, 1]]),
      new Map([
        [0, 1],
        [1, 0.2],
      ]),
    ],
    2,
  );
  const xTrain = csrFromRows([new Map([[0, 1]]), new Map([[1, 1]])], 2);
  checkCentroidAccuracy(1, xTrain, [0, 1], X, [0, 1, 0], 2);
}

function word2vecExercise2(): void {
  const m = trainSkipGramSync(
    topicCorpus(100).map((s) => [...s, "the", "the"]),
    { dim: 4, minCount: 1, epochs: 1, sample: 1e-2 },
  );
  const t = 1e-2 * m.counts!.reduce((a, b) => a + b, 0);
  const f = m.counts![m.indexOf("the")!];
  checkSubsampledWord(m, "the", Math.min(1, (Math.sqrt(f / t) + 1) * (t / f)));
}

function word2vecExercise3(): void {
  const words = ["a", "b", "c", "x", "y"];
  const early = new WordVectors(words, 2, Float32Array.from([1, 0, 1, 0.1, 1, 0.02, 0, 1, 0.1, 1]));
  const late = new WordVectors(words, 2, Float32Array.from([1, 0, 0, 1, 1, 0.02, 0.1, 1, 0.05, 1]));
  checkMostDriftedWord(early, late, ["a", "b"], "b", 1);
}

function tokensForLoss(): void {
  const law = CHINCHILLA_PUBLISHED;
  const N = 1e8;
  const D = (law.B / (2.5 - law.E - law.A / N ** law.alpha)) ** (1 / law.beta);
  checkTokensForLoss({ fit: law, N: N, targetLoss: 2.5, D: D });
}

function computeOptimalExercise(): void {
  const best = computeOptimal(CHINCHILLA_PUBLISHED, 1e21);
  checkComputeOptimal({ fit: CHINCHILLA_PUBLISHED, C: 1e21, N: best.N, tokensPerParameter: best.tokensPerParameter });
}

/** One AdamW step with decoupled decay, through the library's float64 reference. */
const adamwStep = (
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  t: number,
  o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number },
) => {
  const arr = (x: tf.Tensor) => Float64Array.from(x.dataSync());
  const r = referenceAdamWStep({ w: arr(w), g: arr(g), m: arr(m), v: arr(v), t: t, o: o });
  return { w: tf.tensor(Float32Array.from(r.w), w.shape), m: tf.tensor(Float32Array.from(r.m), w.shape), v: tf.tensor(Float32Array.from(r.v), w.shape) };
};

/** Each checker given a right answer, by name. */
const rightAnswers: [string, () => unknown][] = [
  // lesson 00
  ["checkLongestAddress", () => checkLongestAddress(1981)],
  ["checkFirstMerge", () => checkFirstMerge(["e", "s"])],
  ["checkPairCounts", () => checkPairCounts(referencePairCounts)],
  ["checkMerge", () => checkMerge(referenceMergeOnce)],
  [
    "checkBpeEncode",
    () =>
      checkBpeEncode(
        (t, r) => referenceBpeEncode(t, r),
        (ids, r) => referenceBpeDecode(ids, r),
      ),
  ],
  ["checkNgramPerplexity", () => checkNgramPerplexity(referenceNgramPerplexity)],
  ["checkBestAddK", tokensExercise3],
  // lesson 01
  ["checkIdf", () => checkIdf(idf)],
  ["checkCosine", () => checkCosine(sparseCosine)],
  ["checkSoftmaxStep", () => checkSoftmaxStep(step)],
  ["checkTrigramCosine", () => checkTrigramCosine(10 / 14)],
  ["checkSmoothIdfAnswer", () => checkSmoothIdfAnswer(smoothIdf(10, 3))],
  [
    "checkMostSimilarAddress",
    () =>
      checkMostSimilarAddress(
        1802,
        [
          [1, 0.2, 0.9],
          [0.2, 1, 0.1],
          [0.9, 0.1, 1],
        ],
        [1801, 1850, 1802],
        1801,
      ),
  ],
  ["checkCentroidAccuracy", bowExercise4],
  // lesson 02
  ["checkPairCount", () => checkPairCount(36)],
  ["checkSubsampledWord", word2vecExercise2],
  ["checkMostDriftedWord", word2vecExercise3],
  ["checkSgnsStep", () => checkSgnsStep(sgnsStep)],
  ["checkCbowStep", () => checkCbowStep(cbowStep)],
  ["checkKeepProbability", () => checkKeepProbability((c, t, s) => Math.min(1, (Math.sqrt(c / (s * t)) + 1) * ((s * t) / c)))],
  // lesson 03
  [
    "checkAttentionWeights",
    () => checkAttentionWeights(attendOne(ATTENTION_WEIGHTS_DATA.query, ATTENTION_WEIGHTS_DATA.keys, ATTENTION_WEIGHTS_DATA.values).weights),
  ],
  ["checkKvCacheBytes", () => checkKvCacheBytes(1_342_177_280)],
  ["checkCachedCausalMask", () => checkCachedCausalMask(causalMaskArray(2, 5))],
  ["checkRopeOffset", () => checkRopeOffset(7)],
  ["checkSdpa", () => checkSdpa((q, k, v) => scaledDotProductAttention(q, k, v, { causal: true }).output)],
  ["checkRepeatKv", () => checkRepeatKv(repeatKv)],
  ["checkRope", () => checkRope(ropeLoops)],
  ["checkPreviousTokenHead", () => checkPreviousTokenHead(previousTokenHead)],
  // lesson 04
  ["checkCausalAttention", () => checkCausalAttention(causalAttention)],
  ["checkLayerNorm", () => checkLayerNorm(layerNorm)],
  ["checkRmsNorm", () => checkRmsNorm((x, g) => referenceRmsNorm(x.arraySync(), Array.from(g.dataSync())))],
  ["checkSwiGlu", () => checkSwiGlu((x, w1, w3, w2) => referenceSwiGlu(x.arraySync(), w1.arraySync(), w3.arraySync(), w2.arraySync()))],
  ["checkTopP", () => checkTopP((probs, p) => referenceTopP(probs, p))],
  ["checkTyingSavings", () => checkTyingSavings({ untied: 1160, tied: 1000, vocabSize: 20, nEmbd: 8 })],
  // lesson 05
  ["checkChinchillaLoss", () => checkChinchillaLoss(thetaLoss)],
  ["checkHuber", () => checkHuber(huberLoss)],
  ["checkChinchillaObjective", () => checkChinchillaObjective(objective)],
  ["checkParamCount", () => checkParamCount({ nLayer: 2, nEmbd: 48, N: 2 * (12 * 48 * 48 + 13 * 48) + 96 })],
  ["checkTokensForLoss", tokensForLoss],
  ["checkComputeOptimal", computeOptimalExercise],
  ["checkObjectiveGradient", () => checkObjectiveGradient(chinchillaObjectiveGradient)],
  ["checkIsoFlopMinimum", () => checkIsoFlopMinimum((N, loss) => isoFlopMinimum({ C: 1, points: N.map((n, i) => ({ N: n, D: 1, loss: loss[i] })) }).N)],
  // lesson 06
  [
    "checkMaskedLoss",
    () =>
      checkMaskedLoss(
        (logits, ids, promptLength) => -responseLogProbs(logits, ids, promptLength).reduce((a, v) => a + v, 0) / (logits.shape[0] - promptLength + 1),
      ),
  ],
  ["checkSequenceLogProb", () => checkSequenceLogProb((logits, ids, promptLength) => responseLogProbs(logits, ids, promptLength).reduce((a, v) => a + v, 0))],
  ["checkDpoLoss", () => checkDpoLoss(dpoLoss)],
  ["checkBradleyTerryLoss", () => checkBradleyTerryLoss(bradleyTerryLoss)],
  // lesson 07
  ["checkModularSplit", () => checkModularSplit(splitModularPairs)],
  ["checkDecoupledWeightDecay", () => checkDecoupledWeightDecay(adamwStep)],
  ["checkFourierPower", () => checkFourierPower((E) => fourierPower(E.flat(), E.length, E[0].length))],
];

describe("every checker prints one ✓ line and returns nothing", () => {
  it.each(rightAnswers)("%s", (_name, run) => {
    expect(run()).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]).toHaveLength(1);
    expect(String(log.mock.calls[0][0])).toMatch(/^✓ \S/);
    expect(String(log.mock.calls[0][0])).not.toContain("\n");
  });
});

/** `check…` functions that validate a library call's inputs; they are not exercise checkers. */
const INPUT_GUARDS = new Set(["checkId", "checkDocuments", "checkClassIds", "checkModuleShape", "checkNumbers", "checkSameLength"]);

/** `export function checkX` in every .ts file under `dir`. */
function exportedChecks(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/export (?:async )?function (check[A-Z]\w*)/g)].map((m) => m[1]));
}

describe("the list above", () => {
  it("covers every checker exported from kernel-lib and the lessons' own files", () => {
    const root = join(__dirname, "..", "..", "..");
    const checkers = [...exportedChecks(join(root, "kernel-lib", "src")), ...exportedChecks(join(root, "notebooks"))].filter((name) => !INPUT_GUARDS.has(name));
    expect(rightAnswers.map(([name]) => name).sort()).toEqual([...new Set(checkers)].sort());
  });
});
