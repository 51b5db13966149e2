import { BpeTokenizer } from "./bpe";

/**
 * A published BPE vocabulary in tiktoken's form (what the npm package js-tiktoken ships as
 * `js-tiktoken/ranks/gpt2`): `bpe_ranks` lists every token's bytes (base64) by rank, `pat_str`
 * is the pre-tokenizer and `special_tokens` maps names to ids.
 */
export interface TiktokenRanks {
  pat_str: string;
  special_tokens: Record<string, number>;
  /** Lines "<anything> <first rank> <base64 token> <base64 token> …", ranks counting up. */
  bpe_ranks: string;
}

/** Parse tiktoken's compressed rank list into (bytes, rank) pairs. */
export function parseTiktokenRanks(bpeRanks: string): { bytes: Uint8Array; rank: number }[] {
  const out: { bytes: Uint8Array; rank: number }[] = [];
  for (const line of bpeRanks.split("\n")) {
    if (line.length === 0) continue;
    const [, offsetStr, ...tokens] = line.split(" ");
    const offset = Number.parseInt(offsetStr, 10);
    if (!Number.isInteger(offset)) throw new RangeError(`bpe_ranks: bad offset ${JSON.stringify(offsetStr)}`);
    tokens.forEach((t, i) => out.push({ bytes: new Uint8Array(Buffer.from(t, "base64")), rank: offset + i }));
  }
  return out;
}

/**
 * Build our BpeTokenizer from a published rank table (GPT-2's, for instance).
 *
 * tiktoken's rule is: merge the adjacent parts whose concatenated bytes have the lowest rank.
 * Our encoder merges pairs of ids by merge rules, choosing the rule with the lowest merged id. To
 * make the two identical, every way of writing a token T as two shorter tokens A + B becomes a
 * rule (A, B) → T, and a token's id is its rank. Then, at every step, both encoders see the same
 * candidate merges with the same priorities, and pick the same one.
 */
export function bpeFromRanks(ranks: TiktokenRanks): BpeTokenizer {
  const entries = parseTiktokenRanks(ranks.bpe_ranks);
  const byRank = new Map<string, number>();
  const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
  for (const e of entries) byRank.set(latin1(e.bytes), e.rank);
  const byteIds: number[] = [];
  for (let b = 0; b < 256; b++) {
    const id = byRank.get(String.fromCharCode(b));
    if (id === undefined) throw new RangeError(`rank table has no token for byte ${b}; a byte-level BPE needs all 256`);
    byteIds.push(id);
  }
  const merges: [number, number, number][] = [];
  const sorted = [...entries].sort((a, b) => a.rank - b.rank);
  for (const e of sorted) {
    if (e.bytes.length < 2) continue;
    const s = latin1(e.bytes);
    for (let k = 1; k < s.length; k++) {
      const l = byRank.get(s.slice(0, k));
      const r = byRank.get(s.slice(k));
      if (l !== undefined && r !== undefined) merges.push([l, r, e.rank]);
    }
  }
  // A rule may only use tokens defined before it: order by merged id, then parts.
  merges.sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
  return new BpeTokenizer({ byteIds, merges: orderByDependencies(merges, byteIds), specials: ranks.special_tokens, pattern: ranks.pat_str });
}

/** Keep rules in an order where both parts of each rule are defined before it. */
function orderByDependencies(merges: [number, number, number][], byteIds: number[]): [number, number, number][] {
  const defined = new Set<number>(byteIds);
  let pending = merges;
  const out: [number, number, number][] = [];
  while (pending.length > 0) {
    const later: [number, number, number][] = [];
    for (const m of pending) {
      if (defined.has(m[0]) && defined.has(m[1])) {
        out.push(m);
        defined.add(m[2]);
      } else {
        later.push(m);
      }
    }
    if (later.length === pending.length) throw new RangeError(`rank table has ${later.length} tokens that cannot be built from shorter ones`);
    pending = later;
  }
  return out;
}

/**
 * GPT-2's tokenizer (50 257 ids) run by our BPE code, from the ranks the npm package js-tiktoken
 * ships. Needs js-tiktoken to be installed; the error says so when it is not.
 */
export function gpt2Tokenizer(): BpeTokenizer {
  if (gpt2Cache !== null) return gpt2Cache;
  let ranks: TiktokenRanks;
  try {
    const mod = require("js-tiktoken/ranks/gpt2") as TiktokenRanks | { default: TiktokenRanks };
    ranks = "bpe_ranks" in mod ? mod : mod.default;
  } catch (e) {
    throw new Error(`GPT-2's ranks come from the npm package js-tiktoken, which could not be loaded: ${(e as Error).message}`);
  }
  gpt2Cache = bpeFromRanks(ranks);
  return gpt2Cache;
}
let gpt2Cache: BpeTokenizer | null = null;

/**
 * GPT-2's printable stand-ins for bytes (from its encoder.py): printable Latin-1 bytes stand for
 * themselves; the others (space, control bytes, …) are shifted to code points from U+0100 up, so
 * a space shows as "Ġ" and a newline as "Ċ". GPT-2's vocabulary files store tokens this way, and
 * its first 256 ids are the bytes in this list's order.
 */
export function gpt2ByteToUnicode(): { bytes: number[]; chars: string[] } {
  const bytes: number[] = [];
  const push = (a: number, b: number): void => {
    for (let x = a; x <= b; x++) bytes.push(x);
  };
  push(0x21, 0x7e);
  push(0xa1, 0xac);
  push(0xae, 0xff);
  const cps = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      cps.push(256 + n);
      n++;
    }
  }
  return { bytes, chars: cps.map((c) => String.fromCodePoint(c)) };
}

/** One token in GPT-2's printable form, e.g. " the" → "Ġthe". */
export function gpt2TokenString(tokenizer: BpeTokenizer, id: number): string {
  const { bytes, chars } = gpt2ByteToUnicode();
  const map = new Map<number, string>();
  bytes.forEach((b, i) => map.set(b, chars[i]));
  if (tokenizer.isSpecial(id)) return tokenizer.tokenText(id);
  return Array.from(tokenizer.decodeBytes([id]), (b) => map.get(b)!).join("");
}
