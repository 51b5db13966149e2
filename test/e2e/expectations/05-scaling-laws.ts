/**
 * What a fast run of notebooks/05-scaling-laws.ipynb must produce. Fast mode trains nothing: it
 * fits the committed sweep (datasets/scaling/sotu-char-v1.json, 22 runs), so every number is
 * deterministic up to floating-point details of the L-BFGS fits; the ranges are tight around the
 * values measured when the lesson was written.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

/** Assert the run of 05-scaling-laws kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string>;
  for (const name of [
    "runs",
    "fit_E",
    "fit_A",
    "fit_B",
    "fit_alpha",
    "fit_beta",
    "fit_objective",
    "fit_rms_log_error",
    "predicted_loss",
    "actual_loss",
    "prediction_rel_error",
    "isoflop_exponent",
    "backend",
  ]) {
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
  // Built in the notebook, checked against kernel-lib: the law and the approach-3 objective (same arithmetic: 0 measured).
  expect(m.law_check_max_diff as number).toBeLessThanOrEqual(1e-12);
  expect(m.objective_check_max_rel_diff as number).toBeLessThanOrEqual(1e-12);
  // Gradient descent from one start stays above the optimum (measured 7.18e-4 after 5 000 steps, α 0.173,
  // β 0.241); L-BFGS from the same start reaches fitChinchilla's objective (5.978e-4).
  expect(m.gd_objective as number).toBeGreaterThan(1.1 * (m.fit_objective as number));
  expect(m.gd_objective as number).toBeLessThan(1.3 * (m.fit_objective as number));
  expect(m.lbfgs_one_start_objective as number).toBeLessThan((m.fit_objective as number) * (1 + 1e-6));
  expect(m.fit_seconds as number).toBeGreaterThan(0);
  // Why the grid: 57 % of the 4 500 starts reach the best; a start with α₀ = 2 stops where the N term is
  // switched off (measured objective 1.149e-3 = 1.92× the best, α 2.000, β 0.106).
  expect(m.grid_share_best as number).toBeGreaterThan(0.45);
  expect(m.grid_share_best as number).toBeLessThan(0.7);
  // The most common other end point is the constant law L = E (measured 23 % of the starts).
  expect(m.grid_share_constant as number).toBeGreaterThan(0.15);
  expect(m.grid_share_constant as number).toBeLessThan(0.3);
  expect(m.start_best_objective as number).toBeLessThan((m.fit_objective as number) * (1 + 1e-6));
  expect((m.start_other_objective as number) / (m.fit_objective as number)).toBeGreaterThan(1.8);
  expect((m.start_other_objective as number) / (m.fit_objective as number)).toBeLessThan(2.05);
  expect(m.start_other_alpha as number).toBeGreaterThan(1.5);
  expect(m.start_other_beta as number).toBeGreaterThan(0.09);
  expect(m.start_other_beta as number).toBeLessThan(0.12);
  // N = all parameters (Chinchilla's convention) lowers the N_opt exponent (measured 0.581 → 0.497).
  expect(m.frontier_exponent_N_all_params as number).toBeGreaterThan(0.45);
  expect(m.frontier_exponent_N_all_params as number).toBeLessThan(0.54);
  expect(m.frontier_exponent_N_all_params as number).toBeLessThan((m.frontier_exponent_N as number) - 0.05);
  // The prediction: the largest model's longest run from the five smaller models (measured 2.288 vs 2.180, +5.0 %).
  expect(m.prediction_target).toBe("L3-C96-S540");
  expect(m.actual_loss as number).toBeCloseTo(2.1802, 3);
  expect(m.predicted_loss as number).toBeGreaterThan(2.2);
  expect(m.predicted_loss as number).toBeLessThan(2.36);
  expect(m.prediction_rel_error as number).toBeCloseTo(((m.predicted_loss as number) - (m.actual_loss as number)) / (m.actual_loss as number), 9);
  expect(Math.abs(m.prediction_rel_error as number)).toBeLessThan(0.08);
  // Approach 2 (IsoFLOP profiles). The committed grid interpolated at fixed C has no valley: at all 6 budgets the
  // smallest size that reaches C is the best one.
  expect(m.grid_isoflop_budgets).toBe(6);
  expect(m.grid_isoflop_smallest_best).toBe(m.grid_isoflop_budgets);
  // The IsoFLOP sweep: 15 runs on 3 budgets; the notebook's parabola and log-log line equal kernel-lib's
  // (measured 3.3e-11 and 0).
  expect(m.isoflop_runs).toBe(15);
  expect(m.isoflop_budgets).toBe(3);
  expect(m.isoflop_parabola_check_max_diff as number).toBeLessThan(1e-8);
  expect(m.isoflop_exponent_check_max_diff as number).toBeLessThanOrEqual(1e-12);
  // Vertices: ≈ 240 at 2.5e9 (below the smallest model: extrapolated), 1 834 at 1e10 and 4 258 at 4e10 (inside).
  expect(m.isoflop_bracketed).toBe(2);
  const nOpt = m.isoflop_nopt as unknown as number[];
  expect(nOpt).toHaveLength(3);
  expect(nOpt[0]).toBeLessThan(252);
  expect(nOpt[1]).toBeGreaterThan(1500);
  expect(nOpt[1]).toBeLessThan(2200);
  expect(nOpt[2]).toBeGreaterThan(3500);
  expect(nOpt[2]).toBeLessThan(5000);
  // N_opt ∝ C^a through the two measured vertices (measured 0.608), and through all three (1.035, R² 0.95).
  expect(m.isoflop_exponent as number).toBeGreaterThan(0.55);
  expect(m.isoflop_exponent as number).toBeLessThan(0.67);
  expect(m.isoflop_exponent_D as number).toBeCloseTo(1 - (m.isoflop_exponent as number), 9);
  expect(m.isoflop_exponent_all_budgets as number).toBeGreaterThan(0.9);
  expect(m.isoflop_exponent_all_budgets as number).toBeLessThan(1.15);
  expect(m.isoflop_r2_all_budgets as number).toBeGreaterThan(0.9);
  // Exercise 4: tokens the largest model needs for 2.2 nats/char under our law (measured 2.59e5).
  expect(m.ex2_tokens_for_2_2 as number).toBeGreaterThan(1.5e5);
  expect(m.ex2_tokens_for_2_2 as number).toBeLessThan(4e5);
  expect(result.seconds).toBeLessThan(120);

  const outputs = JSON.stringify(executed.cells.map((c) => (c as { outputs?: unknown[] }).outputs ?? []));
  expect(outputs).toContain("✓ your valley minimum matches isoFlopMinimum on 12 noisy IsoFLOP profiles");
  expect(outputs).toContain("✓ your gradient matches chinchillaObjective's on 12 random fits");
  expect(outputs).toContain("the committed grid at fixed compute");
  expect(outputs).toContain("IsoFLOP profiles: loss against N at fixed compute");
  expect(outputs).toContain("compute-optimal model size: IsoFLOP minima and the fitted law");
  expect(outputs).toContain("the objective during gradient descent");
  expect(outputs).toContain("where 4 500 L-BFGS starts end");
  expect(outputs).toContain("✓ 335712 non-embedding parameters");
  expect(outputs).toContain("✓ D ≈");
  expect(outputs).toContain("✓ N_opt ≈");
  expect(outputs).toContain("iso-loss contours");
  expect(outputs).toContain("compute-optimal model size");
}
