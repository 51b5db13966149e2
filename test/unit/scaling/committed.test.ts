import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { readSweep } from "../../../kernel-lib/src/scaling/sweep";
import { buildScalingGrid, nonEmbeddingParams, runTokens, scalingGptConfig, sweepPoints, type ScalingRunConfig } from "../../../kernel-lib/src/scaling/grid";
import { ISOFLOP_BUDGETS, ISOFLOP_SWEEP_NAME, SCALING_GRID, SCALING_SWEEP_NAME } from "../../../kernel-lib/src/lessons/05-scaling-laws/presets";
import { predictionSplit } from "../../../kernel-lib/src/lessons/05-scaling-laws/lesson";
import { buildIsoFlopGrid, isoFlopProfiles } from "../../../kernel-lib/src/scaling/isoflop";

const file = path.join(__dirname, "..", "..", "..", "datasets", "scaling", `${SCALING_SWEEP_NAME}.json`);

describe("the committed sweep results", () => {
  const sweep = readSweep<ScalingRunConfig>(file);

  it("hold exactly the grid's runs, with N and D as the grid defines them", () => {
    const grid = buildScalingGrid({ ...SCALING_GRID, vocabSize: 99 });
    expect(sweep.runs.map((r) => r.id).sort()).toEqual(grid.map((g) => g.id).sort());
    for (const r of sweep.runs) {
      const spec = grid.find((g) => g.id === r.id)!;
      expect(r.config).toEqual(spec.config);
      expect(r.N).toBe(nonEmbeddingParams(scalingGptConfig(spec.config)));
      expect(r.D).toBe(runTokens(spec.config));
      expect(r.valLoss).toBeGreaterThan(1);
      expect(r.valLoss).toBeLessThan(Math.log(99));
    }
  });

  it("say where they were made", () => {
    expect(sweep.backend).toBe("wasm");
    expect(sweep.machine.cores).toBeGreaterThan(0);
    expect(sweep.notes).toMatch(/non-embedding/);
  });

  it("improve with more tokens for every model (the law's first promise)", () => {
    const byShape = new Map<string, { D: number; loss: number }[]>();
    for (const r of sweep.runs) {
      const key = `L${r.config.nLayer}-C${r.config.nEmbd}`;
      byShape.set(key, [...(byShape.get(key) ?? []), { D: r.D, loss: r.valLoss }]);
    }
    for (const runs of byShape.values()) {
      runs.sort((a, b) => a.D - b.D);
      for (let i = 1; i < runs.length; i++) expect(runs[i].loss).toBeLessThan(runs[i - 1].loss + 0.01);
    }
  });

  it("hold out the largest model's longest run for the prediction", () => {
    const { target, fitOn } = predictionSplit(sweepPoints(sweep));
    expect(target.id).toBe("L3-C96-S540");
    expect(fitOn.length).toBe(sweep.runs.length - 3);
  });
});

describe("the committed IsoFLOP sweep", () => {
  const iso = readSweep<ScalingRunConfig & { budget: number }>(path.join(__dirname, "..", "..", "..", "datasets", "scaling", `${ISOFLOP_SWEEP_NAME}.json`));

  it("holds exactly the IsoFLOP grid's runs, each within 1 % of its budget", () => {
    const grid = buildIsoFlopGrid({ ...SCALING_GRID, budgets: ISOFLOP_BUDGETS, vocabSize: 99 });
    expect(iso.runs.map((r) => r.id).sort()).toEqual(grid.map((g) => g.id).sort());
    for (const r of iso.runs) {
      const spec = grid.find((g) => g.id === r.id)!;
      expect(r.config).toEqual(spec.config);
      expect(r.N).toBe(nonEmbeddingParams(scalingGptConfig(spec.config)));
      expect(r.D).toBe(runTokens(spec.config));
      expect(Math.abs((6 * r.N * r.D) / r.config.budget - 1)).toBeLessThan(0.01);
    }
  });

  it("groups into one IsoFLOP band per budget, five sizes each", () => {
    const profiles = isoFlopProfiles(
      sweepPoints(iso),
      ISOFLOP_BUDGETS.map((b) => b.C),
    );
    expect(profiles.map((p) => p.points.length)).toEqual(ISOFLOP_BUDGETS.map((b) => b.shapes.length));
  });
});
