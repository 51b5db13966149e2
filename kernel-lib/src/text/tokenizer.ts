/**
 * The one interface every tokenizer in the lessons shares. A tokenizer turns text into a list of
 * integer ids (what a language model actually sees) and back. Characters, words and byte-pair
 * encoding differ only in what one id stands for.
 */
export interface Tokenizer {
  /** Text → token ids. */
  encode(text: string): number[];
  /** Token ids → text. Throws on an id outside the vocabulary, naming the id. */
  decode(ids: readonly number[]): string;
  /** How many distinct ids exist: every id is in [0, vocabSize). */
  readonly vocabSize: number;
  /** A readable form of one token, for displays (e.g. " the", or "\xE4" for a byte that is not a whole character). */
  tokenText(id: number): string;
}

/** Throw unless `id` is an integer in [0, vocabSize); `where` names the position for the message. */
export function checkId(id: number, vocabSize: number, where: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new RangeError(`unknown token id ${id} at position ${where}: ids must be integers in [0, ${vocabSize})`);
  }
}

/**
 * The id of every piece of a vocabulary listed from id 1 (id 0 is `<unk>`). Throws, naming
 * `field[i]`, at a repeated piece or one `invalid` objects to (it returns the reason, or null).
 */
export function indexPieces(pieces: readonly string[], field: string, invalid: (piece: string) => string | null): Map<string, number> {
  const index = new Map<string, number>();
  pieces.forEach((p, i) => {
    const why = invalid(p);
    if (why !== null) throw new RangeError(`${field}[${i}] ${why}`);
    if (index.has(p)) throw new RangeError(`${field}[${i}] ${JSON.stringify(p)} appears twice`);
    index.set(p, i + 1);
  });
  return index;
}

/** The text of token `ids` in a vocabulary of whole pieces (characters or words), each id checked. */
export function joinPieces(pieces: readonly string[], ids: readonly number[]): string {
  let out = "";
  ids.forEach((id, i) => {
    checkId(id, pieces.length, i);
    out += pieces[id];
  });
  return out;
}

/**
 * Throw when `text` contains a lone UTF-16 surrogate. Such a string is not valid Unicode: it has
 * no UTF-8 bytes, so no tokenizer could give it back unchanged.
 */
export function assertWellFormed(text: string): void {
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a valid surrogate pair: one code point above U+FFFF
      continue;
    }
    throw new RangeError(`text contains a lone surrogate U+${c.toString(16).toUpperCase()} at index ${i}; it is not valid Unicode`);
  }
}

/** The Unicode code points of a string (not UTF-16 units: "😀" is one code point, two units). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}
