import { describe, expect, it } from "vitest";
import { readFileSync } from "fs";
import { join } from "path";
import { trainBpe } from "../../../kernel-lib/src/text/bpe-train";
import { NgramModel, type Smoothing } from "../../../kernel-lib/src/text/ngram";

// Numbers from an independent Python implementation: scripts/fixtures/tokens_reference.py.
const ref = JSON.parse(readFileSync(join(__dirname, "../../fixtures/text/tokens-reference.json"), "utf8"));

describe("against the Python reference", () => {
  it("BPE training learns the same merges as the naive recount-everything algorithm", () => {
    const { pattern, text, specials, merges } = ref.bpe;
    const tok = trainBpe(text, { vocabSize: 256 + specials.length + merges.length, pattern, specialTokens: specials });
    expect(tok.merges).toEqual(merges);
  });

  for (const c of ref.ngram.cases) {
    it(`n-gram ${c.name}: probabilities and held-out perplexity`, () => {
      const m = NgramModel.train(ref.ngram.train, { order: c.order, smoothing: c.smoothing as Smoothing, k: c.k, lambdas: c.lambdas ?? undefined });
      for (const p of c.probes) expect(m.prob(p.word, p.context)).toBeCloseTo(p.prob, 12);
      const ppl = m.perplexity(ref.ngram.test).perplexity;
      if (c.perplexity === null) expect(ppl).toBe(Infinity);
      else expect(ppl).toBeCloseTo(c.perplexity, 9);
    });
  }
});
