import type * as tf from "@tensorflow/tfjs";
import { einsumGrad } from "./Einsum";
import { nonDifferentiableGrads } from "./NonDifferentiable";

/**
 * Gradients tfjs does not define (for any backend) that the lessons need. `initTf` registers each
 * one unless tfjs already has a gradient of that name.
 */
export const EXTRA_GRADIENTS: tf.GradConfig[] = [einsumGrad, ...nonDifferentiableGrads];
