import { UNK } from "./char";
import { Tokenizer, assertWellFormed, indexPieces, joinPieces } from "./tokenizer";

/**
 * The pieces a word tokenizer cuts text into, in the style of GPT-2's pre-tokenizer: a word
 * (letters and combining marks, inner apostrophes kept: "don't"), a number ("1,790.5"), each
 * Han / Hiragana / Katakana character on its own (Chinese and Japanese write no spaces), or one
 * other symbol — each optionally carrying the single space before it — and runs of whitespace.
 * Every character of the text lands in exactly one piece, so joining the pieces gives the text
 * back.
 */
export const WORD_PIECE_PATTERN =
  /[ ]?(?:[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{M}])+(?:['’](?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{M}])+)*|\p{N}+(?:[.,]\p{N}+)*|[^\s])|\s+(?!\S)|\s+/gu;

/** Cut text into word pieces (see WORD_PIECE_PATTERN); `pieces.join("") === text`. */
export function wordPieces(text: string): string[] {
  assertWellFormed(text);
  return text.match(new RegExp(WORD_PIECE_PATTERN)) ?? [];
}

export interface WordTokenizerOptions {
  /** Keep at most this many pieces, the most frequent (ties: first seen wins). Default: all. */
  maxVocab?: number;
  /** Drop pieces seen fewer times than this. Default 1. */
  minCount?: number;
}

/**
 * Word-level tokenizer: one id per word piece seen in training (a word with its leading space,
 * a number, a symbol, a whitespace run), plus `<unk>` (id 0) for everything else. Sequences are
 * short, but the vocabulary is huge and never complete: every new name, typo or inflection is
 * `<unk>`, which is why modern models do not tokenize by words.
 *
 * Round trip: `decode(encode(s)) === s` exactly when every piece of `s` is in the vocabulary
 * (always true for the text it was built from, without maxVocab/minCount); an unknown piece
 * decodes to the literal string "<unk>".
 */
export class WordTokenizer implements Tokenizer {
  readonly pieces: readonly string[];
  private readonly index: Map<string, number>;

  /** `pieces` are the vocabulary in id order from id 1 (id 0 is `<unk>`). */
  constructor(pieces: readonly string[]) {
    this.pieces = [UNK, ...pieces];
    this.index = indexPieces(pieces, "pieces", (p) => (p.length > 0 ? null : "must be non-empty"));
  }

  /** Build the vocabulary from a corpus: pieces by falling frequency, ties in first-seen order. */
  static fromText(text: string, options: WordTokenizerOptions = {}): WordTokenizer {
    const minCount = options.minCount ?? 1;
    const maxVocab = options.maxVocab ?? Infinity;
    if (!(minCount >= 1)) throw new RangeError(`minCount must be >= 1, got ${minCount}`);
    if (!(maxVocab >= 0)) throw new RangeError(`maxVocab must be >= 0, got ${maxVocab}`);
    const counts = new Map<string, number>();
    for (const p of wordPieces(text)) counts.set(p, (counts.get(p) ?? 0) + 1);
    const kept = [...counts.entries()].filter(([, c]) => c >= minCount);
    // Array.prototype.sort is stable, so equal counts keep first-seen order.
    kept.sort((a, b) => b[1] - a[1]);
    return new WordTokenizer(kept.slice(0, Math.min(kept.length, maxVocab)).map(([p]) => p));
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  encode(text: string): number[] {
    return wordPieces(text).map((p) => this.index.get(p) ?? 0);
  }

  decode(ids: readonly number[]): string {
    return joinPieces(this.pieces, ids);
  }

  tokenText(id: number): string {
    return joinPieces(this.pieces, [id]);
  }
}
