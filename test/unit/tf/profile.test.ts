/** The per-kernel profile behind `bench gpt --profile`: its aggregation, and a real training step's kernels. */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initTf } from "../../../kernel-lib/src/tf/backend";
import { aggregateKernelCalls, formatKernelProfile, profileKernels } from "../../../kernel-lib/src/tf/profile";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { Trainer } from "../../../kernel-lib/src/gpt/train";
import { useWasm } from "../gpt/backend";

beforeAll(async () => {
  await initTf({ backend: "wasm", quiet: true, env: {} });
  await useWasm(); // initTf runs once per process; an earlier file in this worker may have left another backend
});

describe("aggregateKernelCalls", () => {
  const calls = [
    { kernel: "MatMul", ms: 3, gapMs: 0.5 },
    { kernel: "Add", ms: 1, gapMs: 0.25 },
    { kernel: "MatMul", ms: 5, gapMs: 0.5 },
    { kernel: "Add", ms: 1, gapMs: 0.75 },
  ];

  it("gives one row per kernel, per step, sorted by time, with shares of the wall time", () => {
    const p = aggregateKernelCalls(calls, 2, 20);
    expect(p.rows.map((r) => r.kernel)).toEqual(["MatMul", "Add"]);
    expect(p.rows[0]).toEqual({ kernel: "MatMul", calls: 1, ms: 4, share: 40, dispatchMs: 0.5 });
    expect(p.rows[1]).toEqual({ kernel: "Add", calls: 1, ms: 1, share: 10, dispatchMs: 0.5 });
    expect(p).toMatchObject({ steps: 2, stepMs: 10, kernelMs: 5, outsideMs: 5, calls: 2 });
  });

  it("breaks ties by name and refuses zero steps", () => {
    const p = aggregateKernelCalls(
      [
        { kernel: "B", ms: 1, gapMs: 0 },
        { kernel: "A", ms: 1, gapMs: 0 },
      ],
      1,
      4,
    );
    expect(p.rows.map((r) => r.kernel)).toEqual(["A", "B"]);
    expect(() => aggregateKernelCalls(calls, 0, 1)).toThrow(/steps must be ≥ 1/);
  });

  it("prints a row per kernel, the folded rest and the totals", () => {
    const text = formatKernelProfile(aggregateKernelCalls(calls, 2, 20), 1);
    expect(text).toMatch(/^MatMul\s+1\s+4\.00\s+40\.0%\s+0\.50$/m);
    expect(text).toMatch(/^\(1 more kernels\)\s+1\s+1\.00\s+10\.0%/m);
    expect(text).toMatch(/^outside kernels\s+5\.00\s+50\.0%$/m);
  });
});

describe("profileKernels", () => {
  it("times every kernel of two training steps of a tiny GPT (the matMuls among them), then restores the kernels", () => {
    const model = createGpt({ vocabSize: 11, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0 }, { seed: 1 });
    const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 11);
    const trainer = new Trainer(
      model,
      { train: tokens, val: tokens },
      { maxIters: 10, batchSize: 4, learningRate: 1e-3, evalInterval: 100, evalIters: 1, seed: 1 },
    );
    trainer.trainStep();
    const native = tf.getKernel("BatchMatMul", "wasm");
    const p = profileKernels(() => void trainer.trainStep(), 2);
    const names = p.rows.map((r) => r.kernel);
    expect(names).toContain("BatchMatMul");
    expect(names).toContain("_FusedMatMul");
    expect(names).toContain("AdamWUpdate");
    expect(p.rows.every((r) => r.ms >= 0 && r.dispatchMs >= 0 && Number.isInteger(r.calls))).toBe(true);
    expect(p.kernelMs).toBeLessThanOrEqual(p.stepMs);
    expect(p.rows.reduce((s, r) => s + r.ms, 0)).toBeCloseTo(p.kernelMs, 6);
    expect(tf.getKernel("BatchMatMul", "wasm")).toBe(native);
    trainer.dispose();
    model.dispose();
  });
});
