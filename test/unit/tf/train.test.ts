/** Proof that the wasm backend trains a model with an embedding (whose gradient is UnsortedSegmentSum). */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initTf } from "../../../kernel-lib/src/tf/backend";
import { train } from "./tiny-model";
import { useWasm } from "../gpt/backend";

beforeAll(async () => {
  await initTf({ backend: "wasm", quiet: true, env: {} });
  await useWasm(); // initTf runs once per process; an earlier file in this worker may have left another backend
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
