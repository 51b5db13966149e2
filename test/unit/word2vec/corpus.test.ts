import { describe, expect, it } from "vitest";
import { countWords, sotuSentences, textToSentences } from "../../../kernel-lib/src/word2vec/corpus";
import { SOTU_WORD_PAIRS, sotuAnalogyText, sotuWordPairsText } from "../../../kernel-lib/src/word2vec/evalsets";
import { parseAnalogies, parseWordPairs } from "../../../kernel-lib/src/word2vec/evaluate";

describe("corpus functions", () => {
  it("split text into lower-case sentences", () => {
    expect(textToSentences("The War ended. Taxes rose!")).toEqual([
      ["the", "war", "ended"],
      ["taxes", "rose"],
    ]);
  });

  it("slice SOTU by era and by a word budget from the most recent address", () => {
    const early = sotuSentences({ toYear: 1899 });
    const late = sotuSentences({ fromYear: 1900 });
    const all = sotuSentences();
    expect(countWords(early) + countWords(late)).toBe(countWords(all));
    expect(countWords(all)).toBe(1_805_493);
    const recent = sotuSentences({ maxWords: 500_000 });
    expect(countWords(recent)).toBeGreaterThanOrEqual(500_000);
    expect(countWords(recent)).toBeLessThan(520_000);
    expect(recent[recent.length - 1]).toEqual(all[all.length - 1]);
    expect(() => sotuSentences({ fromYear: 2100 })).toThrow(/no State of the Union address/);
  });
});

describe("evaluation sets", () => {
  it("are well-formed: 2 134 questions of 4 distinct words in 9 sections, 112 rated pairs", () => {
    const q = parseAnalogies(sotuAnalogyText());
    expect(q.length).toBe(2134);
    expect(new Set(q.map((x) => x.section)).size).toBe(9);
    for (const x of q) expect(new Set([x.a, x.b, x.c, x.d]).size).toBe(4);
    const p = parseWordPairs(sotuWordPairsText());
    expect(p.length).toBe(SOTU_WORD_PAIRS.length);
    expect(p.length).toBe(112);
    for (const x of p) expect(x.score >= 0 && x.score <= 10).toBe(true);
  });
});
