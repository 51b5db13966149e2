/**
 * The grokking MLP: a shared embedding of a and b (E `[p, d]`), the two rows concatenated, one
 * hidden ReLU layer and an output over the p answers —
 *
 *   logits = relu([E[a], E[b]]·W1 + b1)·W2 + b2
 *
 * with PyTorch's default initialisation (embedding N(0, 1); each linear layer's weight and bias
 * uniform in ±1/√fan-in), so step counts match a PyTorch run of the same recipe. Built on
 * kernel-lib's fast ops (`embedding`, `linear` with hand-written backward passes, `crossEntropy`).
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../util/random";
import { seededNormal, seededUniform } from "../tf/random";
import { crossEntropy, embedding, linear } from "../gpt/ops";
import type { OptimParam } from "../gpt/optim";
import type { ModularSet } from "./data";

/** The model's sizes. */
export interface ModMlpConfig {
  /** The modulus: p tokens in, p classes out. */
  p: number;
  /** Width of the shared embedding. */
  embed: number;
  /** Width of the hidden ReLU layer. */
  hidden: number;
}

/** The five parameters, by name. */
export interface ModMlpParams {
  E: tf.Variable;
  W1: tf.Variable;
  b1: tf.Variable;
  W2: tf.Variable;
  b2: tf.Variable;
}

export const MOD_MLP_PARAM_NAMES = ["E", "W1", "b1", "W2", "b2"] as const;

/**
 * Fresh parameters from `seed` (PyTorch's defaults: nn.Embedding N(0, 1), nn.Linear U(±1/√fan-in)),
 * drawn in the order E, W1, b1, W2, b2 from one `makeRng(seed)` stream.
 */
export function initModMlp(config: ModMlpConfig, seed: number): ModMlpParams {
  const { p, embed: d, hidden: h } = config;
  for (const [k, v] of Object.entries(config)) if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${k} must be an integer >= 1, got ${v}`);
  const rng = makeRng(seed);
  // The variable keeps its own copy; the tensor it starts from is freed.
  const make = (t: tf.Tensor) => {
    const v = tf.variable(t, true);
    t.dispose();
    return v;
  };
  const k1 = 1 / Math.sqrt(2 * d);
  const k2 = 1 / Math.sqrt(h);
  return {
    E: make(seededNormal([p, d], 1, rng)),
    W1: make(seededUniform([2 * d, h], -k1, k1, rng)),
    b1: make(seededUniform([h], -k1, k1, rng)),
    W2: make(seededUniform([h, p], -k2, k2, rng)),
    b2: make(seededUniform([p], -k2, k2, rng)),
  };
}

/** Logits `[n, p]` for the pairs (a[i], b[i]). */
export function modMlpLogits(w: ModMlpParams, a: Int32Array, b: Int32Array): tf.Tensor2D {
  return tf.tidy(() => {
    // [E[a], E[b]] as one lookup: ids a0 b0 a1 b1 … give rows that, two by two, are the concatenation
    // (one gather and, backward, one segment sum, instead of two of each, a concat and its split).
    const n = a.length;
    if (b.length !== n) throw new RangeError(`a has ${n} ids but b has ${b.length}`);
    const ab = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      ab[2 * i] = a[i];
      ab[2 * i + 1] = b[i];
    }
    const E = w.E as tf.Tensor2D;
    const x = tf.reshape(embedding(E, ab), [n, 2 * E.shape[1]]) as tf.Tensor2D; // [n, 2d]
    const hidden = tf.relu(linear(x, w.W1 as tf.Tensor2D, w.b1 as tf.Tensor1D)); // [n, h]
    return linear(hidden, w.W2 as tf.Tensor2D, w.b2 as tf.Tensor1D); // [n, p]
  });
}

/** Mean cross-entropy on a set (a scalar tensor, differentiable). */
export function modMlpLoss(w: ModMlpParams, set: ModularSet): tf.Scalar {
  return tf.tidy(() => crossEntropy(modMlpLogits(w, set.a, set.b), set.c));
}

/** Mean cross-entropy and accuracy (share of rows whose argmax is the target) of logits `[n, p]`. */
export function lossAndAccuracy(logits: tf.Tensor2D, targets: Int32Array): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const loss = crossEntropy(logits, targets).dataSync()[0];
    const pred = tf.argMax(logits, 1).dataSync();
    let right = 0;
    for (let i = 0; i < targets.length; i++) if (pred[i] === targets[i]) right++;
    return { loss, accuracy: right / targets.length };
  });
}

/** Loss and accuracy on a set, as numbers. */
export function modMlpEvaluate(w: ModMlpParams, set: ModularSet): { loss: number; accuracy: number } {
  return tf.tidy(() => lossAndAccuracy(modMlpLogits(w, set.a, set.b), set.c));
}

/** The parameters as AdamW sees them; every one decays (PyTorch's AdamW on model.parameters()). */
export function modMlpOptimParams(w: ModMlpParams): OptimParam[] {
  return MOD_MLP_PARAM_NAMES.map((name) => ({ name, variable: w[name], decay: true }));
}

/** √(Σ w²) over every parameter: the total weight norm. */
export function weightNorm(vars: tf.Tensor[]): number {
  return Math.sqrt(tf.tidy(() => tf.addN(vars.map((v) => tf.sum(tf.square(v)))).dataSync()[0]));
}

/** The embedding E as a row-major Float32Array `[p, d]` (a copy). */
export function embeddingMatrix(w: ModMlpParams): Float32Array {
  return w.E.dataSync() as Float32Array;
}

/** Free the parameters. */
export function disposeModMlp(w: ModMlpParams): void {
  for (const name of MOD_MLP_PARAM_NAMES) w[name].dispose();
}
