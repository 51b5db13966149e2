/**
 * RLHF in miniature: REINFORCE with a group-mean baseline and a KL penalty to a frozen reference.
 * For each prompt the policy samples a group of k answers; each gets the reward model's score
 * minus β times its log-ratio log π(y|x) − log π_ref(y|x) (a one-sample estimate of the KL
 * divergence, so the policy pays for drifting from the reference); the advantage of an answer is
 * its shaped reward minus the mean of its group (GRPO-style baseline: no value network). The
 * policy-gradient loss −mean(A · log π(y|x)) has the gradient −mean(A · ∇ log π(y|x)): answers
 * better than their group's average become more likely, worse ones less.
 */
import * as tf from "@tensorflow/tfjs";

/** Reward − β·(log π − log π_ref) per sample. */
export function klShapedRewards(rewards: ArrayLike<number>, logpPolicy: ArrayLike<number>, logpRef: ArrayLike<number>, beta: number): Float32Array {
  if (!(beta >= 0)) throw new RangeError(`beta must be >= 0, got ${beta}`);
  if (logpPolicy.length !== rewards.length || logpRef.length !== rewards.length)
    throw new RangeError("klShapedRewards: rewards and log-probs must have the same length");
  return Float32Array.from(rewards, (r, i) => r - beta * (logpPolicy[i] - logpRef[i]));
}

/** Each value minus the mean of its group (consecutive groups of `groupSize`). */
export function groupAdvantages(values: ArrayLike<number>, groupSize: number): Float32Array {
  if (!(Number.isInteger(groupSize) && groupSize >= 2)) throw new RangeError(`groupSize must be an integer >= 2 (a baseline needs company), got ${groupSize}`);
  if (values.length % groupSize !== 0) throw new RangeError(`${values.length} values do not split into groups of ${groupSize}`);
  const out = new Float32Array(values.length);
  for (let g = 0; g < values.length; g += groupSize) {
    let mean = 0;
    for (let i = g; i < g + groupSize; i++) mean += values[i] / groupSize;
    for (let i = g; i < g + groupSize; i++) out[i] = values[i] - mean;
  }
  return out;
}

/** The REINFORCE loss −mean(advantage · log π(y|x)); the advantages are constants (no gradient). */
export function reinforceLoss(logp: tf.Tensor1D, advantages: Float32Array): tf.Scalar {
  if (logp.shape[0] !== advantages.length) throw new RangeError(`reinforceLoss: ${logp.shape[0]} log-probs but ${advantages.length} advantages`);
  return tf.tidy(() => tf.neg(tf.mean(tf.mul(logp, tf.tensor1d(advantages)))) as tf.Scalar);
}
