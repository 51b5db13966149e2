import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstEval, loadGrokResults, summariseGrok } from "../../../kernel-lib/src/grokking/summary";
import type { GrokEval } from "../../../kernel-lib/src/grokking/train";

const e = (step: number, trainAcc: number, valAcc: number, weightNorm: number, gini: number, valLoss = 1): GrokEval => ({
  step,
  trainLoss: 0.1,
  trainAcc,
  valLoss,
  valAcc,
  weightNorm,
  gini,
  top5: 0.2,
});

describe("summariseGrok", () => {
  const evals = [e(0, 0.02, 0.02, 80, 0.05), e(16, 1, 0.01, 100, 0.07, 20), e(200, 1, 0.12, 90, 0.2), e(400, 1, 0.95, 70, 0.45), e(500, 1, 1, 60, 0.6)];

  it("reads the thresholds, the delay, the norm and the Fourier measure", () => {
    const s = summariseGrok(evals);
    expect(s.steps_train99).toBe(16);
    expect(s.val_acc_at_train99).toBe(0.01);
    expect(s.steps_val90).toBe(400);
    expect(s.steps_val99).toBe(500);
    expect(s.grok_delay_ratio).toBe(25);
    expect(s.weight_norm_peak).toBe(100);
    expect(s.weight_norm_peak_step).toBe(16);
    expect(s.weight_norm_at_val90).toBe(70);
    expect(s.val_loss_peak).toBe(20);
    expect(s.fourier_gini_at_val10).toBe(0.2);
    expect(s.fourier_gini_end).toBe(0.6);
    expect(firstEval(evals, (x) => x.valAcc > 2)).toBeNull();
  });

  it("gives null where a threshold was never reached", () => {
    const s = summariseGrok(evals.slice(0, 3));
    expect(s.steps_val90).toBeNull();
    expect(s.grok_delay_ratio).toBeNull();
    expect(() => summariseGrok([])).toThrow(/no evaluations/);
  });
});

describe("loadGrokResults", () => {
  const dir = mkdtempSync(join(tmpdir(), "grok-results-"));
  const doc = (power: number[]) => ({ version: 1, config: { p: 5, dModel: 4, nHeads: 2, dMlp: 8 }, evals: [{ ...e(0, 0, 0, 1, 0), power }] });

  it("reads a results file and rejects a malformed one", () => {
    writeFileSync(join(dir, "ok.json"), JSON.stringify(doc([1, 2, 3])));
    expect(loadGrokResults(join(dir, "ok.json")).evals[0].power).toEqual([1, 2, 3]);
    writeFileSync(join(dir, "bad.json"), JSON.stringify(doc([1, 2])));
    expect(() => loadGrokResults(join(dir, "bad.json"))).toThrow(/step 0 is malformed/);
    expect(() => loadGrokResults("no-such-results")).toThrow(/no results datasets\/grokking\/no-such-results.json/);
  });

  it("reads the committed transformer run", () => {
    const r = loadGrokResults("transformer-p113");
    expect(r.config.p).toBe(113);
    expect(r.train.weightDecay).toBe(1);
    expect(r.evals.length).toBeGreaterThan(5);
  });
});
