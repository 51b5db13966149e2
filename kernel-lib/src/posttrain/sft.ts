/**
 * Supervised fine-tuning (SFT) data and loss. An example is a prompt and a response (token ids,
 * the response ending with an end-of-answer token). A batch is every example's prompt + response
 * laid out in one row, right-padded to the longest row; the model reads `x` (all but the last
 * token) and predicts `y` (all but the first). The loss mask is 1 where the *target* is a response
 * token — shifted by one against the input: the first masked-in position is the last prompt token,
 * whose next token is the response's first — and 0 on the prompt's targets and on padding.
 * The loss is the cross-entropy averaged over masked-in targets only: the model is taught to
 * answer, not to predict the questions.
 */
import * as tf from "@tensorflow/tfjs";

/** One prompt/response pair as token ids. */
export interface SftExample {
  prompt: readonly number[];
  response: readonly number[];
}

/** A right-padded batch: inputs `x`, targets `y` and the loss mask, each `[batch, seq]` row-major. */
export interface SftBatch {
  x: Int32Array;
  y: Int32Array;
  /** 1 where `y` is a response token, else 0 (prompt targets, padding). */
  mask: Float32Array;
  batch: number;
  seq: number;
  /** Tokens of each example (prompt + response). */
  lengths: number[];
  /** Prompt tokens of each example. */
  promptLengths: number[];
}

/**
 * Rows of `prompt + response`, right-padded with `padId`: `x[t]` = token t, `y[t]` = token t + 1,
 * `mask[t]` = 1 when token t + 1 belongs to the response. Every example needs a prompt of at least
 * one token (the first response token is predicted from it) and a response of at least one.
 */
export function buildSftBatch(examples: readonly SftExample[], padId = 0): SftBatch {
  if (examples.length === 0) throw new RangeError("buildSftBatch needs at least one example");
  const lengths = examples.map((e, i) => {
    if (e.prompt.length < 1) throw new RangeError(`example ${i} has an empty prompt: the first response token must be predicted from something`);
    if (e.response.length < 1) throw new RangeError(`example ${i} has an empty response`);
    return e.prompt.length + e.response.length;
  });
  const B = examples.length;
  const T = Math.max(...lengths) - 1;
  const x = new Int32Array(B * T).fill(padId);
  const y = new Int32Array(B * T).fill(padId);
  const mask = new Float32Array(B * T);
  examples.forEach((e, b) => {
    const ids = [...e.prompt, ...e.response];
    for (let t = 0; t + 1 < ids.length; t++) {
      x[b * T + t] = ids[t];
      y[b * T + t] = ids[t + 1];
      mask[b * T + t] = t + 1 >= e.prompt.length ? 1 : 0; // the target is a response token
    }
  });
  return { x, y, mask, batch: B, seq: T, lengths, promptLengths: examples.map((e) => e.prompt.length) };
}

/** log p(target) of each row of `logits` `[n, vocab]`: `[n]`. */
export function tokenLogProbs(logits: tf.Tensor2D, targets: Int32Array): tf.Tensor1D {
  const [n, vocab] = logits.shape;
  if (targets.length !== n) throw new RangeError(`tokenLogProbs: ${n} rows of logits but ${targets.length} targets`);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    // int32 one-hot then cast: wasm's float32 OneHot writes the integer bit pattern (tfjs 4.22).
    const onehot = tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), vocab), "float32");
    return tf.sum(tf.mul(logp, onehot), 1) as tf.Tensor1D;
  });
}

/**
 * Masked cross-entropy: Σ mask·(−log p(target)) / Σ mask — the mean over the masked-in targets
 * only (padding and prompt targets contribute nothing, not even to the count).
 */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, mask: Float32Array): tf.Scalar {
  if (mask.length !== targets.length) throw new RangeError(`maskedCrossEntropy: ${targets.length} targets but ${mask.length} mask entries`);
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  if (!(count > 0)) throw new RangeError("maskedCrossEntropy: the mask selects no target");
  return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.mul(tokenLogProbs(logits, targets), tf.tensor1d(mask)))), count) as tf.Scalar);
}

/** The SFT loss of `model` (anything with `logits(x, batch, seq)`) on a batch. */
export function sftLoss(model: { logits(idx: Int32Array, batch: number, seq: number): tf.Tensor2D }, b: SftBatch): tf.Scalar {
  return tf.tidy(() => maskedCrossEntropy(model.logits(b.x, b.batch, b.seq), b.y, b.mask));
}
