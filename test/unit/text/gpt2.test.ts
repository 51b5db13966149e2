import { describe, expect, it } from "vitest";
import { Tiktoken } from "js-tiktoken/lite";
import gpt2Ranks from "js-tiktoken/ranks/gpt2";
import { bpeFromRanks, gpt2ByteToUnicode, gpt2TokenString, parseTiktokenRanks } from "../../../kernel-lib/src/text/gpt2";

// GPT-2's ranks loaded into our encoder must give exactly js-tiktoken's ids.
const ours = bpeFromRanks(gpt2Ranks);
const reference = new Tiktoken(gpt2Ranks);

const TEXTS: Record<string, string> = {
  english: "The quick brown fox jumps over the lazy dog. It's 5 o'clock; we'll see—they've gone, I'd say, and you're late!",
  capitals: "HELLO World, NASA and the FBI met McDonald's CEO in NEW YORK.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text to tokenize, template literal included
  code: "function add(a: number, b: number): number {\n    return a + b; // sum\n}\n\nconst xs = [1, 2, 3].map((x) => x ** 2);\nif (x !== null && y >= 0x1F) { console.log(`${x}`); }\n",
  python: "def f(x):\n\tif x:\n\t\treturn {'a': [1,2]}\n    # comment   \n",
  numbers: "1790 3.14159 1,000,000 2021-03-04 12:30:45 +44 (0)20 7946 0958 1e-10 0.000001 99999999999999",
  emoji: "I love 🍕 and 🎉🎉! 👨‍👩‍👧‍👦 family, flags 🇫🇷🇯🇵, skin 👍🏽, hearts ❤️💙.",
  chinese: "我们的国家正在发生深刻的变化。自然语言处理很有趣！",
  japanese: "東京は日本の首都です。カタカナとひらがな。",
  russian: "Съешь же ещё этих мягких французских булок, да выпей чаю. Москва — столица России.",
  arabic: "مرحبا بالعالم، كيف حالك؟",
  accents: "Ça va? Naïve café, résumé, Ångström, Straße, señor, e\u0301 (combining).",
  whitespace: "a  b   c    d\n\n\n  e\t\t f \r\n g      \n   ",
  leadingSpaces: "   leading and trailing   ",
  contractions: "'s 't 're 've 'm 'll 'd 'S 'T isn't can't won't",
  symbols: "!!! ??? ... --- ___ *** ### @@@ $$$ %%% ^^^ &&& ||| ~~~ <<<>>> {{{}}} [[[]]] \\\\ //",
  controls: "tab\there\u0000nul\u0007bell\u001bescape\u00a0nbsp\u2028line",
  mixed: "GPT-2 tokenizes 'HELLO' vs 'hello' differently: 42 ≠ 4.2; 東京 Москва 🚀 x+=1;",
};

describe("GPT-2 ranks in our BPE encoder", () => {
  it("has GPT-2's vocabulary size and special token", () => {
    expect(ours.vocabSize).toBe(50257);
    expect(ours.specials["<|endoftext|>"]).toBe(50256);
  });

  for (const [name, text] of Object.entries(TEXTS)) {
    it(`matches js-tiktoken on ${name}`, () => {
      const ids = ours.encode(text);
      expect(ids).toEqual(reference.encode(text));
      expect(ours.decode(ids)).toBe(text);
    });
  }

  it("matches js-tiktoken on a long concatenation and known ids", () => {
    const all = Object.values(TEXTS).join("\n");
    expect(ours.encode(all)).toEqual(reference.encode(all));
    expect(ours.encode("Hello world")).toEqual([15496, 995]);
  });

  it("treats <|endoftext|> as one special token", () => {
    const text = "end.<|endoftext|>Start";
    expect(ours.encode(text)).toEqual(reference.encode(text, "all"));
    expect(ours.encode(text)).toContain(50256);
    expect(ours.encode(text, { allowSpecial: false })).not.toContain(50256);
  });

  it("parses every rank once", () => {
    const entries = parseTiktokenRanks(gpt2Ranks.bpe_ranks);
    expect(entries.length).toBe(50256);
    expect(new Set(entries.map((e) => e.rank)).size).toBe(50256);
  });
});

describe("GPT-2 byte-to-unicode mapping", () => {
  it("orders the first 256 ids like GPT-2's byte list", () => {
    const { bytes, chars } = gpt2ByteToUnicode();
    expect(bytes.length).toBe(256);
    expect(new Set(chars).size).toBe(256);
    bytes.forEach((b, i) => expect(ours.encodeChunk(Uint8Array.of(b))).toEqual([i]));
    expect(chars[bytes.indexOf(32)]).toBe("Ġ");
    expect(chars[bytes.indexOf(10)]).toBe("Ċ");
  });

  it("shows tokens in GPT-2's printable form", () => {
    const [id] = ours.encode(" the");
    expect(gpt2TokenString(ours, id)).toBe("Ġthe");
    expect(gpt2TokenString(ours, 50256)).toBe("<|endoftext|>");
  });
});
