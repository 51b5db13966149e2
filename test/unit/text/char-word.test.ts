import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CharTokenizer } from "../../../kernel-lib/src/text/char";
import { WordTokenizer, wordPieces } from "../../../kernel-lib/src/text/word";

const MIXED = "Hello, World! I don't pay $1,790.50 for 你好世界 or Привет мир 😀 x+=1;\n\n  ok";

describe("CharTokenizer", () => {
  it("gives one id per code point, emoji included", () => {
    const tok = CharTokenizer.fromText("ab😀");
    expect(tok.vocabSize).toBe(4);
    expect(tok.encode("b😀a")).toEqual([2, 3, 1]);
    expect(tok.encode("z")).toEqual([0]);
    expect(tok.decode([0])).toBe("<unk>");
  });

  it("round-trips any string it was built from (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        const tok = CharTokenizer.fromText(s);
        return tok.decode(tok.encode(s)) === s;
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it("rejects bad ids and bad text", () => {
    const tok = CharTokenizer.fromText("abc");
    expect(() => tok.decode([1, 7])).toThrow(/unknown token id 7 at position 1/);
    expect(() => tok.encode("\uDC00")).toThrow(/lone surrogate U\+DC00/);
    expect(() => new CharTokenizer(["ab"])).toThrow(/one code point/);
  });
});

describe("WordTokenizer", () => {
  it("cuts words, numbers, CJK characters and symbols, keeping leading spaces", () => {
    expect(wordPieces(MIXED)).toEqual([
      "Hello",
      ",",
      " World",
      "!",
      " I",
      " don't",
      " pay",
      " $",
      "1,790.50",
      " for",
      " 你",
      "好",
      "世",
      "界",
      " or",
      " Привет",
      " мир",
      " 😀",
      " x",
      "+",
      "=",
      "1",
      ";",
      "\n\n ",
      " ok",
    ]);
  });

  it("joins its pieces back into the text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => wordPieces(s).join("") === s),
      { seed: 12, numRuns: 300 },
    );
  });

  it("round-trips text whose pieces are all known; unknown pieces become <unk>", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        const tok = WordTokenizer.fromText(s);
        return tok.decode(tok.encode(s)) === s;
      }),
      { seed: 13, numRuns: 300 },
    );
    const tok = WordTokenizer.fromText("the cat sat on the mat");
    expect(tok.decode(tok.encode("the dog sat"))).toBe("the<unk> sat");
  });

  it("orders the vocabulary by frequency and honours maxVocab / minCount", () => {
    const tok = WordTokenizer.fromText("x a b a c a b", { maxVocab: 2 });
    expect(tok.pieces).toEqual(["<unk>", " a", " b"]);
    expect(WordTokenizer.fromText("x y y", { minCount: 2 }).pieces).toEqual(["<unk>", " y"]);
    expect(() => WordTokenizer.fromText("x", { minCount: 0 })).toThrow(/minCount must be >= 1, got 0/);
    expect(() => tok.decode([3])).toThrow(/unknown token id 3/);
  });
});
