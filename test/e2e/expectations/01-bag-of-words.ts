/**
 * What a fast run of notebooks/01-bag-of-words.ipynb must produce: the order demonstration's
 * exact cosines, TF-IDF and the gradient step built in cells agreeing with kernel-lib, the sparse
 * versions faster, a similarity structure over time, an era classifier and a Brown genre classifier
 * well above their majority baselines, charts, and every exercise solution passing its checker.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the run of 01-bag-of-words went as the lesson says. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number>;

  // Word order: identical unigram vectors; bigrams separate them (exact, deterministic).
  expect(m.order_unigram_cosine_en).toBeCloseTo(1, 12);
  expect(m.order_unigram_cosine_zh).toBeCloseTo(1, 12);
  expect(m.order_bigram_cosine_en).toBeCloseTo(10 / 11, 12);
  expect(m.order_bigram_cosine_zh).toBeCloseTo(3 / 5, 12);

  // Built in cells, checked against kernel-lib: TF-IDF (toy documents and all 233 addresses) and
  // one softmax-regression step (from random weights, and the trainer's first step from zero).
  expect(m.tfidf_toy_max_diff).toBeLessThanOrEqual(1e-12);
  expect(m.tfidf_sotu_max_diff).toBeLessThanOrEqual(1e-12);
  expect(m.step_max_diff).toBeLessThanOrEqual(1e-12);
  expect(m.step_first_max_diff).toBeLessThanOrEqual(1e-12);
  // The sparse versions: less memory for TF-IDF (≈ 11×), a faster gradient step (≈ 15× in fast mode).
  expect(m.tfidf_memory_ratio).toBeGreaterThan(5);
  expect(m.step_speedup).toBeGreaterThan(3);

  // Fast preset: 5000 terms, split by president (seed 1).
  expect(m.vocab_size).toBe(5000);
  expect(m.train_docs + m.test_docs).toBe(233);
  expect(m.test_docs).toBeGreaterThan(40);

  // Addresses a year apart are far more alike than addresses 50+ years apart (lesson: ~0.41 vs ~0.09).
  expect(m.sim_adjacent_mean).toBeGreaterThan(0.3);
  expect(m.sim_far_mean).toBeLessThan(0.15);

  // The classifier: converged, well above the majority baseline (lesson: ~89 % vs ~27 %).
  expect(m.accuracy).toBeGreaterThan(m.baseline_accuracy + 0.4);
  expect(m.accuracy).toBeGreaterThanOrEqual(0.8);
  expect(m.baseline_accuracy).toBeLessThan(0.4);
  expect(m.nearest_centroid_accuracy).toBeGreaterThan(m.baseline_accuracy);
  expect(m.train_steps).toBeLessThan(2000);

  // Brown genres (15, a quarter of each held out): ≈ 52 % against a ≈ 15 % majority baseline.
  expect(m.brown_genres).toBe(15);
  expect(m.brown_test_docs).toBeGreaterThan(100);
  expect(m.brown_baseline_accuracy).toBeLessThan(0.2);
  expect(m.brown_accuracy).toBeGreaterThan(m.brown_baseline_accuracy + 0.25);
  expect(m.brown_centroid_accuracy).toBeGreaterThan(m.brown_baseline_accuracy);

  // Fast mode stays well inside the CI budget.
  expect(result.seconds).toBeLessThan(120);

  // Charts: 3 top-term bars, the similarity heatmap, the loss curve, two confusion matrices, 4 class bars.
  const bundles = executed.cells.flatMap((c) =>
    (c.outputs ?? [])
      .filter((o) => o.output_type === "display_data" || o.output_type === "execute_result")
      .map((o) => (o as { data: Record<string, unknown> }).data),
  );
  expect(bundles.filter((b) => b[PLOTLY_MIME] !== undefined).length).toBeGreaterThanOrEqual(11);
  const plain = bundles.map((b) => text(b["text/plain"]));
  expect(plain.some((t) => t.includes("TF-IDF cosine similarity") && t.includes("heatmap"))).toBe(true);
  expect(plain.some((t) => t.includes("Confusion matrix") && t.includes("heatmap"))).toBe(true);
  expect(plain.some((t) => t.includes("Brown genres: confusion matrix") && t.includes("heatmap"))).toBe(true);

  // Every exercise solution passed its checker.
  const streams = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => text((o as { text: unknown }).text)));
  for (const k of [1, 2, 3, 4])
    expect(
      streams.some((s) => s.includes(`✓ Exercise ${k}`)),
      `exercise ${k} solution`,
    ).toBe(true);
  for (const checker of ["checkIdf", "checkCosine", "checkSoftmaxStep"]) {
    expect(
      streams.some((s) => s.includes(`✓ ${checker}:`)),
      `${checker} solution`,
    ).toBe(true);
  }
}
