/** What `llm-lessons bench NAME` prints: named figures (numbers with units in their names). */
export interface BenchResult {
  /** The benchmark's name, e.g. "word2vec". */
  name: string;
  /** Measured figures, e.g. `{ words_per_s: 171000, gensim_words_per_s: 166000 }`. */
  figures: Record<string, number | string>;
  /** Conditions worth knowing when reading the figures (machine load, peer unavailable, …). */
  notes: string[];
}

/** The signature every benchmark in tools/src/bench/ exports as `bench`. */
export type BenchFunction = (opts: { quick: boolean }) => Promise<BenchResult>;
