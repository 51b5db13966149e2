/**
 * Nanda et al.'s one-layer transformer for a + b mod p ("Progress measures for grokking via
 * mechanistic interpretability", 2023): the input is the three tokens "a b =" (= is token p), a
 * token and a position embedding, one attention layer (4 heads, causal, no biases), one ReLU MLP,
 * no LayerNorm, and an unembedding read at the last position over the p answers. Initialisation as
 * in their code: every matrix N(0, 1)/√d_model (the unembedding /√d_vocab), MLP biases 0.
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../util/random";
import { seededNormal } from "../tf/random";
import { crossEntropy, embedding, linear } from "../gpt/ops";
import type { OptimParam } from "../gpt/optim";
import type { ModularSet } from "./data";
import { lossAndAccuracy } from "./mlp";

/** The transformer's sizes (Nanda et al.: p 113, dModel 128, 4 heads, dMlp 512). */
export interface ModTransformerConfig {
  p: number;
  dModel: number;
  nHeads: number;
  dMlp: number;
}

export const NANDA_TRANSFORMER: ModTransformerConfig = { p: 113, dModel: 128, nHeads: 4, dMlp: 512 };

/** The parameters by name (matrices stored `[in, out]`). */
export interface ModTransformerParams {
  W_E: tf.Variable;
  W_pos: tf.Variable;
  W_Q: tf.Variable;
  W_K: tf.Variable;
  W_V: tf.Variable;
  W_O: tf.Variable;
  W_in: tf.Variable;
  b_in: tf.Variable;
  W_out: tf.Variable;
  b_out: tf.Variable;
  W_U: tf.Variable;
}

export const MOD_TRANSFORMER_PARAM_NAMES = ["W_E", "W_pos", "W_Q", "W_K", "W_V", "W_O", "W_in", "b_in", "W_out", "b_out", "W_U"] as const;

/** Fresh parameters from `seed`, drawn in MOD_TRANSFORMER_PARAM_NAMES order from one stream. */
export function initModTransformer(c: ModTransformerConfig, seed: number): ModTransformerParams {
  if (c.dModel % c.nHeads !== 0) throw new RangeError(`dModel (${c.dModel}) must be a multiple of nHeads (${c.nHeads})`);
  const rng = makeRng(seed);
  const s = 1 / Math.sqrt(c.dModel);
  const v = (shape: number[], std: number) => {
    const t = std > 0 ? seededNormal(shape, std, rng) : tf.zeros(shape);
    const out = tf.variable(t, true);
    t.dispose();
    return out;
  };
  const vocab = c.p + 1; // the p numbers and "="
  return {
    W_E: v([vocab, c.dModel], s),
    W_pos: v([3, c.dModel], s),
    W_Q: v([c.dModel, c.dModel], s),
    W_K: v([c.dModel, c.dModel], s),
    W_V: v([c.dModel, c.dModel], s),
    W_O: v([c.dModel, c.dModel], s),
    W_in: v([c.dModel, c.dMlp], s),
    b_in: v([c.dMlp], 0),
    W_out: v([c.dMlp, c.dModel], s),
    b_out: v([c.dModel], 0),
    W_U: v([c.dModel, c.p], 1 / Math.sqrt(vocab)),
  };
}

/**
 * Logits `[n, p]` at the "=" position for the inputs "a b =". Only the last position's output is
 * read and the model has one layer, so only that position's query, attention output and MLP are
 * computed (the keys and values of all three positions are): the logits and gradients of the full
 * causal model with less than half its arithmetic.
 */
export function modTransformerLogits(w: ModTransformerParams, c: ModTransformerConfig, a: Int32Array, b: Int32Array): tf.Tensor2D {
  const n = a.length;
  const H = c.nHeads;
  const dh = c.dModel / H;
  const ids = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    ids[3 * i] = a[i];
    ids[3 * i + 1] = b[i];
    ids[3 * i + 2] = c.p; // "="
  }
  return tf.tidy(() => {
    const x = tf.add(tf.reshape(embedding(w.W_E as tf.Tensor2D, ids), [n, 3, c.dModel]), w.W_pos); // [n, 3, d]
    const flat = tf.reshape(x, [3 * n, c.dModel]) as tf.Tensor2D;
    const k = tf.transpose(tf.reshape(tf.matMul(flat, w.W_K as tf.Tensor2D), [n, 3, H, dh]), [0, 2, 1, 3]); // [n, H, 3, dh]
    const v = tf.transpose(tf.reshape(tf.matMul(flat, w.W_V as tf.Tensor2D), [n, 3, H, dh]), [0, 2, 1, 3]); // [n, H, 3, dh]
    const last = tf.reshape(tf.slice(x, [0, 2, 0], [n, 1, c.dModel]), [n, c.dModel]) as tf.Tensor2D; // [n, d]
    const q = tf.reshape(tf.matMul(last, w.W_Q as tf.Tensor2D), [n, H, 1, dh]); // [n, H, 1, dh]
    const att = tf.softmax(tf.div(tf.sum(tf.mul(q, k), -1), Math.sqrt(dh))); // [n, H, 3]: "=" sees all three
    const z = tf.sum(tf.mul(tf.expandDims(att, -1), v), 2); // [n, H, dh]
    const resid = tf.add(last, tf.matMul(tf.reshape(z, [n, c.dModel]), w.W_O as tf.Tensor2D)) as tf.Tensor2D; // [n, d]
    const hidden = tf.relu(linear(resid, w.W_in as tf.Tensor2D, w.b_in as tf.Tensor1D)); // [n, dMlp]
    const out = tf.add(resid, linear(hidden, w.W_out as tf.Tensor2D, w.b_out as tf.Tensor1D)) as tf.Tensor2D;
    return tf.matMul(out, w.W_U as tf.Tensor2D); // [n, p]
  });
}

/** Mean cross-entropy on a set. */
export function modTransformerLoss(w: ModTransformerParams, c: ModTransformerConfig, set: ModularSet): tf.Scalar {
  return tf.tidy(() => crossEntropy(modTransformerLogits(w, c, set.a, set.b), set.c));
}

/** Loss and accuracy on a set. */
export function modTransformerEvaluate(w: ModTransformerParams, c: ModTransformerConfig, set: ModularSet): { loss: number; accuracy: number } {
  return tf.tidy(() => lossAndAccuracy(modTransformerLogits(w, c, set.a, set.b), set.c));
}

/** Every parameter decays (Nanda et al.'s AdamW on all parameters). */
export function modTransformerOptimParams(w: ModTransformerParams): OptimParam[] {
  return MOD_TRANSFORMER_PARAM_NAMES.map((name) => ({ name, variable: w[name], decay: true }));
}

/** The number embeddings W_E[0 … p−1] (the "=" row left out), row-major `[p, dModel]`. */
export function transformerNumberEmbedding(w: ModTransformerParams, c: ModTransformerConfig): Float32Array {
  return (w.W_E.dataSync() as Float32Array).slice(0, c.p * c.dModel);
}

/** Free the parameters. */
export function disposeModTransformer(w: ModTransformerParams): void {
  for (const name of MOD_TRANSFORMER_PARAM_NAMES) w[name].dispose();
}

/** The committed results of scripts/grokking-transformer.cjs (datasets/grokking/<name>.json). */
export const GROK_TRANSFORMER_RESULTS = "transformer-p113";
