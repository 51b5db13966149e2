/** A tiny next-token model (embedding → tanh → dense → softmax cross-entropy) trained with Adam, on any backend. */
import * as tf from "@tensorflow/tfjs";
import { seededVariable } from "../../../kernel-lib/src/tf/random";
import { makeRng } from "../../../kernel-lib/src/util/random";

const V = 24;
const D = 16;
const B = 32;

/** Next-token data with a learnable rule: token t is followed by (5t + 3) mod V. */
function batch(rng: ReturnType<typeof makeRng>): { x: number[]; y: number[] } {
  const x = Array.from({ length: B }, () => rng.int(V));
  return { x, y: x.map((t) => (5 * t + 3) % V) };
}

/** Embedding → dense → softmax cross-entropy, trained with Adam; returns the loss per step. */
export async function train(backend: string, steps: number, seed: number, afterStep?: () => void): Promise<{ losses: number[]; tensors: number[] }> {
  await tf.setBackend(backend);
  const rng = makeRng(seed);
  const emb = seededVariable([V, D], rng, { std: 0.5 });
  const w = seededVariable([D, V], rng, { std: 0.2 });
  const b = tf.tidy(() => tf.variable(tf.zeros([V])));
  const opt = tf.train.adam(0.05);
  const data = makeRng(seed + 1);
  const losses: number[] = [];
  const tensors: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { x, y } = batch(data);
    const ids = tf.tensor1d(x, "int32");
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), V));
    const loss = opt.minimize(() => {
      const h = tf.tanh(tf.gather(emb, ids));
      const logits = h.matMul(w).add(b);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, true) as tf.Scalar;
    losses.push(loss.dataSync()[0]);
    tf.dispose([ids, labels, loss]);
    tensors.push(tf.memory().numTensors);
    afterStep?.();
  }
  opt.dispose();
  tf.dispose([emb, w, b]);
  return { losses, tensors };
}
