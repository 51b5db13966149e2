/**
 * What a fast run of notebooks/00-ngrams.ipynb must produce: the notebook's own bigram,
 * interpolation and sampler agreeing with kernel-lib, test perplexities in the ranges the lesson
 * states (fast mode: first 1.5 M characters of SOTU), interpolation weights tuned on validation
 * data, sparsity rising with n, and passing exercise solutions.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the fast run of lesson 00-ngrams kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number>;

  // Built in the notebook, checked against kernel-lib.
  expect(m.ngram_build_max_abs_diff).toBeLessThan(1e-9);
  expect(m.ngram_build_ppl_diff).toBeLessThan(1e-9);
  expect(m.interpolation_ppl_diff).toBeLessThan(1e-9);
  expect(m.temperature_max_abs_diff).toBeLessThan(1e-12);
  expect(m.sampling_same_draws).toBe(1000);

  // n-gram models on the test half of the held-out text: more context helps, add-k trigram does not.
  expect(m.corpus_words).toBeGreaterThan(200_000); // ≈ 251 k
  expect(m.corpus_words).toBeLessThan(300_000);
  expect(m.perplexity_unigram).toBeGreaterThan(300); // ≈ 411
  expect(m.perplexity_unigram).toBeLessThan(550);
  expect(m.perplexity_bigram).toBeGreaterThan(100); // ≈ 141
  expect(m.perplexity_bigram).toBeLessThan(190);
  expect(m.perplexity_trigram).toBeGreaterThan(90); // ≈ 128
  expect(m.perplexity_trigram).toBeLessThan(m.perplexity_bigram);
  expect(m.perplexity_trigram_addk).toBeGreaterThan(m.perplexity_bigram); // ≈ 785
  expect(m.perplexity_unigram).toBeLessThan(m.vocab_words); // better than uniform
  // Weights chosen on validation data also help on test: ≈ 128 → 122 with λ = 0.25, 0.45, 0.3.
  expect((result.metrics.lambdas_tuned as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  expect(m.perplexity_trigram_tuned).toBeLessThan(m.perplexity_trigram);

  const unseen = result.metrics.unseen_rates as number[];
  expect(unseen).toHaveLength(5);
  for (let i = 1; i < unseen.length; i++) expect(unseen[i]).toBeGreaterThan(unseen[i - 1]);
  expect(unseen[2]).toBeGreaterThan(0.4); // ≈ 0.60 of held-out trigrams never seen
  expect(unseen[4]).toBeGreaterThan(0.75); // ≈ 0.89 of 5-grams

  expect(m.top_next_after_the_united).toBe("states");

  // Outputs: charts, and both exercise solutions passed.
  const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
  const html = outputs.map((o) => text("data" in o ? o.data["text/html"] : undefined)).join("\n");
  expect(html.match(/Plotly\.newPlot/g)?.length ?? 0).toBeGreaterThanOrEqual(4); // perplexities, sparsity, next word, temperatures
  const streams = outputs
    .map((o) => (o.output_type === "stream" ? text(o.text) : ""))
    .filter((s) => s !== "")
    .join("\n");
  expect(streams.match(/✓ right/g)?.length ?? 0).toBe(2); // exercise 1 (n-gram perplexity) and 2 (add-k)
  expect(streams).toContain("random bigram, trigram and 4-gram models"); // exercise 1's checker ran every order
}
