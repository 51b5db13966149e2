import { splitWords } from "../text";

/**
 * Turning a document into the list of terms a bag-of-words model counts: lowercase, split into
 * tokens, then (optionally) add the n-grams — runs of n consecutive tokens joined by one space,
 * exactly as scikit-learn's CountVectorizer writes them ("the cat").
 */
export interface AnalyzerOptions {
  /** Lowercase the text before tokenizing (default true). */
  lowercase?: boolean;
  /**
   * How to split a text into tokens. Default: `splitWords` from kernel-lib's text module
   * (Unicode words; each Han/Hiragana/Katakana character its own token).
   */
  tokenizer?: (text: string) => string[];
  /**
   * Instead of `tokenizer`: every match of this pattern is a token. Use SKLEARN_TOKEN_PATTERN to
   * tokenize exactly as scikit-learn's default `(?u)\b\w\w+\b` does. A string is compiled with
   * the flags "gu".
   */
  tokenPattern?: RegExp | string;
  /** Smallest and largest n-gram length, e.g. [1, 2] for words and word pairs (default [1, 1]). */
  ngramRange?: [number, number];
}

/**
 * scikit-learn's default token pattern `(?u)\b\w\w+\b`, written for JavaScript: a maximal run of
 * two or more Unicode letters, digits or underscores. (JavaScript's `\w` and `\b` are ASCII-only
 * even with the `u` flag, so the pattern cannot be copied verbatim.) Note what it does to
 * Chinese: "猫追狗" has no spaces, so it is one token — while `splitWords` gives 猫, 追, 狗.
 */
export const SKLEARN_TOKEN_PATTERN = /[\p{L}\p{N}_]{2,}/gu;

/** A function from a document to the terms it contains (with repeats, in order). */
export type Analyzer = (text: string) => string[];

/** Build the analyzer for the options, validating them (errors name the bad field). */
export function makeAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const lowercase = options.lowercase ?? true;
  const [minN, maxN] = options.ngramRange ?? [1, 1];
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new RangeError(`ngramRange must be [minN, maxN] with integers 1 <= minN <= maxN, got ${JSON.stringify(options.ngramRange)}`);
  }
  if (options.tokenizer && options.tokenPattern) {
    throw new TypeError("give either tokenizer or tokenPattern, not both");
  }
  let tokenize: (text: string) => string[];
  if (options.tokenPattern !== undefined) {
    const p = options.tokenPattern;
    const re = typeof p === "string" ? new RegExp(p, "gu") : new RegExp(p.source, p.flags.includes("g") ? p.flags : p.flags + "g");
    tokenize = (text) => Array.from(text.matchAll(re), (m) => m[0]);
  } else if (options.tokenizer !== undefined) {
    if (typeof options.tokenizer !== "function") throw new TypeError(`tokenizer must be a function, got ${typeof options.tokenizer}`);
    tokenize = options.tokenizer;
  } else {
    tokenize = (text) => splitWords(text, { lowercase: false });
  }
  return (text: string) => {
    const tokens = tokenize(lowercase ? text.toLowerCase() : text);
    return wordNgrams(tokens, minN, maxN);
  };
}

/**
 * The n-grams of a token list for every n in [minN, maxN], in scikit-learn's order: all
 * unigrams first (when minN = 1), then bigrams, and so on.
 */
export function wordNgrams(tokens: string[], minN: number, maxN: number): string[] {
  if (minN === 1 && maxN === 1) return tokens;
  const out: string[] = minN === 1 ? tokens.slice() : [];
  for (let n = Math.max(minN, 2); n <= Math.min(maxN, tokens.length); n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(" "));
  }
  return out;
}

/**
 * Compare two strings by Unicode code point, as Python sorts them. (JavaScript's `<` compares
 * UTF-16 code units, which orders characters beyond U+FFFF before U+E000–U+FFFF.)
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points >= 0x10000: they sort after every BMP unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
