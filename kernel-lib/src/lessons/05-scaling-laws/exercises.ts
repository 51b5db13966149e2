/**
 * Checkers for lesson 05's exercises. Each throws with a hint when the answer is wrong and prints
 * one "✓ …" line (returning nothing) when it is right: the contract of util/checker.ts.
 */
import { pass } from "../../util/checker";
import { chinchillaLoss, type ChinchillaFit } from "../../scaling/chinchilla";
import { computeOptimal } from "../../scaling/compute";
import { nonEmbeddingParams, scalingGptConfig } from "../../scaling/grid";

type Law = Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">;

function finite(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${field} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Exercise 1: the non-embedding parameter count of a block stack, by hand. Per block: two
 * LayerNorms (2·2C), attention QKV (3C² + 3C) and output (C² + C), MLP up (4C² + 4C) and down
 * (4C² + C): 12C² + 13C; plus the final LayerNorm 2C.
 */
export function checkParamCount(answer: { nLayer: number; nEmbd: number; N: number | null }): void {
  if (answer.N === null) throw new Error("set N to your count (a number), then run the cell again");
  const N = finite(answer.N, "N");
  const expected = nonEmbeddingParams(scalingGptConfig({ vocabSize: 99, blockSize: 32, nLayer: answer.nLayer, nEmbd: answer.nEmbd, nHead: 1 }));
  if (N !== expected) {
    const C = answer.nEmbd;
    const hint =
      Math.abs(N - 12 * answer.nLayer * C * C) < Math.abs(N - expected) / 2
        ? " 12·L·C² is only the weight matrices: add the biases and LayerNorm gains/biases."
        : " Count per block: 2 LayerNorms, QKV + output projection, MLP up + down, all with biases; then the final LayerNorm.";
    throw new Error(`N = ${N} is not right for nLayer=${answer.nLayer}, nEmbd=${answer.nEmbd} (off by ${N - expected}).${hint}`);
  }
  pass(`${N} non-embedding parameters: L·(12C² + 13C) + 2C`);
}

/**
 * Exercise 2: how many tokens a model of N parameters needs to reach a target loss under the
 * fitted law: solve E + A/N^α + B/D^β = L for D.
 */
export function checkTokensForLoss(answer: { fit: Law; N: number; targetLoss: number; D: number | null }): void {
  if (answer.D === null) throw new Error("set D to your answer (tokens), then run the cell again");
  const D = finite(answer.D, "D");
  const floor = answer.fit.E + answer.fit.A / answer.N ** answer.fit.alpha;
  if (!(answer.targetLoss > floor))
    throw new Error(
      `no D reaches loss ${answer.targetLoss}: with N = ${answer.N} the law never goes below E + A/N^α = ${floor.toFixed(4)}; pick a higher target`,
    );
  if (!(D > 0)) throw new Error(`D must be > 0, got ${D}`);
  const loss = chinchillaLoss(answer.fit, answer.N, D);
  if (Math.abs(loss - answer.targetLoss) > 1e-3 * answer.targetLoss) {
    throw new Error(
      `with D = ${D.toExponential(3)} the law gives ${loss.toFixed(4)}, not ${answer.targetLoss}. Solve B/D^β = L − E − A/N^α for D: D = (B / (L − E − A/N^α))^(1/β)`,
    );
  }
  pass(`D ≈ ${D.toExponential(2)} tokens reach loss ${answer.targetLoss} with N = ${answer.N.toExponential(2)}`);
}

/**
 * Exercise 3: the compute-optimal model size for a budget C under a fitted law (within 1 %), and
 * its tokens per parameter.
 */
export function checkComputeOptimal(answer: { fit: Law; C: number; N: number | null; tokensPerParameter: number | null }): void {
  if (answer.N === null || answer.tokensPerParameter === null) throw new Error("set N and tokensPerParameter, then run the cell again");
  const N = finite(answer.N, "N");
  const tpp = finite(answer.tokensPerParameter, "tokensPerParameter");
  const best = computeOptimal(answer.fit, answer.C);
  if (Math.abs(N / best.N - 1) > 0.01) {
    const lossThere = chinchillaLoss(answer.fit, N, answer.C / 6 / N);
    throw new Error(
      `N = ${N.toExponential(3)} is not the optimum: at D = C/(6N) its loss is ${lossThere.toFixed(4)}, but a model of ${best.N.toExponential(3)} parameters reaches ${best.loss.toFixed(4)}. Minimise L(N, C/(6N)) over N (or use N_opt = G·(C/6)^(β/(α+β)))`,
    );
  }
  if (Math.abs(tpp / best.tokensPerParameter - 1) > 0.01) {
    throw new Error(`tokensPerParameter = ${tpp} does not match D/N = ${(answer.C / 6 / N / N).toPrecision(4)} for your N`);
  }
  pass(
    `N_opt ≈ ${best.N.toExponential(2)} parameters, D_opt ≈ ${best.D.toExponential(2)} tokens: ${best.tokensPerParameter.toFixed(1)} tokens per parameter at C = ${answer.C.toExponential(1)} FLOPs`,
  );
}
