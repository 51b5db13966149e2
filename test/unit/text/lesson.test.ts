import { describe, expect, it, vi } from "vitest";
import { CharTokenizer } from "../../../kernel-lib/src/text/char";
import { trainBpe } from "../../../kernel-lib/src/text/bpe-train";
import { NgramModel } from "../../../kernel-lib/src/text/ngram";
import { ADD_K_CHOICES, checkFirstMerge, checkBestAddK } from "../../../kernel-lib/src/lessons";
import { LANGUAGE_SAMPLES, MIXED_SAMPLE } from "../../../kernel-lib/src/lessons/00-tokens/lesson";
import { prepareCorpus } from "../../../kernel-lib/src/text/prepare-corpus";
import { TOKENS_PRESETS } from "../../../kernel-lib/src/lessons/00-tokens/params";
import { NGRAMS_PRESETS } from "../../../kernel-lib/src/lessons/00-ngrams/params";
import { tokenPieces, tokensHtml, tokensPerWord, tokensText } from "../../../kernel-lib/src/text/token-display";

describe("exercise checkers", () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});

  it("exercise 1 accepts the first merge and rejects the tie's loser", () => {
    expect(() => checkFirstMerge(["e", "s"])).not.toThrow();
    expect(log).toHaveBeenLastCalledWith(expect.stringContaining("✓"));
    expect(() => checkFirstMerge(["s", "t"])).toThrow(/not quite.*tie/);
    expect(() => checkFirstMerge(["l", "o"])).toThrow(/not quite/);
  });

  it("exercise 3 accepts only the best k", () => {
    const { train, test } = prepareCorpus(
      "The cat sat on the mat. The dog sat on the log. A cat saw the dog. The cat ran home. The dog ran too. A dog sat. ".repeat(4) +
        "The bird flew over the mat. A bird saw the cat.",
      { heldOutEvery: 5 },
    );
    const pps = ADD_K_CHOICES.map((k) => NgramModel.train(train, { order: 2, smoothing: "add-k", k }).perplexity(test).perplexity);
    const best = ADD_K_CHOICES[pps.indexOf(Math.min(...pps))];
    expect(() => checkBestAddK(best, train, test)).not.toThrow();
    const wrong = ADD_K_CHOICES.find((k) => k !== best)!;
    expect(() => checkBestAddK(wrong, train, test)).toThrow(/not quite/);
  });
});

describe("lesson utilities", () => {
  it("presets are complete and sane", () => {
    for (const p of Object.values(TOKENS_PRESETS)) expect(p.vocabSize).toBeGreaterThanOrEqual(257);
    for (const p of Object.values(NGRAMS_PRESETS)) expect(p.n).toBeGreaterThanOrEqual(2);
  });

  it("prepareCorpus holds out every k-th sentence and shortens", () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const c = prepareCorpus(text, { heldOutEvery: 10 });
    expect(c.train.length).toBe(27);
    expect(c.test.length).toBe(3);
    expect(c.test[0]).toEqual(["sentence", "number", "9", "is", "here"]);
    expect(prepareCorpus(text, { maxChars: 200, heldOutEvery: 2 }).text.length).toBe(200);
    expect(() => prepareCorpus("One sentence.", {})).toThrow(/too few sentences/);
    expect(() => prepareCorpus(text, { maxChars: -1 })).toThrow(/maxChars/);
  });

  it("shows tokens as HTML and text", () => {
    const tok = CharTokenizer.fromText("ab <");
    const rows = [{ name: "chars", pieces: tokenPieces(tok, "a <b>") }];
    expect(tokensText(rows)).toBe("chars (5): a|·|<|b|<unk>");
    const html = tokensHtml(rows);
    expect(html).toContain("&lt;");
    expect(html).not.toContain("<b>b");
    expect(html).toContain('title="id 0"');
  });

  it("counts tokens per word: English is cheap for an English BPE, Chinese is not", () => {
    const tok = trainBpe(LANGUAGE_SAMPLES.English.repeat(20), { vocabSize: 400 });
    expect(tokensPerWord(tok, LANGUAGE_SAMPLES.English)).toBeLessThan(1.5);
    expect(tokensPerWord(tok, LANGUAGE_SAMPLES.Chinese)).toBeGreaterThan(2.9);
    expect(tok.decode(tok.encode(MIXED_SAMPLE))).toBe(MIXED_SAMPLE);
    expect(() => tokensPerWord(tok, "!!!")).toThrow(/at least one word/);
  });
});
