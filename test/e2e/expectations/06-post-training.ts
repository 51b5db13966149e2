/**
 * What a fast run of notebooks/06-post-training.ipynb must produce (the shipped 0.81 M-parameter
 * GPT; fast preset: the "first letter" task only, 180 SFT steps of 32 examples, a 10-step reward
 * model, 8 REINFORCE steps, two 30-step DPO runs at 2.5e-5 and 2.5e-4, 64 held-out prompts). The
 * check cells' agreements are asserted to their tolerances, the rest as ranges around the values
 * measured when the lesson was written (fast run: 105 s on 2 cores under load, load average 5–6).
 *
 * Fast mode asks only for the first letter: with both tasks, 180–200 SFT steps land where the
 * "last letter" skill is just emerging (held-out accuracy 0.33–0.69 depending on the seed of the
 * batches), too unstable to test. Even the first-letter task is learned only late in those
 * steps: the same preset with 300 words instead of 400 reached 0.33, so a change to the preset
 * needs a new measurement. The lesson's targets are asserted at their workshop values, on
 * the first-letter task; those that differ in fast mode: the REINFORCE reward rise is asserted
 * as > 0.1 (measured −0.26 → −0.09 in 8 steps; workshop −0.49 → 1.25 in 25), and the high-rate
 * DPO loss as < 0.02 (measured 0.004; workshop 6e-4).
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

/** Assert the run of 06-post-training kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number>;
  const names = [
    "base_task_accuracy",
    "base_stop_rate",
    "sft_task_accuracy",
    "sft_stop_rate",
    "rm_pair_accuracy",
    "rl_reward_before",
    "rl_reward_after",
    "rl_kl",
    "dpo_step0_loss",
    "dpo_loss_max_diff",
    "dpo_rejected_style_rate_before",
    "dpo_rejected_style_rate_after",
    "dpo_task_accuracy",
    "dpo_chosen_logp_delta",
    "dpo_hot_task_accuracy",
  ];
  for (const name of names) expect(m[name], `metric ${name}`).toBeDefined();

  // Check cells: the notebook's batch, losses, log-probs, rewards, advantages and DPO loss agree with kernel-lib's.
  expect(m.sft_batch_same).toBe(1);
  expect(m.sft_loss_max_diff).toBeLessThanOrEqual(1e-5); // measured 0
  expect(m.sft_prompt_invariance_diff).toBeLessThanOrEqual(1e-5); // scrambled prompt rows: measured 0
  expect(m.seq_logprob_max_diff).toBeLessThanOrEqual(1e-4);
  expect(m.rm_reward_max_diff).toBeLessThanOrEqual(1e-5);
  expect(m.bt_loss_max_diff).toBeLessThanOrEqual(1e-6);
  expect(m.rl_check_max_diff).toBeLessThanOrEqual(1e-5); // measured 6e-8
  expect(m.dpo_loss_max_diff).toBeLessThanOrEqual(1e-6); // measured 0

  // The base model neither answers nor stops (measured 0 and 0).
  expect(m.base_task_accuracy).toBeLessThanOrEqual(0.05);
  expect(m.base_stop_rate).toBeLessThan(0.1);
  // SFT: answers held-out words in the format and stops; copies the data's "Sure!" habit (≈ half).
  expect(m.sft_task_accuracy).toBeGreaterThanOrEqual(0.9); // measured 1.0
  expect(m.sft_stop_rate).toBeGreaterThanOrEqual(0.95);
  expect(m.sft_style_rate).toBeGreaterThan(0.25);
  expect(m.sft_style_rate).toBeLessThan(0.75);
  // …and keeps the format on a task it never saw, without doing it right.
  expect(m.sft_unseen_task_stop_rate).toBeGreaterThanOrEqual(0.8);
  expect(m.sft_unseen_task_accuracy).toBeLessThan(0.5);

  // Reward model: held-out pair accuracy ≥ 0.95 (measured 1.0); it never learned correctness.
  expect(m.rm_pair_accuracy).toBeGreaterThanOrEqual(0.95);
  expect(m.rm_prefers_wrong_plain).toBeGreaterThan(0.5);
  expect(m.bon_style_rate).toBeLessThan(m.bon_single_style_rate);

  // REINFORCE: the mean reward rises and the KL is reported (measured 0.60 nats).
  expect(m.rl_reward_after).toBeGreaterThan(m.rl_reward_before + 0.1);
  expect(Number.isFinite(m.rl_kl)).toBe(true);
  expect(Math.abs(m.rl_kl)).toBeLessThan(5);
  expect(m.rl_style_rate_after).toBeLessThan(m.sft_style_rate / 2); // measured 0.48 → 0

  // DPO: ln 2 at step 0; "Sure!" from its SFT rate to ≤ 0.1; the chosen answer does not fall by 1 nat or more.
  expect(Math.abs(m.dpo_step0_loss - Math.LN2)).toBeLessThanOrEqual(1e-4);
  expect(m.dpo_rejected_style_rate_before).toBeCloseTo(m.sft_style_rate, 10);
  expect(m.dpo_rejected_style_rate_after).toBeLessThanOrEqual(0.1); // measured 0.48 → 0.03
  expect(m.dpo_task_accuracy).toBeGreaterThanOrEqual(m.sft_task_accuracy - 0.05); // measured 1.0 → 0.98
  expect(m.dpo_chosen_logp_delta).toBeGreaterThan(-1); // measured +0.86
  expect(m.dpo_rejected_logp_delta).toBeLessThan(m.dpo_chosen_logp_delta);
  // The 10× rate: loss near 0, the chosen answer's log-prob falls, accuracy collapses.
  expect(m.dpo_hot_final_loss).toBeLessThan(0.02);
  expect(m.dpo_hot_chosen_logp_delta).toBeLessThan(m.dpo_chosen_logp_delta - 1);
  expect(m.dpo_hot_task_accuracy).toBeLessThan(m.dpo_task_accuracy - 0.2);
  expect(m.reference_unchanged).toBe(1);

  // Fast mode is meant to finish within 2 minutes (measured 105–118 s, kernel start included, while
  // other training shared the 2 cores); the bound leaves room for a busier machine, as 04's does.
  expect(result.seconds).toBeLessThan(180);
  const outputs = JSON.stringify(executed.cells.map((c) => c.outputs ?? []));
  for (const line of ["✓ masked SFT loss", "✓ sequence log-prob", "✓ DPO loss", "✓ Bradley–Terry loss"]) expect(outputs).toContain(line);
  expect(outputs).toContain("reference weights bit-identical after RL and both DPO runs: true");
}
