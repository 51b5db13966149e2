/**
 * Corpora as word2vec wants them: a list of sentences, each a list of lower-case words.
 * Sentences (not whole documents) are the unit because a context window should not reach across
 * a full stop into an unrelated sentence.
 */
import { loadCorpusText, loadSotu, splitSentences, splitWords } from "../text";

/** Lower-case words of each sentence of `text` (empty sentences dropped). */
export function textToSentences(text: string): string[][] {
  const out: string[][] = [];
  for (const s of splitSentences(text)) {
    const w = splitWords(s, { lowercase: true });
    if (w.length > 0) out.push(w);
  }
  return out;
}

/** Which State of the Union addresses `sotuSentences` returns. */
export interface SotuSentenceOptions {
  /** First year included (default: all). */
  fromYear?: number;
  /** Last year included (default: all). */
  toYear?: number;
  /** Keep only the most recent addresses up to about this many words (0 = no limit). */
  maxWords?: number;
}

/** State of the Union sentences, in chronological order, optionally an era or a recent slice. */
export function sotuSentences(options: SotuSentenceOptions = {}): string[][] {
  const from = options.fromYear ?? -Infinity;
  const to = options.toYear ?? Infinity;
  const addresses = loadSotu().filter((a) => a.year >= from && a.year <= to);
  if (addresses.length === 0) throw new RangeError(`no State of the Union address between ${from} and ${to}`);
  const per = addresses.map((a) => textToSentences(a.text));
  const max = options.maxWords ?? 0;
  if (max > 0) {
    // Take addresses from the most recent backwards until the budget is reached.
    let words = 0;
    let first = per.length;
    while (first > 0 && words < max) {
      first--;
      for (const s of per[first]) words += s.length;
    }
    return per.slice(first).flat();
  }
  return per.flat();
}

/** Sentences of a named corpus ("sotu", "brown") or of a text file at a path. */
export function corpusSentences(nameOrPath: string, options: SotuSentenceOptions = {}): string[][] {
  if (nameOrPath === "sotu") return sotuSentences(options);
  return textToSentences(loadCorpusText(nameOrPath));
}

/** Number of words in a sentence list. */
export function countWords(sentences: string[][]): number {
  let n = 0;
  for (const s of sentences) n += s.length;
  return n;
}
