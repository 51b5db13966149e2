import { Tokenizer, assertWellFormed, checkId } from "./tokenizer";

/**
 * GPT-2's pre-tokenizer (Radford et al. 2019, as published in tiktoken): text is first cut into
 * chunks — common English contractions, a word with its leading space, a number, a run of other
 * symbols, whitespace — and BPE merges never cross a chunk boundary. That keeps " dog" from
 * merging with the "." after it, so the vocabulary is not wasted on "dog." "dog!" "dog?".
 */
export const GPT2_SPLIT_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** The special token GPT-2 puts between documents. */
export const END_OF_TEXT = "<|endoftext|>";

/** Largest vocabulary this implementation handles (pair keys pack two ids into one number). */
export const MAX_BPE_VOCAB = 1 << 21;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

/** One number for an ordered pair of ids (left, right). */
export function pairKey(left: number, right: number): number {
  return left * MAX_BPE_VOCAB + right;
}

/** Everything that defines a byte-level BPE tokenizer; `toJSON()` gives it back. */
export interface BpeSpec {
  /** For each of the 256 byte values, its token id. */
  byteIds: number[];
  /** Merge rules [left, right, merged]: the pair (left, right) becomes token `merged`. */
  merges: [number, number, number][];
  /** Special tokens (never split, never produced by merges) and their ids. */
  specials: Record<string, number>;
  /** The pre-tokenizer regular expression (flags "gu"). */
  pattern: string;
}

/**
 * Byte-level byte-pair encoding. Text → UTF-8 bytes → one token per byte → repeatedly merge the
 * adjacent pair whose merged token has the lowest id (the id is the merge's rank: merges learned
 * earlier got smaller ids), leftmost first, until no adjacent pair has a merge rule. Any string's
 * bytes are covered by the 256 byte tokens, so nothing is ever unknown and
 * `decode(encode(s)) === s` for every valid Unicode string.
 *
 * Special tokens (e.g. "<|endoftext|>") are found in the text first and encoded as their own id,
 * never split into bytes.
 */
/** A BPE vocabulary's encoding rules as plain data (see `BpeTokenizer.rules`). */
export interface BpeRules {
  /** byteIds[b]: the id of the token for byte value b. */
  byteIds: number[];
  /** [left, right, merged] in rank order: a lower merged id is applied first. */
  merges: [number, number, number][];
}

export class BpeTokenizer implements Tokenizer {
  /** The bytes each id stands for (special tokens: their UTF-8 text). */
  readonly tokenBytes: Uint8Array[];
  readonly vocabSize: number;
  readonly specials: Readonly<Record<string, number>>;
  readonly pattern: string;
  private readonly byteIds: Int32Array;
  private readonly mergeIds = new Map<number, number>();
  private readonly mergeList: [number, number, number][];
  private readonly specialIds = new Set<number>();
  private readonly specialRegex: RegExp | null;
  private readonly splitRegex: RegExp;
  private cache = new Map<string, number[]>();
  /** Ids below vocabSize that stand for nothing (possible in loaded vocabularies with gaps). */
  private readonly missing: Set<number>;

  constructor(spec: BpeSpec) {
    if (spec.byteIds.length !== 256) throw new RangeError(`byteIds must have 256 entries, got ${spec.byteIds.length}`);
    this.pattern = spec.pattern;
    this.splitRegex = new RegExp(spec.pattern, "gu");
    this.byteIds = Int32Array.from(spec.byteIds);
    const bytes: (Uint8Array | undefined)[] = [];
    const claim = (id: number, b: Uint8Array, what: string): void => {
      if (!Number.isInteger(id) || id < 0 || id >= MAX_BPE_VOCAB) throw new RangeError(`${what}: id must be an integer in [0, ${MAX_BPE_VOCAB}), got ${id}`);
      if (bytes[id] !== undefined) throw new RangeError(`${what}: id ${id} is used twice`);
      bytes[id] = b;
    };
    spec.byteIds.forEach((id, b) => claim(id, Uint8Array.of(b), `byteIds[${b}]`));
    this.mergeList = spec.merges.map(([l, r, m]) => [l, r, m]);
    for (const [l, r, m] of this.mergeList) {
      const bl = bytes[l];
      const br = bytes[r];
      if (bl === undefined || br === undefined) throw new RangeError(`merge (${l}, ${r}) → ${m} uses an id that is not defined before it`);
      const key = pairKey(l, r);
      if (!this.mergeIds.has(key)) {
        const joined = new Uint8Array(bl.length + br.length);
        joined.set(bl, 0);
        joined.set(br, bl.length);
        const existing = bytes[m];
        if (existing === undefined) claim(m, joined, `merge (${l}, ${r})`);
        else if (!sameBytes(existing, joined)) throw new RangeError(`merge (${l}, ${r}) → ${m}: id ${m} already stands for other bytes`);
        this.mergeIds.set(key, m);
      }
    }
    this.specials = { ...spec.specials };
    for (const [text, id] of Object.entries(spec.specials)) {
      if (text.length === 0) throw new RangeError("special tokens must be non-empty strings");
      claim(id, utf8.encode(text), `special token ${JSON.stringify(text)}`);
      this.specialIds.add(id);
    }
    this.vocabSize = bytes.length;
    this.tokenBytes = [];
    for (let id = 0; id < bytes.length; id++) this.tokenBytes.push(bytes[id] ?? new Uint8Array(0));
    this.missing = new Set<number>();
    for (let id = 0; id < bytes.length; id++) if (bytes[id] === undefined) this.missing.add(id);
    const names = Object.keys(spec.specials).sort((a, b) => b.length - a.length);
    this.specialRegex = names.length > 0 ? new RegExp(names.map(escapeRegex).join("|"), "g") : null;
  }

  /** The merge rules in rank order, [left, right, merged]. */
  get merges(): readonly (readonly [number, number, number])[] {
    return this.mergeList;
  }

  /**
   * What encoding needs, as plain data a learner's own encoder can use: the id of each byte value
   * (`byteIds[b]`; GPT-2 numbers its byte tokens in its own order) and the merges in rank order.
   */
  rules(): BpeRules {
    return { byteIds: Array.from(this.byteIds), merges: this.mergeList.map(([l, r, m]) => [l, r, m]) };
  }

  /** Text → ids. Special tokens in the text become their id unless `allowSpecial` is false. */
  encode(text: string, options: { allowSpecial?: boolean } = {}): number[] {
    assertWellFormed(text);
    const ids: number[] = [];
    if (this.specialRegex === null || options.allowSpecial === false) {
      this.encodeOrdinary(text, ids);
      return ids;
    }
    const re = new RegExp(this.specialRegex);
    let start = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      this.encodeOrdinary(text.slice(start, m.index), ids);
      ids.push(this.specials[m[0]]);
      start = m.index + m[0].length;
    }
    this.encodeOrdinary(text.slice(start), ids);
    return ids;
  }

  /** The chunks the pre-tokenizer cuts `text` into (no special-token handling). */
  chunks(text: string): string[] {
    return text.match(new RegExp(this.splitRegex)) ?? [];
  }

  private encodeOrdinary(text: string, out: number[]): void {
    if (text.length === 0) return;
    const re = new RegExp(this.splitRegex);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const piece = m[0];
      let ids = this.cache.get(piece);
      if (ids === undefined) {
        ids = this.encodeChunk(utf8.encode(piece));
        if (this.cache.size >= 100_000) this.cache = new Map();
        this.cache.set(piece, ids);
      }
      for (const id of ids) out.push(id);
    }
  }

  /**
   * The heart of BPE encoding for one chunk of bytes: start from byte tokens, and while some
   * adjacent pair has a merge rule, merge the pair with the lowest merged id (leftmost on ties).
   */
  encodeChunk(bytes: Uint8Array): number[] {
    const parts: number[] = Array.from(bytes, (b) => this.byteIds[b]);
    for (;;) {
      let best = -1;
      let bestId = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const m = this.mergeIds.get(pairKey(parts[i], parts[i + 1]));
        if (m !== undefined && m < bestId) {
          bestId = m;
          best = i;
        }
      }
      if (best < 0) return parts;
      parts.splice(best, 2, bestId);
    }
  }

  /** Ids → text. Throws on an id outside the vocabulary, naming it. */
  decode(ids: readonly number[]): string {
    return utf8Decoder.decode(this.decodeBytes(ids));
  }

  /** Ids → the raw bytes they stand for. */
  decodeBytes(ids: readonly number[]): Uint8Array {
    let length = 0;
    ids.forEach((id, i) => {
      checkId(id, this.vocabSize, i);
      if (this.missing.has(id)) throw new RangeError(`unknown token id ${id} at position ${i}: no token has this id`);
      length += this.tokenBytes[id].length;
    });
    const out = new Uint8Array(length);
    let at = 0;
    for (const id of ids) {
      out.set(this.tokenBytes[id], at);
      at += this.tokenBytes[id].length;
    }
    return out;
  }

  /** True for the ids of special tokens. */
  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /**
   * One token as readable text: its UTF-8 text, except that bytes which do not form a whole
   * character on their own are written in hex — a token can hold part of a multi-byte character,
   * e.g. " \xF0\x9F" is a space plus the first half of an emoji.
   */
  tokenText(id: number): string {
    checkId(id, this.vocabSize, 0);
    return bytesToReadable(this.tokenBytes[id]);
  }

  /** A JSON-safe description; `new BpeTokenizer(spec)` rebuilds the same tokenizer. */
  toJSON(): BpeSpec {
    return {
      byteIds: Array.from(this.byteIds),
      merges: this.mergeList.map(([l, r, m]) => [l, r, m]),
      specials: { ...this.specials },
      pattern: this.pattern,
    };
  }
}

/** Escape a string for use inside a regular expression. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Bytes as text where they form complete UTF-8 characters, and as "\xNN" where they do not.
 * Exported for displays of byte-level tokens.
 */
export function bytesToReadable(b: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < b.length) {
    const lead = b[i];
    const len = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= b.length;
    for (let j = 1; ok && j < len; j++) ok = (b[i + j] & 0xc0) === 0x80;
    if (ok) {
      const ch = utf8Decoder.decode(b.subarray(i, i + len));
      if (sameBytes(utf8.encode(ch), b.subarray(i, i + len))) {
        out += ch;
        i += len;
        continue;
      }
    }
    out += "\\x" + lead.toString(16).toUpperCase().padStart(2, "0");
    i++;
  }
  return out;
}
