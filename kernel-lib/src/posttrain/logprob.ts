/**
 * The sequence log-probability of a response under a model: log π(response | prompt) =
 * Σ over the response's tokens of log p(token | everything before it). The reward model's data,
 * REINFORCE's gradient and DPO's loss are all built from it. It is a *sum*: averaging over the
 * tokens instead gives a per-token score that no longer is the log-probability of the sequence
 * (and favours long answers, whose every token is cheap).
 */
import * as tf from "@tensorflow/tfjs";
import { SftBatch, tokenLogProbs } from "./sft";

/** A model as far as log-probabilities need one. */
export interface LogitModel {
  logits(idx: Int32Array, batch: number, seq: number): tf.Tensor2D;
}

/**
 * `[batch]`: Σ_t mask[b, t] · log p(y[b, t]) for each row of an `SftBatch` — the summed log-prob
 * of each response (end marker included). With `average`, divided by the row's response length.
 */
export function sequenceLogProbs(model: LogitModel, b: SftBatch, options: { average?: boolean } = {}): tf.Tensor1D {
  return tf.tidy(() => {
    const lp = tf.reshape(tokenLogProbs(model.logits(b.x, b.batch, b.seq), b.y), [b.batch, b.seq]);
    const mask = tf.tensor2d(b.mask, [b.batch, b.seq]);
    const sum = tf.sum(tf.mul(lp, mask), 1) as tf.Tensor1D;
    return options.average ? (tf.div(sum, tf.sum(mask, 1)) as tf.Tensor1D) : sum;
  });
}
