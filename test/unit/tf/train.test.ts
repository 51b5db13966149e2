/** Proof that the wasm backend trains a model with an embedding (whose gradient is UnsortedSegmentSum). */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initTf } from "../../../kernel-lib/src/tf/backend";
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
async function train(backend: string, steps: number, seed: number): Promise<{ losses: number[]; tensors: number[] }> {
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
  }
  opt.dispose();
  tf.dispose([emb, w, b]);
  return { losses, tensors };
}

beforeAll(async () => {
  await initTf({ backend: "wasm", quiet: true, env: {} });
});

describe("training on wasm", () => {
  it("an embedding + dense + softmax cross-entropy model learns with Adam, without leaking tensors", async () => {
    const before = tf.memory().numTensors;
    const { losses, tensors } = await train("wasm", 80, 1);
    const first = losses[0];
    const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(first).toBeGreaterThan(2.5); // about ln 24 = 3.18 at the start
    expect(last).toBeLessThan(0.3 * first);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Adam creates its moment slots on step 1; from then on the count must not move.
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the same losses on cpu and wasm for a seed (seeded weights are backend-independent)", async () => {
    const wasm = await train("wasm", 8, 5);
    const cpu = await train("cpu", 8, 5);
    wasm.losses.forEach((l, i) => expect(l).toBeCloseTo(cpu.losses[i], 4));
  });
});
