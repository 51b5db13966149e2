/**
 * What a fast run of notebooks/02-word2vec.ipynb must produce (most recent ~500 k SOTU words,
 * dim 32, 3 epochs, 2 threads; the notebook's own trainer on the most recent ~150 k words, 3 epochs).
 * Deterministic numbers (pair counts, corpus and vocabulary size) are exact; trained ones are ranges around the values measured when the lesson was written.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the run of 02-word2vec kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string>;
  // §1: 7 words, window 2 → 22 pairs.
  expect(m.pairs_window2).toBe(22);
  expect(m.corpus_words).toBe(503_261);
  expect(m.vocab_size).toBe(5_873);
  // §2: without negatives everything is a "neighbour": σ ≈ 1 for random pairs, AUC ≈ 0.5, lowest loss.
  expect(m.noneg_random_pair_prob as number).toBeGreaterThan(0.85);
  expect(m.noneg_auc as number).toBeGreaterThan(0.4);
  expect(m.noneg_auc as number).toBeLessThan(0.6);
  expect(m.neg_auc as number).toBeGreaterThan((m.noneg_auc as number) + 0.05);
  expect(m.noneg_loss as number).toBeLessThan(m.neg_loss as number);
  // §3: the notebook's sgnsStep equals kernel-lib's reference step; its trainer learns what kernel-lib's learns
  // (neighbours shared across seeds about as often as between two kernel-lib seeds; similar loss).
  expect(m.sgns_step_max_diff as number).toBeLessThanOrEqual(1e-6);
  expect(m.hand_vs_lib_other_seed_overlap as number).toBeGreaterThan((m.lib_vs_lib_overlap as number) - 0.1);
  expect(m.hand_vs_lib_overlap as number).toBeGreaterThan(0.2);
  expect(Math.abs((m.hand_loss as number) - (m.lib_slice_loss as number))).toBeLessThan(0.03);
  // §4: mean loss per prediction falls over the epochs (measured 0.456 → 0.417 → 0.415).
  expect(m.first_epoch_loss as number).toBeGreaterThan((m.final_loss as number) + 0.02);
  expect(m.final_loss as number).toBeGreaterThan(0.35);
  expect(m.final_loss as number).toBeLessThan(0.48);
  expect(m.words_per_s as number).toBeGreaterThan(20_000);
  // §4: kernel-lib is faster than the notebook loop, measured in the same run.
  expect(m.hand_words_per_s as number).toBeGreaterThan(0);
  expect(m.speedup_1thread as number).toBeGreaterThan(2);
  expect(m.speedup_threads as number).toBeGreaterThan(2);
  // §5–6: "taxes" among the neighbours of "tax"; analogies and word pairs clearly above chance.
  expect(m.tax_taxes_rank as number).toBeGreaterThan(0);
  expect(m.tax_taxes_rank as number).toBeLessThanOrEqual(20);
  expect(m.analogy_accuracy as number).toBeGreaterThan(0.03);
  expect(m.pairs_spearman as number).toBeGreaterThan(0.2);
  expect(typeof m.most_drifted).toBe("string");
  expect(result.seconds).toBeLessThan(180);

  const bundles = executed.cells.flatMap((c) =>
    (c.outputs ?? []).filter((o) => o.output_type === "display_data").map((o) => (o as { data: Record<string, unknown> }).data),
  );
  const charts = bundles.filter((b) => b[PLOTLY_MIME] !== undefined);
  expect(charts.length).toBeGreaterThanOrEqual(3); // live loss curve, speed bars, PCA map
  const streams = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => text((o as { text: unknown }).text)));
  const all = streams.join("\n");
  expect(all).toContain("✓ 36 pairs");
  expect(all).toContain("✓ keepProbability matches");
  expect(all).toContain('✓ "the" survives subsampling');
  expect(all).toContain("✓ cbowStep matches word2vec.c's CBOW step"); // exercise 3: CBOW, the other direction
  expect(all).toContain("drifted most");
}
