/**
 * What a fast run of notebooks/03-attention.ipynb must produce. The notebook's own sdpa, mask,
 * multi-head layer, RoPE, GQA and decoder must agree with kernel-lib's to 1e-5; other
 * deterministic quantities (hand-built heads, sizes, cache equivalence) are checked tightly;
 * timings only loosely, since they depend on the machine and its load.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../tools/src/runner/nbformat";
import type { RunResult } from "../../../tools/src/runner/runner";

/** Assert the run of 03-attention kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string | boolean>;
  const agrees = (name: string) => expect(m[name] as number, name).toBeLessThanOrEqual(1e-5);
  // §1 warm-up: averaging the past by a loop, by a row-normalised lower-triangular matrix and by a masked softmax agree.
  expect(m.average_matrix_vs_loop_max_diff as number).toBeLessThanOrEqual(1e-6);
  expect(m.average_softmax_vs_loop_max_diff as number).toBeLessThanOrEqual(1e-6);
  // §1–2: one query in tfjs ops and the notebook's sdpa agree with kernel-lib's attendOne / scaledDotProductAttention.
  expect(m.one_query_top_weight as number).toBeCloseTo(0.5387, 3);
  agrees("one_query_vs_library_max_diff");
  agrees("matrix_vs_loop_max_diff");
  agrees("sdpa_vs_library_max_diff");
  // §3: the notebook's bottom-right causal mask is kernel-lib's; masked sdpa agrees; new queries give the last rows.
  expect(m.causal_mask_same_as_library).toBe(true);
  agrees("causal_sdpa_vs_library_max_diff");
  expect(m.causal_weight_above_diagonal).toBe(0);
  agrees("causal_new_rows_vs_all_max_diff");
  // §4: the notebook's MultiHeadAttention (W_Q, W_K, W_V, W_O) equals kernel-lib's with the same weights;
  // hand-built heads follow their rules; a random layer spreads its weight evenly.
  agrees("mha_vs_library_max_diff");
  expect(m.prev_token_accuracy).toBe(1);
  expect(m.induction_last_the).toBe("people");
  expect(m.handcrafted_mean_max_weight as number).toBeGreaterThan(0.8);
  // The circuit built in the notebook (a previous-token head, then an induction head) is kernel-lib's inductionCircuit, picks
  // handcraftedHeads' keys on the sentence, and copies a repeated random sequence: 85 % of the second copy's next tokens
  // (seed 1; a repeated id in the first copy has two followers), chance level (1.5 %, chance 2 %) on the first copy.
  agrees("circuit_vs_library_max_diff");
  expect(m.circuit_matches_handcrafted).toBe(true);
  expect(m.induction_copy_accuracy as number).toBeGreaterThan(0.8);
  expect(m.induction_copy_accuracy as number).toBeLessThan(0.9);
  expect(m.induction_copy_first_half_accuracy as number).toBeLessThan(0.05);
  expect(m.random_init_mean_max_weight as number).toBeGreaterThan(0.15);
  expect(m.random_init_mean_max_weight as number).toBeLessThan(0.3);
  // §5: order-blind without positions, not with RoPE; RoPE (both pairings) and the RoPE layer agree with kernel-lib;
  // relative-position invariance; the pairings are permutations of each other.
  agrees("order_blind_max_diff");
  expect(m.rope_order_max_diff as number).toBeGreaterThan(0.1);
  agrees("rope_interleaved_vs_library_max_diff");
  agrees("rope_half_vs_library_max_diff");
  agrees("rope_mha_vs_library_max_diff");
  expect(m.rope_invariance_max_diff as number).toBeLessThan(1e-4);
  agrees("rope_pairing_permutation_diff");
  // §6: repeatKv and GQA/MQA layers agree; Llama-2-7B-shaped KV cache per token, 16-bit: MHA 512 KiB, GQA-8 128 KiB.
  agrees("repeat_kv_vs_library_max_diff");
  agrees("gqa_vs_library_max_diff");
  expect(m.mha_kv_kib_per_token).toBe(512);
  expect(m.gqa8_kv_kib_per_token).toBe(128);
  expect(m.decode_tokens_per_s_mha as number).toBeGreaterThan(0);
  expect(m.decode_tokens_per_s_mqa as number).toBeGreaterThan(0);
  // §7: the notebook's decoder, with and without its cache, gives kernel-lib's logits; the cache does not change the
  // answer, and it pays off by 128 tokens (fast mode's longest).
  agrees("decoder_uncached_vs_library_max_diff");
  agrees("decoder_cached_vs_library_max_diff");
  expect(m.cache_same_tokens).toBe(true);
  agrees("cache_logit_max_diff");
  expect(m.notebook_cached_tokens_per_s as number).toBeGreaterThan(0);
  expect(m.library_cached_tokens_per_s as number).toBeGreaterThan(0);
  expect(m.kv_max_tokens).toBe(128);
  expect(m.kv_speedup_max_tokens as number).toBeGreaterThan(1.5);
  expect(m.decode_tokens_per_s_concat as number).toBeGreaterThan(0);
  expect(m.decode_tokens_per_s_preallocated as number).toBeGreaterThan(0);
  expect(result.seconds).toBeLessThan(120);

  // Charts and the exercise checkers' ✓ lines (hidden solutions, including the implemented sdpa, RoPE and repeatKv) are in the outputs.
  const outputs = JSON.stringify(executed.cells.map((c) => (c as { outputs?: unknown[] }).outputs ?? []));
  expect(outputs).toContain("aligned bottom-right");
  expect(outputs).toContain("Head 2: induction (hand-built)");
  expect(outputs).toContain("softmax(0, future −∞): row t averages tokens 0 … t");
  expect(outputs).toContain("Induction head: in the second copy");
  expect(outputs).toContain("Time to generate N tokens");
  for (const line of [
    "Weights by hand",
    "Mask over a cache",
    "checkSdpa",
    "checkPreviousTokenHead",
    "RoPE offset",
    "checkRope",
    "checkRepeatKv",
    "KV cache of Llama 2 70B",
  ]) {
    expect(outputs).toContain(`✓ ${line}`);
  }
}
