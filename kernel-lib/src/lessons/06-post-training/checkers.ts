/**
 * Checkers for lesson 06's exercises: the masked SFT loss, the sequence log-probability, the DPO
 * loss and the Bradley–Terry loss. Each runs the learner's function on seeded random inputs
 * against a float64 reference written here, and on a wrong answer names the input, expected vs
 * got, and — when a known mistake computed on the same input reproduces the answer — the likely
 * cause (mask not shifted, prompt not masked, averaging instead of summing, β missing, sign
 * flipped, …). On success each prints one "✓" line and returns nothing (util/checker.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { callLearner, close, failure, formatNumber, matchMistake, type Mistake, pass, requireFunction, type Tolerance } from "../../util/checker";
import { makeRng, type Rng } from "../../util/random";

const TOL: Tolerance = { abs: 1e-4, rel: 1e-4 };
const fmt = (x: number): string => formatNumber(x, 6);

/** A learner's scalar answer (a number or a one-element tensor) as a number, or explain why not. */
function asScalar(value: unknown, what: string): number {
  if (typeof value === "number") return value;
  if (value instanceof tf.Tensor) {
    if (value.size !== 1)
      throw new Error(`${what} must be a scalar (one number), got a tensor of shape [${value.shape.join(", ")}] — did you forget the mean over the batch?`);
    return value.dataSync()[0];
  }
  throw new Error(`${what} must be a number or a scalar tensor, got ${value === null ? "null" : typeof value}`);
}

function diagnose(got: number, mistakes: Mistake<number>[]): string | null {
  return matchMistake(mistakes, (m) => close(got, m, TOL));
}

const logSigmoid = (z: number): number => (z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** One random sequence: logits `[T, V]`, ids (length T + 1) and where the response starts. */
interface SeqCase {
  logits: number[][];
  ids: number[];
  promptLength: number;
}

function randomSeqCase(rng: Rng, T: number, V: number, promptLength: number): SeqCase {
  const logits = Array.from({ length: T }, () => Array.from({ length: V }, () => 2 * rng.normal()));
  const ids = Array.from({ length: T + 1 }, () => rng.int(V));
  return { logits, ids, promptLength };
}

/** log softmax(row)[id] in float64. */
function logProb(row: number[], id: number): number {
  const m = Math.max(...row);
  return row[id] - m - Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
}

/** Per-position values of the variants a learner may compute on one sequence. */
function seqTerms(c: SeqCase) {
  const T = c.logits.length;
  const P = c.promptLength;
  const range = (from: number) => Array.from({ length: T - from }, (_, i) => from + i);
  const lp = (t: number) => logProb(c.logits[t], c.ids[t + 1]);
  const response = range(P - 1); // positions whose target ids[t + 1] is a response token
  return {
    T,
    right: response.map(lp),
    unshifted: range(P).map(lp), // mask[t] = 1 where the *input* is a response token: the first answer token is lost
    all: range(0).map(lp), // prompt not masked
    sameToken: range(P - 1).map((t) => logProb(c.logits[t], c.ids[t])), // targets not shifted
    rawLogits: response.map((t) => c.logits[t][c.ids[t + 1]]), // no log-softmax
    probs: response.map((t) => Math.exp(lp(t))), // probabilities instead of log-probabilities
  };
}

function runSeqLearner(fn: (logits: tf.Tensor2D, ids: number[], promptLength: number) => unknown, c: SeqCase, who: string, where: string): number {
  return tf.tidy(() =>
    asScalar(
      callLearner(who, where, () => fn(tf.tensor2d(c.logits), [...c.ids], c.promptLength)),
      "the result",
    ),
  );
}

const SEQ_CASES = (rng: Rng): SeqCase[] => [randomSeqCase(rng, 9, 7, 4), randomSeqCase(rng, 12, 11, 7), randomSeqCase(rng, 6, 5, 1)];

type SeqFn = (logits: tf.Tensor2D, ids: number[], promptLength: number) => tf.Scalar | number;

/** The shared steps of the two per-sequence checkers: each case, the reference, the known mistakes. */
function checkOnSequences(
  who: string,
  fn: SeqFn,
  seed: number,
  spec: {
    what: string;
    want: (v: ReturnType<typeof seqTerms>) => number;
    mistakes: (v: ReturnType<typeof seqTerms>) => Mistake<number>[];
    hint: string;
    ok: string;
  },
): void {
  requireFunction(fn, who, `${who}(my${who.slice(5)})`);
  SEQ_CASES(makeRng(seed)).forEach((c, trial) => {
    const where = `case ${trial + 1} (T=${c.logits.length}, promptLength=${c.promptLength})`;
    const v = seqTerms(c);
    const want = spec.want(v);
    const got = runSeqLearner(fn, c, who, where);
    if (close(got, want, TOL)) return;
    throw failure(`${spec.what}: ${where}: expected ${fmt(want)}, got ${fmt(got)}`, diagnose(got, spec.mistakes(v)), spec.hint);
  });
  pass(spec.ok);
}

/**
 * Exercise: `fn(logits, ids, promptLength)` is the SFT loss of one sequence: `ids` holds prompt +
 * response (`ids.length` = T + 1), `logits` `[T, V]` where row t predicts `ids[t + 1]`; the loss
 * is the mean of −log p(ids[t + 1]) over the targets that are response tokens
 * (t + 1 ≥ promptLength). Throws naming the input and the likely mistake.
 */
export function checkMaskedLoss(fn: SeqFn): void {
  checkOnSequences("checkMaskedLoss", fn, 606, {
    what: "masked loss",
    want: (v) => -mean(v.right),
    mistakes: (v) => [
      {
        cause:
          "the mask is not shifted: it selects positions whose *input* is a response token, but row t predicts token t + 1 — the first masked-in row is the last prompt token",
        output: -mean(v.unshifted),
      },
      { cause: "the prompt is not masked: the loss also trains the model to predict the question", output: -mean(v.all) },
      { cause: "summed instead of averaged over the response targets", output: -sum(v.right) },
      { cause: "divided by every position (T) instead of the number of response targets", output: -sum(v.right) / v.T },
      { cause: "the targets are not shifted: row t must be scored on ids[t + 1], the next token, not ids[t]", output: -mean(v.sameToken) },
      { cause: "the sign is flipped: the loss is −log p, a positive number", output: mean(v.right) },
      { cause: "raw logits used as log-probabilities: apply logSoftmax first", output: -mean(v.rawLogits) },
    ],
    hint: "Compare with a 3-token example by hand: which rows' targets are response tokens?",
    ok: "masked SFT loss matches the reference on 3 sequences (shifted mask, prompt masked, mean over response targets)",
  });
}

/**
 * Exercise: `fn(logits, ids, promptLength)` is the summed log-probability of the response,
 * Σ log p(ids[t + 1]) over the targets that are response tokens (same layout as checkMaskedLoss).
 */
export function checkSequenceLogProb(fn: SeqFn): void {
  checkOnSequences("checkSequenceLogProb", fn, 607, {
    what: "sequence log-prob",
    want: (v) => sum(v.right),
    mistakes: (v) => [
      { cause: "averaged instead of summed: the log-probability of a sequence is the sum of its tokens' log-probs", output: mean(v.right) },
      {
        cause: "the mask is not shifted: row t predicts token t + 1, so the first response token is scored at the last prompt position",
        output: sum(v.unshifted),
      },
      { cause: "the prompt's tokens are included: only the response's log-probs count", output: sum(v.all) },
      { cause: "the sign is flipped: a log-probability is ≤ 0 (you returned the negative log-likelihood)", output: -sum(v.right) },
      { cause: "the targets are not shifted: row t must be scored on ids[t + 1]", output: sum(v.sameToken) },
      { cause: "raw logits used as log-probabilities: apply logSoftmax first", output: sum(v.rawLogits) },
      { cause: "summed probabilities instead of log-probabilities", output: sum(v.probs) },
    ],
    hint: "Print the per-token log-probs you sum and compare with the rows t ≥ promptLength − 1.",
    ok: "sequence log-prob matches the reference on 3 sequences (summed response log-probs, shifted by one)",
  });
}

/** The DPO loss in float64, with the variants a learner may write. */
function dpoVariant(pc: number[], pr: number[], rc: number[], rr: number[], beta: number, variant = "right"): number {
  const z = pc.map((_, i) => {
    switch (variant) {
      case "noRef":
        return beta * (pc[i] - pr[i]);
      case "refSign":
        return beta * (pc[i] + rc[i] - (pr[i] + rr[i]));
      case "cancel":
        return 0;
      default:
        return (variant === "noBeta" ? 1 : beta) * (pc[i] - rc[i] - (pr[i] - rr[i]));
    }
  });
  if (variant === "flip") return mean(z.map((x) => -logSigmoid(-x)));
  if (variant === "noMinus") return mean(z.map(logSigmoid));
  if (variant === "sum") return sum(z.map((x) => -logSigmoid(x)));
  if (variant === "noLog") return mean(z.map((x) => 1 - sigmoid(x)));
  return mean(z.map((x) => -logSigmoid(x)));
}

/**
 * Exercise: `fn(policyChosen, policyRejected, refChosen, refRejected, beta)` is the DPO loss on
 * 1-D tensors of summed log-probs: mean of −log σ(β·((πc − rc) − (πr − rr))). Checked on random
 * pairs at two values of β.
 */
export function checkDpoLoss(
  fn: (policyChosen: tf.Tensor1D, policyRejected: tf.Tensor1D, refChosen: tf.Tensor1D, refRejected: tf.Tensor1D, beta: number) => tf.Scalar | number,
): void {
  requireFunction(fn, "checkDpoLoss", "checkDpoLoss(myDpoLoss)");
  const rng = makeRng(608);
  const trials = [
    { n: 6, beta: 0.1, spread: 20 },
    { n: 5, beta: 0.5, spread: 3 },
    { n: 4, beta: 2, spread: 1 },
  ];
  trials.forEach(({ n, beta, spread }, trial) => {
    const draw = () => Array.from({ length: n }, () => -20 + spread * rng.normal());
    const [pc, pr, rc, rr] = [draw(), draw(), draw(), draw()];
    const where = `trial ${trial + 1} (${n} pairs, beta=${beta})`;
    const want = dpoVariant(pc, pr, rc, rr, beta);
    const got = tf.tidy(() =>
      asScalar(
        callLearner("checkDpoLoss", where, () => fn(tf.tensor1d(pc), tf.tensor1d(pr), tf.tensor1d(rc), tf.tensor1d(rr), beta)),
        "the loss",
      ),
    );
    if (close(got, want, TOL)) return;
    const v = (name: string) => dpoVariant(pc, pr, rc, rr, beta, name);
    const mistakes: Mistake<number>[] = [
      { cause: "β is missing: the margin must be multiplied by beta", output: v("noBeta") },
      { cause: "the sign is flipped: the loss is −log σ(margin), which falls as the chosen answer gains on the rejected one", output: v("flip") },
      { cause: "the reference is left out: DPO compares the policy's log-ratios to the reference model's, (πc − rc) − (πr − rr)", output: v("noRef") },
      { cause: "the reference log-probs are added instead of subtracted: use πc − rc and πr − rr", output: v("refSign") },
      {
        cause:
          "the margin is 0 for every pair (loss = ln 2 whatever the input): the chosen and rejected terms cancel, or the reference is the policy itself — a reference that is not a frozen copy",
        output: v("cancel"),
      },
      { cause: "missing minus sign: the loss is −log σ(…), a positive number", output: v("noMinus") },
      { cause: "summed over the pairs instead of averaged", output: v("sum") },
      { cause: "no log: the loss is −log σ(margin), not 1 − σ(margin)", output: v("noLog") },
    ];
    throw failure(
      `DPO loss: ${where}: expected ${fmt(want)}, got ${fmt(got)}`,
      diagnose(got, mistakes),
      "Compute the margin of the first pair by hand and compare.",
    );
  });
  pass("DPO loss matches the reference on 3 random batches (β = 0.1, 0.5, 2)");
}

/**
 * Exercise: `fn(rChosen, rRejected)` is the Bradley–Terry loss of a reward model, the mean over
 * pairs of −log σ(r_chosen − r_rejected).
 */
export function checkBradleyTerryLoss(fn: (rChosen: tf.Tensor1D, rRejected: tf.Tensor1D) => tf.Scalar | number): void {
  requireFunction(fn, "checkBradleyTerryLoss", "checkBradleyTerryLoss(myBradleyTerryLoss)");
  const rng = makeRng(609);
  [
    { n: 6, spread: 1 },
    { n: 5, spread: 8 },
  ].forEach(({ n, spread }, trial) => {
    const rc = Array.from({ length: n }, () => spread * rng.normal());
    const rr = Array.from({ length: n }, () => spread * rng.normal());
    const d = rc.map((c, i) => c - rr[i]);
    const where = `trial ${trial + 1} (${n} pairs)`;
    const want = mean(d.map((x) => -logSigmoid(x)));
    const got = tf.tidy(() =>
      asScalar(
        callLearner("checkBradleyTerryLoss", where, () => fn(tf.tensor1d(rc), tf.tensor1d(rr))),
        "the loss",
      ),
    );
    if (close(got, want, TOL)) return;
    const mistakes: Mistake<number>[] = [
      {
        cause: "the sign is flipped: it must be σ(r_chosen − r_rejected), so the loss falls as the chosen answer's reward rises",
        output: mean(d.map((x) => -logSigmoid(-x))),
      },
      { cause: "missing minus sign: the loss is −log σ(…), a positive number", output: mean(d.map(logSigmoid)) },
      { cause: "summed over the pairs instead of averaged", output: sum(d.map((x) => -logSigmoid(x))) },
      { cause: "no log: the loss is −log σ(difference), not 1 − σ(difference)", output: mean(d.map((x) => 1 - sigmoid(x))) },
      {
        cause: "each reward squashed on its own: use σ of the difference, −log σ(r_c − r_r)",
        output: mean(rc.map((c, i) => -logSigmoid(c) - logSigmoid(-rr[i]))),
      },
    ];
    throw failure(
      `Bradley–Terry loss: ${where}: expected ${fmt(want)}, got ${fmt(got)}`,
      diagnose(got, mistakes),
      "Compute the first pair's −log σ(r_c − r_r) by hand and compare.",
    );
  });
  pass("Bradley–Terry loss matches the reference on 2 random batches");
}
