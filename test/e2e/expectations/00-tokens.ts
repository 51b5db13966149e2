/**
 * What a fast run of notebooks/00-tokens.ipynb must produce: the notebook's own BPE loop learning
 * trainBpe's merges, a trained BPE that round-trips, GPT-2's tokenizer in our code with its
 * pitfalls (fast mode: first 1.5 M characters of SOTU), and passing exercise solutions.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Assert the fast run of lesson 00-tokens kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number>;

  expect(m.corpus_words).toBeGreaterThan(200_000); // ≈ 251 k
  expect(m.corpus_words).toBeLessThan(300_000);

  // Built in the notebook, checked against kernel-lib.
  expect(m.bpe_build_merges_match).toBe(true);
  expect(m.bpe_build_merges).toBe(200);
  expect(m.bpe_speedup_per_merge).toBeGreaterThan(50); // fast ≈ 575–850 under load

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

  // Outputs: coloured tokens, charts, and both exercise solutions passed.
  const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
  const html = outputs.map((o) => text("data" in o ? o.data["text/html"] : undefined)).join("\n");
  expect(html).toContain('title="id ');
  expect(html.match(/Plotly\.newPlot/g)?.length ?? 0).toBeGreaterThanOrEqual(2); // merge counts, tokens per word
  const streams = outputs
    .map((o) => (o.output_type === "stream" ? text(o.text) : ""))
    .filter((s) => s !== "")
    .join("\n");
  expect(streams.match(/✓ right/g)?.length ?? 0).toBe(1); // exercise 1 (the first merge)
  // Exercise 2: the learner's encode and decode reproduce GPT-2's ids on unseen text.
  expect(streams).toContain("✓ BPE encode and decode match the reference on 4 unseen texts, with a small trained vocabulary and with GPT-2's");
}
