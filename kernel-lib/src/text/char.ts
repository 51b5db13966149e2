import { Tokenizer, assertWellFormed, indexPieces, joinPieces, codePoints } from "./tokenizer";

/** The id every character-level and word-level tokenizer reserves for pieces it has never seen. */
export const UNK = "<unk>";

/**
 * Character-level tokenizer: one id per Unicode code point seen in training, plus `<unk>` (id 0)
 * for characters it has never seen. The vocabulary is tiny (a few hundred for English text), but
 * sequences are long: a model must spend one step per letter.
 *
 * Round trip: `decode(encode(s)) === s` whenever every character of `s` is in the vocabulary
 * (always true for the text it was built from); an unseen character comes back as "<unk>".
 */
export class CharTokenizer implements Tokenizer {
  readonly chars: readonly string[];
  private readonly index: Map<string, number>;

  /** `chars` are the vocabulary in id order, starting at id 1 (id 0 is `<unk>`). */
  constructor(chars: readonly string[]) {
    this.chars = [UNK, ...chars];
    this.index = indexPieces(chars, "chars", (c) => (codePoints(c).length === 1 ? null : `must be one code point, got ${JSON.stringify(c)}`));
  }

  /** Build the vocabulary from a text: its distinct code points, sorted by code point. */
  static fromText(text: string): CharTokenizer {
    assertWellFormed(text);
    const set = new Set(codePoints(text));
    return new CharTokenizer([...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  encode(text: string): number[] {
    assertWellFormed(text);
    const ids: number[] = [];
    for (const c of text) ids.push(this.index.get(c) ?? 0);
    return ids;
  }

  decode(ids: readonly number[]): string {
    return joinPieces(this.chars, ids);
  }

  tokenText(id: number): string {
    return joinPieces(this.chars, [id]);
  }
}
