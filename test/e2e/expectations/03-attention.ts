/**
 * What a fast run of notebooks/03-attention.ipynb must produce. Deterministic quantities (the
 * hand-built heads, masks, RoPE, sizes, cache equivalence) are checked tightly; timings only
 * loosely, since they depend on the machine and its load.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../kernel-lib/src/notebook/nbformat";
import type { RunResult } from "../../../kernel-lib/src/notebook/runner";

/** Assert the run of 03-attention kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string | boolean>;
  // §1–2: one query by hand; the matrix form gives the same answer.
  expect(m.one_query_top_weight as number).toBeCloseTo(0.5387, 3);
  expect(m.matrix_vs_loop_max_diff as number).toBeLessThan(1e-5);
  // §3: hand-built heads follow their rules; a random layer spreads its weight evenly.
  expect(m.prev_token_accuracy).toBe(1);
  expect(m.induction_last_the).toBe("people");
  expect(m.handcrafted_mean_max_weight as number).toBeGreaterThan(0.8);
  expect(m.random_init_mean_max_weight as number).toBeGreaterThan(0.15);
  expect(m.random_init_mean_max_weight as number).toBeLessThan(0.3);
  // §4–5: causal mask, RoPE relative-position invariance, pairings are permutations.
  expect(m.causal_weight_above_diagonal).toBe(0);
  expect(m.rope_invariance_max_diff as number).toBeLessThan(1e-4);
  expect(m.rope_pairing_permutation_diff as number).toBeLessThan(1e-5);
  // §6: Llama-2-7B-shaped KV cache per token, 16-bit: MHA 512 KiB, GQA-8 128 KiB.
  expect(m.mha_kv_kib_per_token).toBe(512);
  expect(m.gqa8_kv_kib_per_token).toBe(128);
  expect(m.decode_tokens_per_s_mha as number).toBeGreaterThan(0);
  expect(m.decode_tokens_per_s_mqa as number).toBeGreaterThan(0);
  // §7: the cache does not change the answer, and it pays off by 128 tokens (fast mode's longest).
  expect(m.cache_same_tokens).toBe(true);
  expect(m.cache_logit_max_diff as number).toBeLessThanOrEqual(1e-5);
  expect(m.kv_max_tokens).toBe(128);
  expect(m.kv_speedup_max_tokens as number).toBeGreaterThan(1.5);
  expect(m.decode_tokens_per_s_concat as number).toBeGreaterThan(0);
  expect(m.decode_tokens_per_s_preallocated as number).toBeGreaterThan(0);
  expect(result.seconds).toBeLessThan(120);

  // Charts and the exercise checkers' ✓ lines are in the outputs.
  const outputs = JSON.stringify(executed.cells.map((c) => (c as { outputs?: unknown[] }).outputs ?? []));
  expect(outputs).toContain("Head 2: induction (hand-built)");
  expect(outputs).toContain("Time to generate N tokens");
  for (const k of [1, 2, 3, 4]) expect(outputs).toContain(`✓ Exercise ${k}`);
}
