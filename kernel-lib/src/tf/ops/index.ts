// Ops that tfjs does not define, each one function for every backend: a registered kernel where
// the backend has one (kernels/), plain tfjs ops (the reference) elsewhere.
export { layerNorm, layerNormReference } from "./layer-norm";
export { gelu, geluReference } from "./gelu";
export { adamwUpdate, adamwUpdateReference, type AdamWStep } from "./adamw";
export { splitHeads, splitHeadsReference, mergeHeads, mergeHeadsReference } from "./heads";
export { causalAttention, causalAttentionReference } from "./attention";
export { sumOfSquares, sumOfSquaresReference } from "./sum-of-squares";
export { crossEntropy, crossEntropyReference } from "./cross-entropy";
export { customOp, type CustomOpFn } from "./custom-op";
export {
  GELU,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  ADAMW_UPDATE,
  ROWS_TO_HEADS,
  HEADS_TO_ROWS,
  CAUSAL_ATTENTION,
  CAUSAL_ATTENTION_GRAD,
  SUM_OF_SQUARES,
  CROSS_ENTROPY,
} from "./names";
