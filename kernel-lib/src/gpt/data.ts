/**
 * Training data for a language model: one long stream of token ids, split into a train part and a
 * held-out val part, from which random contiguous windows are cut. A window of blockSize + 1
 * tokens gives blockSize training examples at once: at every position the target is simply the
 * next token.
 */
import { BpeSpec, BpeTokenizer, CharTokenizer, trainBpe, type Tokenizer } from "../text";
import type { Rng } from "../util/random";

/** Which tokenizer `prepareData` builds. */
export type TokenizerKind = "char" | "bpe";

/** Options of `prepareData`. */
export interface PrepareOptions {
  /** "char" (default): one id per character. "bpe": byte-pair encoding learned from the text. */
  tokenizer?: TokenizerKind;
  /** Vocabulary size of the BPE tokenizer (default 512). */
  bpeVocabSize?: number;
  /** Fraction held out for validation, from the end of the text (default 0.1). */
  valFraction?: number;
}

/** What training needs: the tokenizer and the two id streams. */
export interface TokenData {
  tokenizer: Tokenizer;
  train: Int32Array;
  val: Int32Array;
}

/**
 * Tokenize `text` and split it: the first (1 − valFraction) for training, the rest for
 * validation (nanoGPT's 90/10). Contiguous, so val text is text the model never saw.
 */
export function prepareData(text: string, options: PrepareOptions = {}): TokenData {
  if (typeof text !== "string" || text.length < 4)
    throw new RangeError(`text must be a string of at least 4 characters, got ${typeof text === "string" ? text.length : typeof text}`);
  const valFraction = options.valFraction ?? 0.1;
  if (!(valFraction > 0 && valFraction < 1)) throw new RangeError(`valFraction must be in (0, 1), got ${valFraction}`);
  const kind = options.tokenizer ?? "char";
  let tokenizer: Tokenizer;
  if (kind === "char") tokenizer = CharTokenizer.fromText(text);
  else if (kind === "bpe") tokenizer = trainBpe(text, { vocabSize: options.bpeVocabSize ?? 512, specialTokens: [] });
  else throw new RangeError(`tokenizer must be "char" or "bpe", got ${JSON.stringify(kind)}`);
  const ids = Int32Array.from(tokenizer.encode(text));
  const cut = Math.floor(ids.length * (1 - valFraction));
  return { tokenizer, train: ids.slice(0, cut), val: ids.slice(cut) };
}

/** `prepareData` with the character tokenizer. */
export function prepareCharData(text: string, valFraction = 0.1): TokenData {
  return prepareData(text, { tokenizer: "char", valFraction });
}

/** A tokenizer as JSON, to store next to the weights. */
export type TokenizerJson = { kind: "char"; chars: string[] } | { kind: "bpe"; spec: BpeSpec };

/** Serialise a character or BPE tokenizer (throws for other kinds). */
export function tokenizerToJson(t: Tokenizer): TokenizerJson {
  if (t instanceof CharTokenizer) return { kind: "char", chars: t.chars.slice(1) };
  if (t instanceof BpeTokenizer) return { kind: "bpe", spec: t.toJSON() };
  throw new TypeError("only CharTokenizer and BpeTokenizer can be saved with a model");
}

/** Rebuild a tokenizer saved with `tokenizerToJson`. */
export function tokenizerFromJson(j: TokenizerJson): Tokenizer {
  if (j && j.kind === "char") return new CharTokenizer(j.chars);
  if (j && j.kind === "bpe") return new BpeTokenizer(j.spec);
  throw new RangeError(`unknown tokenizer kind ${JSON.stringify((j as { kind?: unknown })?.kind)}`);
}

/** A batch: `x` and `y` both `[batch, blockSize]` row-major; y is x shifted by one token. */
export interface Batch {
  x: Int32Array;
  y: Int32Array;
  batch: number;
  seq: number;
}

/**
 * `batch` random windows of `seq + 1` consecutive tokens from `data` (start positions uniform,
 * drawn from `rng`): inputs are the first `seq`, targets the last `seq`.
 */
export function getBatch(data: Int32Array, batch: number, seq: number, rng: Rng): Batch {
  if (data.length < seq + 1) {
    throw new RangeError(`blockSize ${seq} needs at least ${seq + 1} tokens of data, but this split has ${data.length}`);
  }
  const x = new Int32Array(batch * seq);
  const y = new Int32Array(batch * seq);
  const span = data.length - seq;
  for (let b = 0; b < batch; b++) {
    const start = rng.int(span);
    x.set(data.subarray(start, start + seq), b * seq);
    y.set(data.subarray(start + 1, start + seq + 1), b * seq);
  }
  return { x, y, batch, seq };
}
