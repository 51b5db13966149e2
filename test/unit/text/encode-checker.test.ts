import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BpeRules } from "../../../kernel-lib/src/text/bpe";
import { BPE_ENCODE_TEXTS, checkBpeEncode, referenceBpeDecode, referenceBpeEncode } from "../../../kernel-lib/src/lessons/00-tokens/encode-checker";
import { gpt2Tokenizer } from "../../../kernel-lib/src/text/gpt2";

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

/** The encoder and decoder a learner writes (minbpe's), with the usual mistakes as switches. */
function myEncode(o: { highest?: boolean; noSplit?: boolean; rawBytes?: boolean } = {}) {
  return (text: string, rules: BpeRules): number[] => {
    const rank = new Map<string, number>();
    for (const [l, r, m] of rules.merges) if (!rank.has(`${l},${r}`)) rank.set(`${l},${r}`, m);
    const chunks = o.noSplit ? [text] : (text.match(/'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu) ?? []);
    const out: number[] = [];
    for (const chunk of chunks) {
      let ids = [...Buffer.from(chunk)].map((b) => (o.rawBytes ? b : rules.byteIds[b]));
      while (ids.length >= 2) {
        let pick: [number, number] | null = null;
        for (let i = 0; i + 1 < ids.length; i++) {
          const m = rank.get(`${ids[i]},${ids[i + 1]}`);
          if (m !== undefined && (pick === null || (o.highest ? m > pick[1] : m < pick[1]))) pick = [i, m];
        }
        if (pick === null) break;
        ids = [...ids.slice(0, pick[0]), pick[1], ...ids.slice(pick[0] + 2)];
      }
      out.push(...ids);
    }
    return out;
  };
}
function myDecode(how: "utf8" | "perToken" | "latin1" = "utf8") {
  return (ids: number[], rules: BpeRules): string => {
    const bytes = new Map<number, number[]>();
    rules.byteIds.forEach((id, b) => bytes.set(id, [b]));
    for (const [l, r, m] of rules.merges) if (!bytes.has(m)) bytes.set(m, [...bytes.get(l)!, ...bytes.get(r)!]);
    if (how === "perToken") return ids.map((id) => Buffer.from(bytes.get(id)!).toString("utf8")).join("");
    return Buffer.from(ids.flatMap((id) => bytes.get(id)!)).toString(how === "latin1" ? "latin1" : "utf8");
  };
}

describe("checkBpeEncode", () => {
  it("passes a learner's minbpe-style encoder and decoder, printing one ✓ line", () => {
    expect(checkBpeEncode(myEncode(), myDecode())).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ BPE encode and decode match/));
  });
  it.each([
    [{ highest: true }, /highest merged id was merged first/],
    [{ noSplit: true }, /merges crossed chunk boundaries/],
    [{ rawBytes: true }, /byte values were used as ids: GPT-2 numbers its 256 byte tokens in its own order/],
  ])("names the encoding mistake %o", (bug, message) => {
    expect(() => checkBpeEncode(myEncode(bug), myDecode())).toThrow(message);
  });
  it.each([
    ["perToken" as const, /each token was decoded to text on its own/],
    ["latin1" as const, /each byte became one character/],
  ])("names the decoding mistake %s", (how, message) => {
    expect(() => checkBpeEncode(myEncode(), myDecode(how))).toThrow(message);
  });
  it("names the text, the vocabulary and the first wrong id", () => {
    expect(() => checkBpeEncode(myEncode({ highest: true }), myDecode())).toThrow(
      /^encode: on ".*" with a vocabulary of \d+ tokens trained on a few words, ids\[\d+\] is \d+ \(\d+ ids\), expected \d+ \(\d+ ids\)/,
    );
    expect(() => checkBpeEncode((() => "x") as never, myDecode())).toThrow(/return an array of integer ids/);
    expect(() => checkBpeEncode(null as never, myDecode())).toThrow("checkBpeEncode: pass your function");
  });
  it("the reference is GPT-2's encoding (which js-tiktoken's ids match, see gpt2.test.ts), and decodes back", () => {
    const gpt2 = gpt2Tokenizer();
    for (const text of BPE_ENCODE_TEXTS) {
      const ids = referenceBpeEncode(text, gpt2.rules());
      expect(ids).toEqual(gpt2.encode(text));
      expect(referenceBpeDecode(ids, gpt2.rules())).toBe(text);
    }
    // The texts hold a character split across tokens, so decoding token by token breaks it.
    const ids = gpt2.encode(BPE_ENCODE_TEXTS[2]);
    expect(referenceBpeDecode(ids, gpt2.rules(), "perToken")).not.toBe(BPE_ENCODE_TEXTS[2]);
  });
});
