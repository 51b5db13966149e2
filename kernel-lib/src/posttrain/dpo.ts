/**
 * Direct Preference Optimization (Rafailov et al. 2023). The KL-regularised RL objective
 * max E[r] − β·KL(π ‖ π_ref) has the optimum π*(y|x) ∝ π_ref(y|x)·exp(r(x, y)/β), so a reward
 * can be written through its optimal policy: r(x, y) = β·log(π(y|x)/π_ref(y|x)) + β·log Z(x).
 * Put that into the Bradley–Terry likelihood of a preference (chosen y_w over rejected y_l) and
 * Z(x) cancels:
 *
 *   loss = −log σ( β·[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))] )
 *
 * — a classification loss on summed sequence log-probs, no reward model and no sampling. This is
 * TRL's "sigmoid" loss. At the start (π = π_ref) every margin is 0 and the loss is ln 2.
 */
import * as tf from "@tensorflow/tfjs";

function check1d(t: tf.Tensor, name: string, n: number): void {
  if (t.rank !== 1) throw new RangeError(`dpoLoss: ${name} must be a 1-D tensor (one summed log-prob per pair), got shape [${t.shape.join(", ")}]`);
  if (t.shape[0] !== n) throw new RangeError(`dpoLoss: ${name} has ${t.shape[0]} entries, policyChosen has ${n}`);
}

/** β·(chosen log-ratio − rejected log-ratio) per pair: the implicit reward margin. */
export function dpoMargins(
  policyChosen: tf.Tensor1D,
  policyRejected: tf.Tensor1D,
  refChosen: tf.Tensor1D,
  refRejected: tf.Tensor1D,
  beta: number,
): tf.Tensor1D {
  if (!(beta > 0 && Number.isFinite(beta))) throw new RangeError(`dpoLoss: beta must be a number > 0, got ${beta}`);
  const n = policyChosen.shape[0];
  check1d(policyChosen, "policyChosen", n);
  check1d(policyRejected, "policyRejected", n);
  check1d(refChosen, "refChosen", n);
  check1d(refRejected, "refRejected", n);
  return tf.tidy(() => tf.mul(tf.sub(tf.sub(policyChosen, refChosen), tf.sub(policyRejected, refRejected)), beta) as tf.Tensor1D);
}

/**
 * The DPO loss: mean over pairs of −log σ(β·((πc − rc) − (πr − rr))), each argument a 1-D tensor
 * of summed response log-probs (one per pair). −log σ(z) is computed as softplus(−z), which
 * neither overflows nor loses precision for large |z|.
 */
export function dpoLoss(policyChosen: tf.Tensor1D, policyRejected: tf.Tensor1D, refChosen: tf.Tensor1D, refRejected: tf.Tensor1D, beta: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(dpoMargins(policyChosen, policyRejected, refChosen, refRejected, beta)))) as tf.Scalar);
}
