/**
 * Compute-optimal allocation. Training a transformer costs about C ≈ 6·N·D FLOPs (2 for the
 * forward multiply-add per parameter per token, 4 for the backward). For a fitted law
 * L = E + A/N^α + B/D^β, minimising L under that budget gives (Hoffmann et al. 2022, Eq. 4):
 *
 *     N_opt(C) = G·(C/6)^(β/(α+β)),   D_opt(C) = G⁻¹·(C/6)^(α/(α+β)),   G = (αA / (βB))^(1/(α+β))
 */
import { chinchillaLoss, type ChinchillaFit } from "./chinchilla";

export interface ComputeOptimalPoint {
  /** Compute budget in FLOPs. */
  C: number;
  N: number;
  D: number;
  tokensPerParameter: number;
  /** Loss the law predicts at (N, D). */
  loss: number;
}

/** Training FLOPs of a model with N parameters on D tokens (6·N·D). */
export function trainingFlops(N: number, D: number): number {
  return 6 * N * D;
}

/** The loss-minimising N and D for compute budget C under a fitted law. */
export function computeOptimal(fit: Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">, C: number): ComputeOptimalPoint {
  if (!(Number.isFinite(C) && C > 0)) throw new RangeError(`computeOptimal: C must be a finite number > 0, got ${C}`);
  const { A, B, alpha, beta } = fit;
  if (!(alpha > 0 && beta > 0)) {
    throw new RangeError(`computeOptimal: needs alpha > 0 and beta > 0 (got alpha = ${alpha}, beta = ${beta}); the fit has no interior optimum`);
  }
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const N = G * (C / 6) ** (beta / (alpha + beta));
  const D = C / 6 / N;
  return { C, N, D, tokensPerParameter: D / N, loss: chinchillaLoss(fit, N, D) };
}

/** computeOptimal over a list of budgets (e.g. log-spaced), for the frontier chart. */
export function computeFrontier(fit: Pick<ChinchillaFit, "E" | "A" | "B" | "alpha" | "beta">, budgets: readonly number[]): ComputeOptimalPoint[] {
  return budgets.map((C) => computeOptimal(fit, C));
}

/** `count` log-spaced values from `from` to `to` inclusive. */
export function logSpace(from: number, to: number, count: number): number[] {
  if (!(from > 0 && to > 0)) throw new RangeError(`logSpace: from and to must be > 0, got ${from} and ${to}`);
  if (!(Number.isInteger(count) && count >= 2)) throw new RangeError(`logSpace: count must be an integer >= 2, got ${count}`);
  const a = Math.log(from);
  const b = Math.log(to);
  return Array.from({ length: count }, (_, i) => Math.exp(a + ((b - a) * i) / (count - 1)));
}
