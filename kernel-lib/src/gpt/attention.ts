/**
 * Causal self-attention for the GPT blocks: the attention module's `scaledDotProductAttention`
 * (softmax(q kᵀ/√d + causal mask) v, grouped-query when k/v have fewer heads), as nanoGPT's
 * `F.scaled_dot_product_attention(q, k, v, is_causal=True)`. Without dropout the same result
 * comes from `causalAttention` (../tf/ops), one kernel per direction where the backend has one.
 */
import type * as tf from "@tensorflow/tfjs";
import { scaledDotProductAttention } from "../attention";
import { causalAttention } from "../tf/ops";

/** Options of `causalSelfAttention`. */
export interface CausalAttentionOptions {
  /** Dropout on the attention weights (training). */
  dropout?: number;
  dropoutSeed?: number;
}

/** q `[b, h, t, d]`, k and v `[b, hkv, t, d]` → `[b, h, t, d]`, each position attending to itself and earlier ones. */
export function causalSelfAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: CausalAttentionOptions = {}): tf.Tensor4D {
  if (!(options.dropout ?? 0)) return causalAttention(q, k, v);
  return scaledDotProductAttention(q, k, v, { causal: true, dropout: options.dropout ?? 0, dropoutSeed: options.dropoutSeed }).output;
}
