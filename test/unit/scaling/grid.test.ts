import { describe, expect, it, vi } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { initTf } from "../../../kernel-lib/src/tf";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { makeConfig } from "../../../kernel-lib/src/gpt/config";
import { prepareCharData } from "../../../kernel-lib/src/gpt/data";
import {
  buildScalingGrid,
  fixedWindowLoss,
  nonEmbeddingParams,
  runTokens,
  scalingGptConfig,
  scalingRunId,
  scalingSchedule,
  sweepPoints,
  trainScalingRun,
} from "../../../kernel-lib/src/scaling/grid";
import { trainRunsLive } from "../../../kernel-lib/src/lessons/05-scaling-laws/lesson";
import { SCALING_PRESETS, validateScalingParams } from "../../../kernel-lib/src/lessons/05-scaling-laws/params";
import { SCALING_GRID } from "../../../kernel-lib/src/lessons/05-scaling-laws/presets";

describe("nonEmbeddingParams", () => {
  it("is the model's real parameter count minus the token and position tables", async () => {
    await initTf({ backend: "wasm", quiet: true });
    for (const [L, C, H] of [
      [1, 16, 2],
      [2, 48, 2],
      [3, 96, 4],
    ]) {
      const config = scalingGptConfig({ vocabSize: 99, blockSize: 32, nLayer: L, nEmbd: C, nHead: H });
      const model = createGpt(config, { seed: 0 });
      expect(nonEmbeddingParams(config)).toBe(model.paramCount() - 99 * C - 32 * C);
      model.dispose();
    }
  });

  it("follows L·(12C² + 13C) + 2C for any shape, and excludes an untied head too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 300 }), (L, C, V) => {
        const c = makeConfig({ vocabSize: V, blockSize: 16, nLayer: L, nHead: 1, nEmbd: C });
        expect(nonEmbeddingParams(c)).toBe(L * (12 * C * C + 13 * C) + 2 * C);
        expect(nonEmbeddingParams({ ...c, tieWeights: false })).toBe(nonEmbeddingParams(c));
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it("spans two decades on the committed grid", () => {
    const runs = buildScalingGrid({ ...SCALING_GRID, vocabSize: 99 });
    const Ns = runs.map((r) => nonEmbeddingParams(scalingGptConfig(r.config)));
    expect(Math.min(...Ns)).toBe(3312);
    expect(Math.max(...Ns)).toBe(335712);
    expect(Math.log10(Math.max(...Ns) / Math.min(...Ns))).toBeGreaterThan(1.5);
  });
});

describe("buildScalingGrid", () => {
  const grid = buildScalingGrid({ ...SCALING_GRID, vocabSize: 99 });

  it("holds every shape × budget plus the extra budgets, with unique ids, cheapest first", () => {
    expect(grid.length).toBe(6 * 3 + 4);
    expect(new Set(grid.map((r) => r.id)).size).toBe(grid.length);
    expect(grid[0].id).toBe("L1-C16-S60");
    expect(grid.map((r) => r.id)).toContain("L3-C96-S540");
    expect(grid.map((r) => r.id)).not.toContain("L3-C96-S1620");
    const cost = grid
      .map((r) => nonEmbeddingParams(scalingGptConfig(r.config)) + 99 * r.config.nEmbd + 32 * r.config.nEmbd)
      .map((n, i) => n * runTokens(grid[i].config));
    for (let i = 1; i < cost.length; i++) expect(cost[i]).toBeGreaterThanOrEqual(cost[i - 1]);
  });

  it("records D as steps × batch × block", () => {
    const r = grid.find((g) => g.id === "L2-C48-S180")!;
    expect(runTokens(r.config)).toBe(180 * 16 * 32);
    expect(scalingRunId(r.config)).toBe(r.id);
  });

  it("rejects bad shapes and budgets with the field named", () => {
    expect(() => buildScalingGrid({ ...SCALING_GRID, vocabSize: 99, shapes: [{ nLayer: 1, nEmbd: 30, nHead: 4 }] })).toThrow(
      /nEmbd must be divisible by nHead/,
    );
    expect(() => buildScalingGrid({ ...SCALING_GRID, vocabSize: 99, steps: [0] })).toThrow(/steps must be integers >= 1, got 0/);
    expect(() => buildScalingGrid({ ...SCALING_GRID, vocabSize: 99, shapes: [] })).toThrow(/shapes/);
  });

  it("uses one schedule rule for every length: 10 % warmup, cosine ending at the last step", () => {
    expect(scalingSchedule(60, 3e-3)).toMatchObject({ warmupIters: 6, decayIters: 60 });
    expect(scalingSchedule(60, 3e-3).minLr).toBeCloseTo(3e-4, 12);
    expect(scalingSchedule(1620, 1e-3)).toEqual({ warmupIters: 162, decayIters: 1620, minLr: 1e-4 });
    expect(scalingSchedule(3, 1e-3).warmupIters).toBe(1);
    expect(() => scalingSchedule(0, 1e-3)).toThrow(/steps must be an integer >= 1, got 0/);
  });

  it("presets: fast never trains, workshop retrains the target, full the grid", () => {
    expect(SCALING_PRESETS.fast.retrain).toBe("none");
    expect(SCALING_PRESETS.fast.bootstrap).toBe(0);
    expect(SCALING_PRESETS.workshop.retrain).toBe("target");
    expect(SCALING_PRESETS.full.retrain).toBe("all");
    for (const m of ["fast", "workshop", "full"] as const) expect(validateScalingParams(SCALING_PRESETS[m])).toBe(SCALING_PRESETS[m]);
    expect(() => validateScalingParams({ ...SCALING_PRESETS.fast, retrain: "some" as "all" })).toThrow(
      /retrain must be one of "none", "target", "all", got "some"/,
    );
    expect(() => validateScalingParams({ ...SCALING_PRESETS.fast, bootstrap: -1 })).toThrow(/bootstrap must be a whole number, ≥ 0, got -1/);
  });
});

describe("trainScalingRun", () => {
  const text = "we hold these truths to be self-evident, that all men are created equal.\n".repeat(60);

  it("trains a tiny run to a finite loss well below uniform, in a few seconds", async () => {
    await initTf({ backend: "wasm", quiet: true });
    const data = prepareCharData(text);
    const config = {
      nLayer: 1,
      nEmbd: 16,
      nHead: 2,
      vocabSize: data.tokenizer.vocabSize,
      blockSize: 16,
      batchSize: 8,
      steps: 60,
      learningRate: 1e-2,
      seed: 3,
      evalWindows: 16,
    };
    const t0 = performance.now();
    const r = await trainScalingRun(config, data);
    expect((performance.now() - t0) / 1000).toBeLessThan(15);
    expect(r.N).toBe(12 * 256 + 13 * 16 + 32);
    expect(r.D).toBe(60 * 8 * 16);
    expect(r.steps).toBe(60);
    expect(Number.isFinite(r.valLoss)).toBe(true);
    expect(r.valLoss).toBeLessThan(Math.log(data.tokenizer.vocabSize) - 0.5);
    expect(r.totalParams).toBe(r.N + data.tokenizer.vocabSize * 16 + 16 * 16);
  }, 30_000);

  it("an aborted signal stops the run after the current step, and the run is not reported as finished", async () => {
    await initTf({ backend: "wasm", quiet: true });
    const data = prepareCharData(text);
    const config = {
      nLayer: 1,
      nEmbd: 16,
      nHead: 2,
      vocabSize: data.tokenizer.vocabSize,
      blockSize: 16,
      batchSize: 8,
      steps: 60,
      learningRate: 1e-2,
      seed: 3,
      evalWindows: 16,
    };
    const stop = new AbortController();
    const steps: number[] = [];
    const onStep = (s: { step: number }) => {
      steps.push(s.step);
      if (s.step === 2) stop.abort();
    };
    await expect(trainScalingRun(config, data, { signal: stop.signal, onStep })).rejects.toThrow(/did not finish: stopped at step 2/);
    expect(steps).toEqual([1, 2]);
  });

  it("refuses a vocabulary that does not match the data", async () => {
    const data = prepareCharData(text);
    const config = { nLayer: 1, nEmbd: 16, nHead: 2, vocabSize: 7, blockSize: 16, batchSize: 8, steps: 5, learningRate: 1e-2, seed: 3, evalWindows: 4 };
    await expect(trainScalingRun(config, data)).rejects.toThrow(/vocabSize is 7/);
  });

  it("fixedWindowLoss is deterministic and checks its inputs", async () => {
    await initTf({ backend: "wasm", quiet: true });
    const data = prepareCharData(text);
    const model = createGpt(scalingGptConfig({ vocabSize: data.tokenizer.vocabSize, blockSize: 16, nLayer: 1, nEmbd: 16, nHead: 2 }), { seed: 1 });
    const a = fixedWindowLoss(model, data.val, 40, 16);
    expect(fixedWindowLoss(model, data.val, 40, 7)).toBeCloseTo(a, 5);
    expect(a).toBeGreaterThan(Math.log(data.tokenizer.vocabSize) - 0.3);
    expect(() => fixedWindowLoss(model, data.val.slice(0, 5), 4)).toThrow(/fewer than blockSize \+ 1/);
    model.dispose();
  });

  it("trainRunsLive trains through runSweep and skips finished runs on the second call", async () => {
    await initTf({ backend: "wasm", quiet: true });
    const data = prepareCharData(text);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "live-")), "r.json");
    const runs = buildScalingGrid({
      shapes: [{ nLayer: 1, nEmbd: 8, nHead: 1 }],
      steps: [4, 8],
      vocabSize: data.tokenizer.vocabSize,
      blockSize: 8,
      batchSize: 4,
      learningRate: 1e-2,
      seed: 1,
      evalWindows: 4,
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const first = await trainRunsLive(runs, data, { path: file, backend: "wasm" });
      expect(first.runs.map((r) => r.id)).toEqual(["L1-C8-S4", "L1-C8-S8"]);
      const t0 = performance.now();
      const second = await trainRunsLive(runs, data, { path: file });
      expect(performance.now() - t0).toBeLessThan(500);
      expect(second.runs.map((r) => r.valLoss)).toEqual(first.runs.map((r) => r.valLoss));
    } finally {
      stderr.mockRestore();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }, 30_000);

  it("sweepPoints maps runs to (N, D, loss)", () => {
    const pts = sweepPoints({ runs: [{ id: "a", N: 10, D: 20, valLoss: 3, config: {}, seconds: 1, finishedAt: "" }] });
    expect(pts).toEqual([{ id: "a", N: 10, D: 20, loss: 3 }]);
  });
});
