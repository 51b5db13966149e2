/**
 * Names of the kernels behind the ops of this folder that tfjs does not define, and the few
 * helpers the ops and kernels share. A kernel is registered per backend (tf/kernels/); where a
 * backend has none, the op computes the same thing with plain tfjs ops (its reference). The
 * kernels import these names, so this file imports nothing of kernel-lib: which backend has which
 * kernel is asked in `dispatch.ts`, the only op module that knows the registry.
 */
import type * as tf from "@tensorflow/tfjs";

/** LayerNorm over the last axis. Inputs x, gamma (, beta); attr eps; outputs y, mean, 1/σ per row. */
export const LAYER_NORM = "LayerNorm";
/** Its gradient. Inputs dy, x, gamma, mean, rstd; outputs dx, dgamma, dbeta. */
export const LAYER_NORM_GRAD = "LayerNormGrad";
/** Exact (erf) GELU. Input x; outputs y and the derivative dy/dx (what the gradient multiplies by). */
export const GELU = "Gelu";
/**
 * One AdamW update. Inputs w, g, m, v; attrs beta1, beta2, eps, c2, stepSize, decay, gradScale;
 * output the new w. The moments m and v are updated in place (the optimizer's own state).
 */
export const ADAMW_UPDATE = "AdamWUpdate";
/** Σ x² over every element of every input (t0, t1, …): a float32 scalar. */
export const SUM_OF_SQUARES = "SumOfSquares";
/**
 * Mean softmax cross-entropy of logits `[n, vocab]` against integer targets. Inputs logits
 * (float32), targets `[n]` (int32); outputs the mean loss (a scalar) and its gradient with respect
 * to the logits, (softmax − one-hot) / n (what the op's gradient multiplies dy by).
 */
export const CROSS_ENTROPY = "SoftmaxCrossEntropy";
/** `[batch·seq, Σ heads·headDim]` → one `[batch, heads, seq, headDim]` tensor per part. Input x. */
export const ROWS_TO_HEADS = "RowsToHeads";
/** The inverse of RowsToHeads (and its gradient). Inputs p0, p1, …. */
export const HEADS_TO_ROWS = "HeadsToRows";

/**
 * Causal self-attention softmax(q kᵀ · scale + causal mask) v in one kernel. Inputs q
 * `[B, H, T, D]`, k, v `[B, Hk, T, D]`; attr scale; outputs o `[B, H, T, D]` and, per query row
 * `[B, H, T]`, the max score m and l = 1 / Σ exp(score − m) (what the gradient recomputes the
 * softmax from).
 */
export const CAUSAL_ATTENTION = "CausalAttention";
/** Its gradient. Inputs dy, q, k, v, m, l; attr scale; outputs dq, dk, dv. */
export const CAUSAL_ATTENTION_GRAD = "CausalAttentionGrad";

/** Attributes of RowsToHeads and HeadsToRows. */
export interface HeadsAttrs {
  batch: number;
  seq: number;
  headDim: number;
  /** Heads of each part, in column order (q, k, v: [nHead, nKvHead, nKvHead]). */
  heads: number[];
}

export function headsAttrs(attrs: tf.NamedAttrMap): HeadsAttrs {
  return { batch: attrs.batch as number, seq: attrs.seq as number, headDim: attrs.headDim as number, heads: attrs.heads as number[] };
}
