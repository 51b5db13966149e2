/** What `llm-lessons bench NAME` prints: named figures (numbers with units in their names). */
export interface BenchResult {
  /** The benchmark's name, e.g. "word2vec". */
  name: string;
  /** Measured figures, e.g. `{ words_per_s: 171000, gensim_words_per_s: 166000 }`. */
  figures: Record<string, number | string>;
  /** Conditions worth knowing when reading the figures (machine load, peer unavailable, …). */
  notes: string[];
  /** Tables printed after the figures (plain text), e.g. `bench gpt --profile`'s per-kernel table. */
  tables?: string[];
  /** Structured detail for `--json` (e.g. the per-kernel profile's rows). */
  detail?: Record<string, unknown>;
}

/** The signature every benchmark in tools/src/bench/ exports as `bench`. */
export type BenchFunction = (opts: { quick: boolean; profile?: boolean }) => Promise<BenchResult>;
