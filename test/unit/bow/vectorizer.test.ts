import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CountVectorizer,
  SKLEARN_TOKEN_PATTERN,
  TfidfVectorizer,
  compareCodePoints,
  cosineSimilarity,
  denseRow,
  getValue,
  makeAnalyzer,
  rowNorms,
  toDense,
  wordNgrams,
} from "../../../kernel-lib/src/bow";
import { ORDER_SENTENCES } from "../../../kernel-lib/src/lessons/01-bag-of-words";

describe("CountVectorizer", () => {
  it("counts words with splitWords by default, vocabulary sorted", () => {
    const vec = new CountVectorizer();
    const X = vec.fitTransform(["The cat sat. The cat!", "a dog"]);
    expect(vec.vocabulary).toEqual(["a", "cat", "dog", "sat", "the"]);
    expect(toDense(X)).toEqual([
      [0, 2, 0, 1, 2],
      [1, 0, 1, 0, 0],
    ]);
    expect(getValue(X, 0, vec.index.get("the")!)).toBe(2);
  });

  it("order demonstration: identical unigram vectors, different bigram vectors", () => {
    const uni = new CountVectorizer();
    const U = uni.fitTransform(ORDER_SENTENCES);
    expect(Array.from(denseRow(U, 0))).toEqual(Array.from(denseRow(U, 1)));
    expect(Array.from(denseRow(U, 2))).toEqual(Array.from(denseRow(U, 3)));
    expect(cosineSimilarity(denseRow(U, 0), denseRow(U, 1))).toBeCloseTo(1, 12);
    const bi = new CountVectorizer({ ngramRange: [1, 2] });
    const B = bi.fitTransform(ORDER_SENTENCES);
    expect(bi.vocabulary.length).toBe(16);
    // counts [the 2, cat, chases, dog, 4 bigrams]: |v|² = 11; shared: unigrams 4+1+1+1, bigrams "the cat", "chases the", "the dog".
    expect(cosineSimilarity(denseRow(B, 0), denseRow(B, 1))).toBeCloseTo(10 / 11, 12);
    expect(cosineSimilarity(denseRow(B, 2), denseRow(B, 3))).toBeCloseTo(3 / 5, 12);
    expect(bi.vocabulary).toContain("猫 追");
  });

  it("transform ignores unknown terms and keeps the fitted columns", () => {
    const vec = new CountVectorizer().fit(["red green", "green blue"]);
    expect(toDense(vec.transform(["green purple green"]))).toEqual([[0, 2, 0]]);
  });

  it("minDf / maxDf / maxFeatures prune as documented", () => {
    const docs = ["a b c", "a b", "a d", "a b e e e"];
    expect(new CountVectorizer({ minDf: 2 }).fit(docs).vocabulary).toEqual(["a", "b"]);
    expect(new CountVectorizer({ maxDf: 0.5 }).fit(docs).vocabulary).toEqual(["c", "d", "e"]);
    expect(new CountVectorizer({ maxDf: 3 }).fit(docs).vocabulary).toEqual(["b", "c", "d", "e"]);
    // corpus frequencies a 4, b 3, e 3: the tie at the cutoff goes to the earlier term.
    expect(new CountVectorizer({ maxFeatures: 2 }).fit(docs).vocabulary).toEqual(["a", "b"]);
    expect(new CountVectorizer({ minDf: 0.6 }).fit(docs).vocabulary).toEqual(["a", "b"]);
  });

  it("rejects bad input with errors naming the field", () => {
    expect(() => new CountVectorizer().fit([])).toThrow(/documents is empty/);
    expect(() => new CountVectorizer().fit(["ok", 3 as unknown as string])).toThrow(/documents\[1\] must be a string/);
    expect(() => new CountVectorizer().fit(["!!! ...", "?"])).toThrow(/empty vocabulary/);
    expect(() => new CountVectorizer({ minDf: 2 }).fit(["a", "b", "c"])).toThrow(/empty vocabulary after filtering/);
    expect(() => new CountVectorizer({ minDf: 0 })).toThrow(/minDf/);
    expect(() => new CountVectorizer({ minDf: 2.5 })).toThrow(/minDf/);
    expect(() => new CountVectorizer({ maxDf: 1.5 })).toThrow(/maxDf/);
    expect(() => new CountVectorizer({ maxFeatures: 0 })).toThrow(/maxFeatures/);
    expect(() => new CountVectorizer({ ngramRange: [2, 1] })).toThrow(/ngramRange/);
    expect(() => new CountVectorizer({ minDf: 3, maxDf: 2 }).fit(["a", "a", "a"])).toThrow(/maxDf=2 allows fewer/);
    expect(() => new CountVectorizer().transform(["a"])).toThrow(/call fit/);
  });

  it("SKLEARN_TOKEN_PATTERN: runs of >= 2 letters/digits/underscores, Unicode-aware", () => {
    const analyze = makeAnalyzer({ tokenPattern: SKLEARN_TOKEN_PATTERN });
    expect(analyze("Don't panic: naïve_café 2021, a I ü Straße 猫追狗")).toEqual(["don", "panic", "naïve_café", "2021", "straße", "猫追狗"]);
    expect(makeAnalyzer({ tokenPattern: "[a-z]+" })("ab cd")).toEqual(["ab", "cd"]);
    expect(() => makeAnalyzer({ tokenPattern: "x", tokenizer: (t) => [t] })).toThrow(/either tokenizer or tokenPattern/);
  });

  it("wordNgrams yields sum over n of max(0, L - n + 1) terms (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (tokens, lo, extra) => {
          const hi = lo + extra;
          let expected = 0;
          for (let n = lo; n <= hi; n++) expected += Math.max(0, tokens.length - n + 1);
          const grams = wordNgrams(tokens, lo, hi);
          return grams.length === expected && grams.every((g) => g.split(" ").length >= lo && g.split(" ").length <= hi);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it("compareCodePoints sorts like Python (by code point), unlike UTF-16 order (property)", () => {
    expect(compareCodePoints("\u{1F600}", "\uFF01")).toBeGreaterThan(0);
    expect("\u{1F600}" < "\uFF01").toBe(true);
    const byCodePoints = (a: string, b: string) => {
      const x = Array.from(a, (c) => c.codePointAt(0)!);
      const y = Array.from(b, (c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    };
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "grapheme" }),
        (a, b) => Math.sign(compareCodePoints(a, b)) === Math.sign(byCodePoints(a, b)),
      ),
      { seed: 3, numRuns: 500 },
    );
  });

  it("count rows sum to the number of terms the analyzer produces (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom("x", "yy", "zz", "猫", "狗"), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        (docsTokens) => {
          const docs = docsTokens.map((t) => t.join(" "));
          const vec = new CountVectorizer({ ngramRange: [1, 2] });
          const X = vec.fitTransform(docs);
          return docs.every((d, i) => Array.from(denseRow(X, i)).reduce((a, b) => a + b, 0) === vec.analyze(d).length);
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });
});

describe("TfidfVectorizer", () => {
  it("uses smooth idf ln((1+n)/(1+df)) + 1 and l2-normalises rows", () => {
    const vec = new TfidfVectorizer();
    const X = vec.fitTransform(["a b", "a c", "a"]);
    expect(vec.vocabulary).toEqual(["a", "b", "c"]);
    expect(Array.from(vec.idf)).toEqual([Math.log(4 / 4) + 1, Math.log(4 / 2) + 1, Math.log(4 / 2) + 1]);
    const w = Math.log(2) + 1;
    expect(toDense(X)[0][0]).toBeCloseTo(1 / Math.sqrt(1 + w * w), 14);
    expect(toDense(X)[2]).toEqual([1, 0, 0]);
    for (const n of rowNorms(X)) expect(n).toBeCloseTo(1, 14);
  });

  it("every non-empty row has unit l2 norm (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom("p", "q", "r", "s"), { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 8 }), (docsTokens) => {
        const X = new TfidfVectorizer().fitTransform(docsTokens.map((t) => t.join(" ")));
        return Array.from(rowNorms(X)).every((n) => Math.abs(n - 1) < 1e-12);
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it("rejects a bad norm", () => {
    expect(() => new TfidfVectorizer({ norm: "l3" as "l2" })).toThrow(/norm must be/);
  });
});
