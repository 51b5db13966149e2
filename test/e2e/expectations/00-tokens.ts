/**
 * What a fast run of notebooks/00-tokens-and-probability.ipynb must produce: the notebook's own BPE
 * loop learning trainBpe's merges, its bigram and sampler agreeing with kernel-lib, a trained BPE
 * that round-trips, GPT-2's tokenizer in our code, test perplexities in the ranges the lesson
 * states (fast mode: first 1.5 M characters of SOTU), interpolation weights tuned on validation
 * data, sparsity rising with n, and passing exercise solutions.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the fast run of lesson 00 kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number>;

  // Built in the notebook, checked against kernel-lib.
  expect(m.bpe_build_merges_match).toBe(true);
  expect(m.bpe_build_merges).toBe(200);
  expect(m.bpe_speedup_per_merge).toBeGreaterThan(50); // fast ≈ 850 under load
  expect(m.ngram_build_max_abs_diff).toBeLessThan(1e-9);
  expect(m.ngram_build_ppl_diff).toBeLessThan(1e-9);
  expect(m.interpolation_ppl_diff).toBeLessThan(1e-9);
  expect(m.temperature_max_abs_diff).toBeLessThan(1e-12);
  expect(m.sampling_same_draws).toBe(1000);

  // Tokenizers.
  expect(m.bpe_vocab_size).toBe(1000);
  expect(m.bpe_round_trip).toBe(true);
  expect(m.bpe_train_seconds).toBeGreaterThan(0);
  expect(m.bpe_train_seconds).toBeLessThan(30);
  expect(m.bpe_bytes_per_token).toBeGreaterThan(2.8); // fast: ≈ 3.2
  expect(m.bpe_bytes_per_token).toBeLessThan(3.8);
  expect(m.gpt2_bytes_per_token).toBeGreaterThan(4.5); // ≈ 5.4
  expect(m.gpt2_bytes_per_token).toBeGreaterThan(m.bpe_bytes_per_token);
  expect(m.tokens_per_word_english_gpt2).toBeLessThan(1.5);
  expect(m.tokens_per_word_chinese_bpe).toBeGreaterThan(m.tokens_per_word_english_bpe);

  // GPT-2 pitfalls: glitch tokens, uneven numbers, the cost of other scripts.
  expect(m.gpt2_solidgoldmagikarp_tokens).toBe(1);
  expect(m.gpt2_tokens_1277).toBe(2);
  expect(m.gpt2_tokens_per_char_english).toBeLessThan(0.3); // ≈ 0.19
  expect(m.gpt2_tokens_per_char_russian).toBeGreaterThan(0.9); // ≈ 1.10
  expect(m.gpt2_tokens_per_char_chinese).toBeGreaterThan(1.8); // ≈ 2.09

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
  // Weights chosen on validation data also help on test: ≈ 128 → 122 with λ = 0.3, 0.4, 0.3.
  expect((result.metrics.lambdas_tuned as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  expect(m.perplexity_trigram_tuned).toBeLessThan(m.perplexity_trigram);

  const unseen = result.metrics.unseen_rates as number[];
  expect(unseen).toHaveLength(5);
  for (let i = 1; i < unseen.length; i++) expect(unseen[i]).toBeGreaterThan(unseen[i - 1]);
  expect(unseen[2]).toBeGreaterThan(0.4); // ≈ 0.60 of held-out trigrams never seen
  expect(unseen[4]).toBeGreaterThan(0.75); // ≈ 0.89 of 5-grams

  expect(m.top_next_after_the_united).toBe("states");

  // Outputs: coloured tokens, charts, and every exercise solution passed.
  const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
  const html = outputs.map((o) => text("data" in o ? o.data["text/html"] : undefined)).join("\n");
  expect(html).toContain('title="id ');
  expect(html.match(/Plotly\.newPlot/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
  const streams = outputs
    .map((o) => (o.output_type === "stream" ? text(o.text) : ""))
    .filter((s) => s !== "")
    .join("\n");
  expect(streams.match(/✓ right/g)?.length ?? 0).toBe(3); // exercises 1, 3 (perplexity) and 4 (add-k)
  // Exercise 2: the learner's encode and decode reproduce GPT-2's ids on unseen text.
  expect(streams).toContain("✓ BPE encode and decode match the reference on 4 unseen texts, with a small trained vocabulary and with GPT-2's");
}
