import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSentences, splitWords } from "../../../kernel-lib/src/text/split";

const SEED = 20240611;

describe("splitWords", () => {
  it("keeps inner apostrophes and numbers, drops punctuation", () => {
    expect(splitWords("Don't stop: 1,000 cats—3.14 each! (students' l'homme)")).toEqual([
      "Don't",
      "stop",
      "1,000",
      "cats",
      "3.14",
      "each",
      "students",
      "l'homme",
    ]);
  });
  it("makes each Han, Hiragana and Katakana character its own token", () => {
    expect(splitWords("我爱北京。ひらがなとカタカナ")).toEqual(["我", "爱", "北", "京", "ひ", "ら", "が", "な", "と", "カ", "タ", "カ", "ナ"]);
    expect(splitWords("abc我def")).toEqual(["abc", "我", "def"]);
  });
  it("handles Cyrillic, Greek, accents and combining marks", () => {
    expect(splitWords("Привет, мир! Καλημέρα. café naïve")).toEqual(["Привет", "мир", "Καλημέρα", "café", "naïve"]);
    // e + combining acute (NFD) is normalised to one NFC word
    expect(splitWords("cafe\u0301")).toEqual(["caf\u00e9"]);
  });
  it("lower-cases on request", () => {
    expect(splitWords("The THE the", { lowercase: true })).toEqual(["the", "the", "the"]);
  });
  it("returns [] for text without words and rejects non-strings", () => {
    expect(splitWords(" ,.;!? ")).toEqual([]);
    expect(() => splitWords(42 as unknown as string)).toThrow("splitWords: text must be a string, got number");
  });

  it("property: tokens are non-empty, contain no whitespace and appear in the (NFC) text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const norm = s.normalize("NFC");
        for (const w of splitWords(s)) {
          expect(w.length).toBeGreaterThan(0);
          expect(/\s/u.test(w)).toBe(false);
          expect(norm.includes(w)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
  it("property: splitting the joined tokens again gives the same tokens", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const words = splitWords(s);
        expect(splitWords(words.join(" "))).toEqual(words);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
  it("property: every Han character of the input is a token of its own", () => {
    const han = fc.constantFrom(..."我爱北京天安门大海灯塔");
    const latin = fc.constantFrom("a", "b", "c", " ", ".", "'");
    fc.assert(
      fc.property(fc.array(fc.oneof(han, latin), { maxLength: 40 }), (chars) => {
        const s = chars.join("");
        const hanIn = [...s].filter((c) => /\p{Script=Han}/u.test(c));
        const hanOut = splitWords(s).filter((w) => /\p{Script=Han}/u.test(w));
        expect(hanOut).toEqual(hanIn);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("splitSentences", () => {
  it("splits on . ! ? but not after abbreviations, initials or before lower case", () => {
    expect(splitSentences("Mr. Smith met John F. Kennedy. It rained! Did it? Yes... e.g. this stays. End")).toEqual([
      "Mr. Smith met John F. Kennedy.",
      "It rained!",
      "Did it?",
      "Yes... e.g. this stays.",
      "End",
    ]);
  });
  it("keeps closing quotes with their sentence", () => {
    expect(splitSentences('"I will shine," said the lighthouse. "Thank you." Then it slept.')).toEqual([
      '"I will shine," said the lighthouse.',
      '"Thank you."',
      "Then it slept.",
    ]);
  });
  it("splits Chinese on 。！？ without spaces, and at blank lines", () => {
    expect(splitSentences("我爱北京。你好！真的吗？\n\nA title\n\nNext line")).toEqual(["我爱北京。", "你好！", "真的吗？", "A title", "Next line"]);
  });
  it("counts generated sentences exactly", () => {
    const word = fc.constantFrom("the", "light", "sea", "boat", "shines");
    const sentence = fc
      .tuple(fc.constantFrom("The", "A", "Every"), fc.array(word, { minLength: 1, maxLength: 8 }), fc.constantFrom(".", "!", "?"))
      .map(([first, rest, end]) => `${first} ${rest.join(" ")}${end}`);
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 10 }), fc.constantFrom(" ", "\n", "  "), (sentences, sep) => {
        expect(splitSentences(sentences.join(sep))).toEqual(sentences);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
  it("property: no text is lost, sentences are trimmed and non-empty", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
        const out = splitSentences(s);
        for (const t of out) {
          expect(t).toBe(t.trim());
          expect(t.length).toBeGreaterThan(0);
        }
        expect(out.join("").replace(/\s/gu, "")).toBe(s.replace(/\s/gu, ""));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
