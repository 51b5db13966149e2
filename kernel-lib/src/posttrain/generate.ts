/**
 * Sampling many answers at once. Prompts of different lengths share one batch: each row is right-
 * padded, and because attention is causal the padding after a row's last token cannot change that
 * token's logits — so one forward pass of the whole `[batch, longest]` block gives every row's
 * next-token distribution at its own last position. Rows stop at `stopId`; the loop ends when all
 * have stopped or `maxNewTokens` is reached.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../gpt/model";
import { argmax, filteredDistribution, sampleIndex } from "../gpt/sample";
import { makeRng } from "../util/random";
import { padRows } from "./reward";

/** Options of `generateBatch`. */
export interface BatchSampleOptions {
  maxNewTokens: number;
  /** Always take the most likely token. Default false. */
  greedy?: boolean;
  temperature?: number;
  topK?: number;
  /** A row ends after emitting this id (included in its answer). */
  stopId?: number;
  /** Id used to pad rows (never read). Default 0. */
  padId?: number;
  seed?: number;
  /** Rows per forward pass (memory); default 256. */
  chunk?: number;
}

/** New ids after each prompt (up to and including `stopId` when it appears). */
export function generateBatch(model: Gpt, prompts: readonly (readonly number[])[], options: BatchSampleOptions): number[][] {
  const rng = makeRng(options.seed ?? 0);
  const chunk = options.chunk ?? 256;
  const out: number[][] = prompts.map(() => []);
  const done = prompts.map(() => options.maxNewTokens <= 0);
  for (let step = 0; step < options.maxNewTokens; step++) {
    const live = prompts.map((_, i) => i).filter((i) => !done[i]);
    if (live.length === 0) break;
    for (let c = 0; c < live.length; c += chunk) {
      const rowsOf = live.slice(c, c + chunk);
      const rows = rowsOf.map((i) => [...prompts[i], ...out[i]].slice(-model.config.blockSize));
      const p = padRows(rows, options.padId ?? 0);
      const last = Int32Array.from(p.lengths.map((L, b) => b * p.seq + L - 1));
      const logits = tf.tidy(() => model.head(tf.gather(model.hidden(p.ids, p.batch, p.seq), tf.tensor1d(last, "int32")) as tf.Tensor2D));
      const data = logits.dataSync() as Float32Array;
      logits.dispose();
      const V = model.config.vocabSize;
      rowsOf.forEach((i, b) => {
        const row = data.subarray(b * V, (b + 1) * V);
        const id = options.greedy ? argmax(row) : sampleIndex(filteredDistribution(row, options), rng);
        out[i].push(id);
        if (id === options.stopId) done[i] = true;
      });
    }
  }
  return out;
}
