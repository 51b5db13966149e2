import { splitSentences, splitWords } from "./split";

/** A corpus cut into lower-cased word sentences, with every `heldOutEvery`-th sentence held out. */
export interface PreparedCorpus {
  /** The (possibly shortened) text. */
  text: string;
  train: string[][];
  test: string[][];
  /** Words in train + test. */
  words: number;
}

/**
 * Shorten a corpus to `maxChars` (0 = keep all), split it into sentences of lower-cased words,
 * and hold out every `heldOutEvery`-th sentence (default 10) for measuring perplexity on text
 * the model never counted.
 */
export function prepareCorpus(text: string, options: { maxChars?: number; heldOutEvery?: number } = {}): PreparedCorpus {
  const maxChars = options.maxChars ?? 0;
  const every = options.heldOutEvery ?? 10;
  if (!Number.isInteger(maxChars) || maxChars < 0) throw new RangeError(`maxChars must be an integer >= 0, got ${maxChars}`);
  if (!Number.isInteger(every) || every < 2) throw new RangeError(`heldOutEvery must be an integer >= 2, got ${every}`);
  const cut = maxChars > 0 && text.length > maxChars ? text.slice(0, maxChars) : text;
  const train: string[][] = [];
  const test: string[][] = [];
  let words = 0;
  let i = 0;
  for (const sentence of splitSentences(cut)) {
    const w = splitWords(sentence, { lowercase: true });
    if (w.length === 0) continue;
    words += w.length;
    (++i % every === 0 ? test : train).push(w);
  }
  if (test.length === 0) throw new RangeError(`the corpus has too few sentences (${train.length}) to hold any out`);
  return { text: cut, train, test, words };
}
