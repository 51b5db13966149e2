/**
 * The vocabulary: every word seen at least `minCount` times, most frequent first (ties broken
 * alphabetically so that the order, and with it the whole training run, is reproducible).
 * Rare words are dropped because a handful of occurrences cannot pin down a vector; dropping
 * them also shrinks the matrices.
 */
export interface Vocabulary {
  /** Words by id, most frequent first. */
  words: string[];
  /** Occurrences of each word in the corpus. */
  counts: Float64Array;
  /** Word → id. */
  index: Map<string, number>;
  /** Total occurrences of in-vocabulary words. */
  total: number;
}

/** Count words and keep those with count ≥ minCount. */
export function buildVocabulary(sentences: string[][], minCount: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const sentence of sentences) {
    for (const w of sentence) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const kept = [...counts.entries()].filter(([, c]) => c >= minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const words = kept.map(([w]) => w);
  const out = new Float64Array(words.length);
  let total = 0;
  kept.forEach(([, c], i) => {
    out[i] = c;
    total += c;
  });
  return { words, counts: out, index: new Map(words.map((w, i) => [w, i])), total };
}

/** The corpus as ids with out-of-vocabulary words removed, plus sentence boundaries. */
export interface EncodedCorpus {
  tokens: Int32Array;
  /** Sentence s is tokens[sentStarts[s] .. sentStarts[s + 1]); length = sentences + 1. */
  sentStarts: Int32Array;
  /** Length of the longest sentence (sizes the scratch buffer). */
  maxSentence: number;
}

/** Replace words by ids, drop unknown words and empty sentences (as word2vec.c does). */
export function encodeCorpus(sentences: string[][], index: Map<string, number>): EncodedCorpus {
  let n = 0;
  for (const s of sentences) n += s.length;
  const tokens = new Int32Array(n);
  const starts: number[] = [0];
  let p = 0;
  let maxSentence = 0;
  for (const s of sentences) {
    const begin = p;
    for (const w of s) {
      const id = index.get(w);
      if (id !== undefined) tokens[p++] = id;
    }
    if (p > begin) {
      starts.push(p);
      if (p - begin > maxSentence) maxSentence = p - begin;
    }
  }
  return { tokens: tokens.slice(0, p), sentStarts: Int32Array.from(starts), maxSentence };
}
