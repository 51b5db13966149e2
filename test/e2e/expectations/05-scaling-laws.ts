/**
 * What a fast run of notebooks/05-scaling-laws.ipynb must produce. Fast mode trains nothing: it
 * fits the committed sweep (datasets/scaling/sotu-char-v1.json, 22 runs), so every number is
 * deterministic up to floating-point details of the L-BFGS fits; the ranges are tight around the
 * values measured when the lesson was written.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../kernel-lib/src/notebook/nbformat";
import type { RunResult } from "../../../kernel-lib/src/notebook/runner";

/** Assert the run of 05-scaling-laws kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string>;
  for (const name of ["runs", "fit_E", "fit_A", "fit_B", "fit_alpha", "fit_beta", "fit_objective", "fit_rms_log_error", "predicted_loss", "actual_loss", "prediction_rel_error", "backend"]) {
    expect(m[name], `metric ${name}`).toBeDefined();
  }
  expect(m.runs).toBe(22);
  // The law through all 22 runs (measured: α 0.125, β 0.173, E → 0, RMS error 3.9 %).
  expect(m.fit_alpha as number).toBeGreaterThan(0.09);
  expect(m.fit_alpha as number).toBeLessThan(0.16);
  expect(m.fit_beta as number).toBeGreaterThan(0.14);
  expect(m.fit_beta as number).toBeLessThan(0.21);
  expect(m.fit_E as number).toBeGreaterThanOrEqual(0);
  expect(m.fit_E as number).toBeLessThan(1);
  expect(m.fit_rms_log_error as number).toBeLessThan(0.05);
  expect(m.frontier_exponent_N as number).toBeCloseTo((m.fit_beta as number) / ((m.fit_alpha as number) + (m.fit_beta as number)), 9);
  // The prediction: the largest model's longest run from the five smaller models (measured 2.288 vs 2.180, +5.0 %).
  expect(m.prediction_target).toBe("L3-C96-S540");
  expect(m.actual_loss as number).toBeCloseTo(2.1802, 3);
  expect(m.predicted_loss as number).toBeGreaterThan(2.2);
  expect(m.predicted_loss as number).toBeLessThan(2.36);
  expect(m.prediction_rel_error as number).toBeCloseTo(((m.predicted_loss as number) - (m.actual_loss as number)) / (m.actual_loss as number), 9);
  expect(Math.abs(m.prediction_rel_error as number)).toBeLessThan(0.08);
  // Exercise 2: tokens the largest model needs for 2.2 nats/char under our law (measured 2.59e5).
  expect(m.ex2_tokens_for_2_2 as number).toBeGreaterThan(1.5e5);
  expect(m.ex2_tokens_for_2_2 as number).toBeLessThan(4e5);
  expect(result.seconds).toBeLessThan(120);

  const outputs = JSON.stringify(executed.cells.map((c) => (c as { outputs?: unknown[] }).outputs ?? []));
  expect(outputs).toContain("✓ 335712 non-embedding parameters");
  expect(outputs).toContain("✓ D ≈");
  expect(outputs).toContain("✓ N_opt ≈");
  expect(outputs).toContain("iso-loss contours");
  expect(outputs).toContain("compute-optimal model size");
}
