/**
 * A reward model: a copy of the SFT model's trunk (everything up to the final LayerNorm) plus one
 * linear head `[nEmbd] → 1` read at the last token of prompt + answer (the end-of-answer marker),
 * trained on comparisons with the Bradley–Terry loss: P(chosen ≻ rejected) = σ(r_c − r_r), so
 * loss = −log σ(r_c − r_r) = softplus(−(r_c − r_r)). Only differences of rewards are learned; a
 * constant added to every reward changes nothing.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt, NamedParam } from "../gpt/model";
import { makeRng } from "../util/random";
import { cloneGpt } from "./step";

/** Bradley–Terry loss, mean over pairs of −log σ(rChosen − rRejected). */
export function bradleyTerryLoss(rChosen: tf.Tensor1D, rRejected: tf.Tensor1D): tf.Scalar {
  if (rChosen.rank !== 1 || rRejected.rank !== 1 || rChosen.shape[0] !== rRejected.shape[0]) {
    throw new RangeError(`bradleyTerryLoss: two 1-D tensors of the same length expected, got [${rChosen.shape}] and [${rRejected.shape}]`);
  }
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(tf.sub(rChosen, rRejected)))) as tf.Scalar);
}

/** Right-pad token rows with `padId`: ids `[batch, seq]` row-major and each row's length. */
export function padRows(rows: readonly (readonly number[])[], padId = 0): { ids: Int32Array; batch: number; seq: number; lengths: number[] } {
  if (rows.length === 0) throw new RangeError("padRows needs at least one row");
  const lengths = rows.map((r, i) => {
    if (r.length === 0) throw new RangeError(`row ${i} is empty`);
    return r.length;
  });
  const seq = Math.max(...lengths);
  const ids = new Int32Array(rows.length * seq).fill(padId);
  rows.forEach((r, b) => ids.set(r, b * seq));
  return { ids, batch: rows.length, seq, lengths };
}

/** A GPT trunk and a scalar head. Create with `createRewardModel`. */
export class RewardModel {
  readonly trunk: Gpt;
  /** Head weight `[nEmbd, 1]` and bias `[1]`. */
  readonly w: tf.Variable;
  readonly b: tf.Variable;

  constructor(trunk: Gpt, w: tf.Variable, b: tf.Variable) {
    this.trunk = trunk;
    this.w = w;
    this.b = b;
  }

  /** Every trainable parameter: the trunk's and the head's (the head without weight decay). */
  params(): NamedParam[] {
    return [...this.trunk.params, { name: "reward.head.weight", variable: this.w, decay: false }, { name: "reward.head.bias", variable: this.b, decay: false }];
  }

  /** `[batch]` rewards of whole sequences (prompt + answer), read at each one's last token. */
  scores(sequences: readonly (readonly number[])[], padId = 0): tf.Tensor1D {
    const p = padRows(sequences, padId);
    const rows = Int32Array.from(p.lengths.map((L, b) => b * p.seq + L - 1));
    return tf.tidy(() => {
      const h = tf.gather(this.trunk.hidden(p.ids, p.batch, p.seq), tf.tensor1d(rows, "int32")) as tf.Tensor2D; // [batch, nEmbd]
      return tf.reshape(tf.add(tf.matMul(h, this.w as tf.Tensor2D), this.b), [p.batch]) as tf.Tensor1D;
    });
  }

  /** Free the trunk and the head. */
  dispose(): void {
    this.trunk.dispose();
    this.w.dispose();
    this.b.dispose();
  }
}

/** A reward model whose trunk is a copy of `base` (e.g. the SFT model) and whose head is small random. */
export function createRewardModel(base: Gpt, options: { seed?: number } = {}): RewardModel {
  const rng = makeRng(options.seed ?? 0);
  const C = base.config.nEmbd;
  const w = Float32Array.from({ length: C }, () => rng.normal() * 0.02);
  return new RewardModel(
    cloneGpt(base),
    tf.tidy(() => tf.variable(tf.tensor2d(w, [C, 1]), true)),
    tf.tidy(() => tf.variable(tf.zeros([1]), true)),
  );
}
