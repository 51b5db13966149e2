/**
 * Lesson 00's "encode and decode, yourself" exercise: the learner's BPE encoder (apply the learned
 * merges, lowest rank first, inside each pre-tokenizer chunk) and decoder (ids → bytes → UTF-8),
 * checked on text neither vocabulary was trained on, against a small vocabulary trained here and
 * against GPT-2's 50 257 tokens (whose ids js-tiktoken agrees with, see gpt2.ts).
 */
import { callLearner, failure, matchMistake, pass, requireFunction } from "../../util/checker";
import { makeRng } from "../../util/random";
import { BpeTokenizer, type BpeRules, GPT2_SPLIT_PATTERN } from "../../text/bpe";
import { trainBpe } from "../../text/bpe-train";
import { gpt2Tokenizer } from "../../text/gpt2";

export type BpeEncodeFn = (text: string, rules: BpeRules) => number[];
export type BpeDecodeFn = (ids: number[], rules: BpeRules) => string;

/** Unseen text: words the small vocabulary never saw, numbers, runs of spaces, other scripts, an emoji, nothing at all. */
export const BPE_ENCODE_TEXTS: readonly string[] = [
  "the newest lowest token, there and then!",
  "Hello  world\n\n    indented 127 + 677 = 804. The end!\n\nNext",
  "naïve café — 猫追狗 🐈 Привет",
  "",
];

/** How a learner's encoder may go wrong. */
export interface EncodeVariant {
  /** Which adjacent pair to merge next: the lowest merged id (right), the highest, or the leftmost that has a rule. */
  pick?: "lowest" | "highest" | "leftmost";
  /** Merge across chunk boundaries: the whole text as one chunk. */
  noSplit?: boolean;
  /** Start from byte values as ids instead of `byteIds[b]`. */
  rawBytes?: boolean;
}

/** The reference encoder with the usual mistakes as switches (right with no switch). */
export function referenceBpeEncode(text: string, rules: BpeRules, v: EncodeVariant = {}): number[] {
  const rank = new Map<string, number>();
  for (const [l, r, m] of rules.merges) if (!rank.has(`${l},${r}`)) rank.set(`${l},${r}`, m);
  const chunks = v.noSplit ? (text === "" ? [] : [text]) : (text.match(new RegExp(GPT2_SPLIT_PATTERN, "gu")) ?? []);
  const out: number[] = [];
  for (const chunk of chunks) {
    const ids = [...Buffer.from(chunk, "utf8")].map((b) => (v.rawBytes ? b : rules.byteIds[b]));
    for (;;) {
      let at = -1;
      let best = 0;
      for (let i = 0; i + 1 < ids.length; i++) {
        const m = rank.get(`${ids[i]},${ids[i + 1]}`);
        if (m === undefined) continue;
        const better = at < 0 || (v.pick === "highest" ? m > best : v.pick === "leftmost" ? false : m < best);
        if (better) {
          at = i;
          best = m;
        }
      }
      if (at < 0) break;
      ids.splice(at, 2, best);
    }
    out.push(...ids);
  }
  return out;
}

/** The bytes of every id, built from the rules as a learner's decoder would. */
function tokenBytes(rules: BpeRules): Map<number, number[]> {
  const bytes = new Map<number, number[]>();
  rules.byteIds.forEach((id, b) => bytes.set(id, [b]));
  for (const [l, r, m] of rules.merges) if (!bytes.has(m)) bytes.set(m, [...(bytes.get(l) ?? []), ...(bytes.get(r) ?? [])]);
  return bytes;
}

/** Decoders: right (join all bytes, then UTF-8), or each token decoded on its own, or each byte as a character. */
export function referenceBpeDecode(ids: readonly number[], rules: BpeRules, how: "utf8" | "perToken" | "latin1" = "utf8"): string {
  const bytes = tokenBytes(rules);
  if (how === "perToken") return ids.map((id) => Buffer.from(bytes.get(id) ?? []).toString("utf8")).join("");
  const all = Buffer.from(ids.flatMap((id) => bytes.get(id) ?? []));
  return how === "latin1" ? all.toString("latin1") : all.toString("utf8");
}

/** A small vocabulary trained here on seeded text made of a dozen words (merges inside words only). */
function smallVocabulary(): BpeTokenizer {
  const words = ["the", "then", "there", "other", "low", "lower", "lowest", "new", "newer", "token", "tokens", "hello", "world"];
  const rng = makeRng(1234);
  const text = Array.from({ length: 3000 }, () => (rng.next() < 0.1 ? "\n" : " ") + words[rng.int(words.length)]).join("");
  return trainBpe(text, { vocabSize: 256 + 60 + 1 });
}

/**
 * Exercise: `encode(text, rules)` is BPE encoding — cut the text into chunks with GPT-2's pattern,
 * turn each chunk's UTF-8 bytes into ids with `rules.byteIds`, then repeatedly merge the adjacent
 * pair whose merge has the lowest merged id (leftmost on ties) — and `decode(ids, rules)` its
 * inverse. Both run on unseen text with a small trained vocabulary and with GPT-2's.
 */
export function checkBpeEncode(encode: BpeEncodeFn, decode: BpeDecodeFn): void {
  requireFunction(encode, "checkBpeEncode", "checkBpeEncode(myEncode, myDecode)");
  requireFunction(decode, "checkBpeEncode", "checkBpeEncode(myEncode, myDecode)");
  const small = smallVocabulary();
  const vocabularies: [string, BpeTokenizer][] = [
    [`a vocabulary of ${small.vocabSize} tokens trained on a few words`, small],
    ["GPT-2's vocabulary", gpt2Tokenizer()],
  ];
  for (const [name, tok] of vocabularies) {
    const rules = tok.rules();
    for (const text of BPE_ENCODE_TEXTS) {
      const where = `${JSON.stringify(text)} with ${name}`;
      const want = tok.encode(text);
      const got = callLearner("encode", where, () =>
        encode(text, { byteIds: [...rules.byteIds], merges: rules.merges.map((m) => [...m] as [number, number, number]) }),
      );
      if (!Array.isArray(got) || got.some((x) => !Number.isInteger(x)))
        throw new Error(`encode: on ${where} return an array of integer ids, got ${JSON.stringify(got)?.slice(0, 80)}`);
      const same = (ids: number[]) => ids.length === got.length && ids.every((x, i) => x === got[i]);
      if (!same(want)) {
        let i = 0;
        while (i < want.length && want[i] === got[i]) i++;
        const cause = matchMistake(
          [
            {
              cause: "the pair with the highest merged id was merged first; BPE applies merges in the order it learned them: the lowest id (rank) first",
              output: referenceBpeEncode(text, rules, { pick: "highest" }),
            },
            {
              cause: "the leftmost pair that has a rule was merged first; take the pair whose merged id is lowest, wherever it is",
              output: referenceBpeEncode(text, rules, { pick: "leftmost" }),
            },
            {
              cause: "merges crossed chunk boundaries: cut the text with GPT-2's pattern first (toChunks) and encode each chunk on its own",
              output: referenceBpeEncode(text, rules, { noSplit: true }),
            },
            {
              cause: "byte values were used as ids: GPT-2 numbers its 256 byte tokens in its own order, so start from rules.byteIds[b]",
              output: referenceBpeEncode(text, rules, { rawBytes: true }),
            },
          ],
          same,
        );
        throw failure(
          `encode: on ${where}, ids[${i}] is ${got[i] ?? "missing"} (${got.length} ids), expected ${want[i] ?? "no more ids"} (${want.length} ids)`,
          cause,
          "Likely cause: none of the usual mistakes — print the ids of one chunk after each merge and compare with the rules by hand.",
        );
      }
      const back = callLearner("decode", where, () =>
        decode([...want], { byteIds: [...rules.byteIds], merges: rules.merges.map((m) => [...m] as [number, number, number]) }),
      );
      if (back !== text) {
        const cause = matchMistake(
          [
            {
              cause:
                "each token was decoded to text on its own: a token can hold part of a UTF-8 character (the emoji, the Chinese), so join the bytes of all tokens first and decode once",
              output: referenceBpeDecode(want, rules, "perToken"),
            },
            {
              cause: 'each byte became one character (latin1): decode the joined bytes as UTF-8, e.g. Buffer.from(bytes).toString("utf8")',
              output: referenceBpeDecode(want, rules, "latin1"),
            },
          ],
          (s) => s === back,
        );
        throw failure(
          `decode: on ${where}, got ${JSON.stringify(back)?.slice(0, 80)}, expected the text back`,
          cause,
          "Likely cause: build each token's bytes from the rules (a byte token is its byte; a merged token is its left part's bytes then its right part's), join them, decode as UTF-8.",
        );
      }
    }
  }
  pass(`BPE encode and decode match the reference on ${BPE_ENCODE_TEXTS.length} unseen texts, with a small trained vocabulary and with GPT-2's`);
}
