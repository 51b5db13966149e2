import type * as tf from "@tensorflow/tfjs";
import { causalAttentionGrad } from "./Attention";
import { einsumGrad } from "./Einsum";
import { headsToRowsGrad, rowsToHeadsGrad } from "./Heads";
import { layerNormGrad } from "./LayerNorm";
import { nonDifferentiableGrads } from "./NonDifferentiable";

/**
 * Gradients tfjs does not define (for any backend) that the lessons need: of its own kernels
 * (Einsum, …) and of kernel-lib's ops (../ops: LayerNorm, the head moves, causal attention). `initTf`
 * registers each one unless tfjs already has a gradient of that name.
 */
export const EXTRA_GRADIENTS: tf.GradConfig[] = [einsumGrad, layerNormGrad, rowsToHeadsGrad, headsToRowsGrad, causalAttentionGrad, ...nonDifferentiableGrads];
