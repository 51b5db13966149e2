import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BpeTokenizer, END_OF_TEXT, bytesToReadable } from "../../../kernel-lib/src/text/bpe";
import { trainBpe, trainBpeAsync } from "../../../kernel-lib/src/text/bpe-train";

const CORPUS = "low low low low low lower lower newest newest newest newest newest newest widest widest widest";

describe("trainBpe", () => {
  it("learns the most frequent pairs first (a hand-checked case)", () => {
    const tok = trainBpe("aaab aaab aaab", { vocabSize: 256 + 2 + 1, specialTokens: [END_OF_TEXT], pattern: "\\S+| " });
    // Chunks "aaab"×3 and " "×2: pairs (a,a)=6, (a,b)=3 → first merge (a,a) → 256, then
    // "aa a b": (aa,a)=3, (a,b)=3 → tie on count, smaller (left, right) wins: (97, 98) < (256, 97).
    expect(tok.merges).toEqual([
      [97, 97, 256],
      [97, 98, 257],
    ]);
    expect(tok.specials[END_OF_TEXT]).toBe(258);
    expect(tok.vocabSize).toBe(259);
    expect(tok.encode("aaab")).toEqual([256, 257]);
    expect(tok.stats.mergeCounts).toEqual([6, 3]);
  });

  it("breaks ties by the smallest (left id, right id), independent of text order", () => {
    const a = trainBpe("xy ab", { vocabSize: 258, specialTokens: [], pattern: "\\S+| ", minPairCount: 1 });
    const b = trainBpe("ab xy", { vocabSize: 258, specialTokens: [], pattern: "\\S+| ", minPairCount: 1 });
    expect(a.merges).toEqual([
      [97, 98, 256],
      [120, 121, 257],
    ]);
    expect(b.merges).toEqual(a.merges);
  });

  it("matches a from-scratch recount on every merge (incremental counts are exact)", () => {
    const text = CORPUS + " the theme then thereafter lowest lowly newer";
    const tok = trainBpe(text, { vocabSize: 256 + 1 + 25, minPairCount: 1 });
    // Naive reference: recount all pairs for every merge.
    const chunks = text.match(/ ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu)!.map((c) => Array.from(Buffer.from(c)));
    const merges: number[][] = [];
    for (let id = 256; id < 256 + 25; id++) {
      const counts = new Map<string, number>();
      for (const s of chunks) for (let i = 0; i + 1 < s.length; i++) counts.set(`${s[i]},${s[i + 1]}`, (counts.get(`${s[i]},${s[i + 1]}`) ?? 0) + 1);
      let best: number[] | null = null;
      let bestC = 0;
      for (const [k, c] of counts) {
        const p = k.split(",").map(Number);
        if (c > bestC || (c === bestC && best !== null && (p[0] < best[0] || (p[0] === best[0] && p[1] < best[1])))) {
          best = p;
          bestC = c;
        }
      }
      if (best === null) break;
      merges.push([best[0], best[1], id]);
      for (let j = 0; j < chunks.length; j++) {
        const s = chunks[j];
        const out: number[] = [];
        for (let i = 0; i < s.length; i++) {
          if (i + 1 < s.length && s[i] === best[0] && s[i + 1] === best[1]) {
            out.push(id);
            i++;
          } else out.push(s[i]);
        }
        chunks[j] = out;
      }
    }
    expect(tok.merges).toEqual(merges);
  });

  it("never merges across chunk boundaries or special tokens", () => {
    const tok = trainBpe("ab<|endoftext|>ab<|endoftext|>ab. ab.", { vocabSize: 300, minPairCount: 1 });
    for (const [l, r] of tok.merges) {
      const text = tok.decode([l, r]);
      expect(text.includes("<|")).toBe(false);
      expect(text.includes("b.")).toBe(false);
    }
    expect(tok.encode("ab<|endoftext|>")).toContain(tok.specials[END_OF_TEXT]);
  });

  it("stops early when pairs run out", () => {
    const tok = trainBpe("ab ab", { vocabSize: 1000 });
    expect(tok.stats.merges).toBeLessThan(1000 - 257);
    expect(tok.vocabSize).toBe(256 + tok.stats.merges + 1);
  });

  it("rejects bad input with clear errors", () => {
    expect(() => trainBpe("", { vocabSize: 300 })).toThrow(/empty corpus/);
    expect(() => trainBpe("<|endoftext|>", { vocabSize: 300 })).toThrow(/empty corpus/);
    expect(() => trainBpe("abc", { vocabSize: 256 })).toThrow(/vocabSize must be an integer >= 257 \(256 byte tokens \+ 1 special tokens\), got 256/);
    expect(() => trainBpe("abc", { vocabSize: 100, specialTokens: [] })).toThrow(/>= 256.*got 100/);
    expect(() => trainBpe("abc", { vocabSize: 300.5 })).toThrow(/got 300.5/);
    expect(() => trainBpe("a\uD800", { vocabSize: 300 })).toThrow(/lone surrogate U\+D800 at index 1/);
  });

  it("trains the same tokenizer asynchronously, with progress", async () => {
    const seen: number[] = [];
    const a = await trainBpeAsync(CORPUS, { vocabSize: 280, progressEvery: 3, onProgress: (d) => seen.push(d) });
    const b = trainBpe(CORPUS, { vocabSize: 280 });
    expect(a.merges).toEqual(b.merges);
    expect(seen.length).toBeGreaterThan(1);
    const ctl = new AbortController();
    ctl.abort();
    await expect(trainBpeAsync(CORPUS, { vocabSize: 280, progressEvery: 1, signal: ctl.signal })).rejects.toThrow(/aborted/);
  });
});

describe("BpeTokenizer encode/decode", () => {
  const tok = trainBpe(CORPUS.repeat(3) + " 你好 Привет 😀 code(x) {}", { vocabSize: 320 });

  it("round-trips arbitrary Unicode strings (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => tok.decode(tok.encode(s)) === s),
      { seed: 42, numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => tok.decode(tok.encode(s)) === s),
      { seed: 7, numRuns: 300 },
    );
  });

  it("compresses the training text", () => {
    const bytes = Buffer.byteLength(CORPUS);
    expect(tok.encode(CORPUS).length).toBeLessThan(bytes / 2);
  });

  it("decodes unknown ids with an error naming the id", () => {
    expect(() => tok.decode([1, 99999])).toThrow(/unknown token id 99999 at position 1/);
    expect(() => tok.decode([-1])).toThrow(/unknown token id -1/);
    expect(() => tok.decode([1.5])).toThrow(/unknown token id 1.5/);
  });

  it("shows bytes that are not whole characters in hex", () => {
    const t = trainBpe("x", { vocabSize: 257 });
    expect(t.encode("你")).toEqual([0xe4, 0xbd, 0xa0]);
    expect(t.tokenText(0xe4)).toBe("\\xE4");
    expect(t.tokenText(97)).toBe("a");
    expect(bytesToReadable(Uint8Array.of(0x20, 0xf0, 0x9f))).toBe(" \\xF0\\x9F");
    expect(bytesToReadable(new TextEncoder().encode("и\uFFFD😀"))).toBe("и\uFFFD😀");
    expect(bytesToReadable(Uint8Array.of(0xd0, 0xb8, 0xe0, 0x80, 0x80))).toBe("и\\xE0\\x80\\x80");
  });

  it("survives a JSON round trip", () => {
    const copy = new BpeTokenizer(JSON.parse(JSON.stringify(tok.toJSON())));
    const s = "newest lowest 你好 <|endoftext|> x";
    expect(copy.encode(s)).toEqual(tok.encode(s));
    expect(copy.vocabSize).toBe(tok.vocabSize);
  });

  it("rejects inconsistent specs", () => {
    const spec = tok.toJSON();
    expect(() => new BpeTokenizer({ ...spec, byteIds: spec.byteIds.slice(1) })).toThrow(/256 entries/);
    expect(() => new BpeTokenizer({ ...spec, merges: [[1, 2, 5]] })).toThrow(/id 5 is used twice|already stands/);
  });
});
