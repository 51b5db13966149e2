import type { BenchResult } from "./types";
import { trainBpe, loadCorpusText, TiktokenRanks, bpeFromRanks } from "kernel-lib";

interface TiktokenLike {
  encode(text: string, allowed?: string[] | "all", disallowed?: string[] | "all"): number[];
}

/** Seconds for `f()`, median of `runs` runs. */
function medianSeconds(f: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    t.push((performance.now() - start) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/**
 * `llm-lessons bench bpe`: BPE training time on State of the Union text (quick: the first 1 MB,
 * vocabulary 1 000; otherwise all 10.8 MB, vocabulary 4 096), then encoding throughput in MB/s
 * for our trained tokenizer, our encoder running GPT-2's ranks, and js-tiktoken's GPT-2 encoder
 * (a peer, reported as unavailable when the package is missing). Encoders are warmed once and
 * timed as the median of 3 runs.
 */
export async function bench(opts: { quick: boolean }): Promise<BenchResult> {
  const notes: string[] = [];
  const all = loadCorpusText("sotu");
  const text = opts.quick ? all.slice(0, 1_000_000) : all;
  const mb = Buffer.byteLength(text, "utf8") / 1e6;
  const vocabSize = opts.quick ? 1000 : 4096;
  const figures: Record<string, number | string> = { corpus: opts.quick ? "sotu (first 1 MB)" : "sotu (all)", corpus_mb: round(mb, 2), vocab_size: vocabSize };

  const tok = trainBpe(text, { vocabSize });
  figures.train_s = round(tok.stats.seconds, 2);
  figures.train_count_s = round(tok.stats.countSeconds, 2);
  figures.merges = tok.stats.merges;

  const encText = opts.quick ? text : all.slice(0, 3_000_000);
  const encMb = Buffer.byteLength(encText, "utf8") / 1e6;
  figures.encode_mb = round(encMb, 2);
  let ids: number[] = tok.encode(encText);
  figures.bytes_per_token = round((encMb * 1e6) / ids.length, 2);
  figures.encode_mb_per_s = round(encMb / medianSeconds(() => (ids = tok.encode(encText)), 3), 2);

  let ranks: TiktokenRanks | null = null;
  let tiktoken: TiktokenLike | null = null;
  try {
    ranks = require("js-tiktoken/ranks/gpt2") as TiktokenRanks;
    const lite = require("js-tiktoken/lite") as { Tiktoken: new (r: TiktokenRanks) => TiktokenLike };
    tiktoken = new lite.Tiktoken(ranks);
  } catch (e) {
    notes.push(`js-tiktoken unavailable (${(e as Error).message}); GPT-2 figures skipped`);
  }
  if (ranks !== null && tiktoken !== null) {
    const start = performance.now();
    const gpt2 = bpeFromRanks(ranks);
    figures.gpt2_load_s = round((performance.now() - start) / 1000, 2);
    const ours = gpt2.encode(encText);
    const theirs = tiktoken.encode(encText, [], []);
    figures.gpt2_ids_match = ours.length === theirs.length && ours.every((x, i) => x === theirs[i]) ? "yes" : "NO";
    figures.gpt2_bytes_per_token = round((encMb * 1e6) / ours.length, 2);
    figures.gpt2_encode_mb_per_s = round(encMb / medianSeconds(() => gpt2.encode(encText), 3), 2);
    const tk = tiktoken;
    figures.js_tiktoken_encode_mb_per_s = round(encMb / medianSeconds(() => tk.encode(encText, [], []), 3), 2);
  }
  notes.push("single-threaded Node; encoders warmed once (their chunk caches filled), median of 3 runs; training timed once");
  return { name: "bpe", figures, notes };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
