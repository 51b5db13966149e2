/**
 * What a fast run of notebooks/04-mini-gpt.ipynb must produce (2 blocks × 64 wide, 80 steps on
 * the SOTU characters). Deterministic quantities (parameter count, file size) are exact; trained
 * ones are ranges around the values measured when the lesson was written.
 */
import { expect } from "vitest";
import type { Notebook } from "../../../kernel-lib/src/notebook/nbformat";
import type { RunResult } from "../../../kernel-lib/src/notebook/runner";

/** Assert the run of 04-mini-gpt kept the lesson's promises. */
export function check(result: RunResult, executed: Notebook): void {
  expect(result.ok, result.error).toBe(true);
  const m = result.metrics as Record<string, number | string>;
  for (const name of ["train_loss", "val_loss", "train_tokens_per_s", "params", "backend"]) expect(m[name], `metric ${name}`).toBeDefined();
  expect(typeof m.backend).toBe("string");
  // SOTU characters: 98 distinct + the <unk> id = 99 → uniform loss ln 99 ≈ 4.60 nats.
  const uniform = Math.log(99);
  // fast preset: the closed form for 2 blocks × 64 wide, block 32, tied weights, vocabulary 99.
  expect(m.params).toBe(2 * (12 * 64 * 64 + 13 * 64) + 2 * 64 + 99 * 64 + 32 * 64);
  expect(m.train_loss as number).toBeLessThan(uniform - 1);
  expect(m.val_loss as number).toBeLessThan(uniform - 1);
  expect(m.val_loss as number).toBeGreaterThan(1.2);
  expect(m.val_loss as number).toBeLessThan(3.0); // measured 2.71 (200 steps, 2 × 64)
  expect(m.train_tokens_per_s as number).toBeGreaterThan(200);
  // The ladder (120 steps per rung in fast mode): every rung far below the uniform guess; at so
  // few steps the bigram (≈ 2.52) is about as good as the bigger models (measured 2.52–2.60).
  expect(m.ladder_bigram_val_loss as number).toBeLessThan(2.8);
  expect(m.ladder_last_val_loss as number).toBeLessThan(3.0);
  expect(m.ladder_best_val_loss as number).toBeLessThanOrEqual(m.ladder_bigram_val_loss as number);
  // Compression: the model's bits per character is val_loss / ln 2, below the uniform code.
  expect(m.val_bits_per_char as number).toBeCloseTo((m.val_loss as number) / Math.LN2, 6);
  expect(m.val_bits_per_char as number).toBeLessThan(Math.log2(99));
  expect(m.gzip_bits_per_char as number).toBeGreaterThan(1.5);
  expect(m.gzip_bits_per_char as number).toBeLessThan(4);
  // "A model is two files": 16-bit file ≈ 2 bytes per parameter plus a small header.
  expect(m.file_bytes_f16 as number).toBeGreaterThan(2 * (m.params as number));
  expect(m.file_bytes_f16 as number).toBeLessThan(2 * (m.params as number) + 8192);
  // Exercise 2 ran: both activations learned.
  expect(m.ex2_gelu_val_loss as number).toBeLessThan(uniform);
  expect(m.ex2_relu_val_loss as number).toBeLessThan(uniform);
  expect(result.seconds).toBeLessThan(180);

  const outputs = JSON.stringify(executed.cells.map((c) => c.outputs ?? []));
  expect(outputs).toContain("✓ tying removes");
  expect(outputs).toContain("✓ ReLU");
  expect(outputs).toContain("reloaded model gives the same logits: true");
}
