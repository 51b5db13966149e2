import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SENTENCE_END, NgramModel, unseenNgramRate } from "../../../kernel-lib/src/text/ngram";

const S = (t: string): string[][] => t.split("|").map((s) => s.trim().split(/\s+/));
const TRAIN = S("the cat sat on the mat | the dog sat on the log | a cat saw the dog | the cat ran");

const sum = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0);

describe("NgramModel counts and maximum likelihood", () => {
  const bi = NgramModel.train(TRAIN, { order: 2, smoothing: "none" });

  it("counts n-grams", () => {
    expect(bi.count(["the"])).toBe(6);
    expect(bi.count(["the", "cat"])).toBe(2);
    expect(bi.count(["<s>", "the"])).toBe(3);
    expect(bi.trainingTokens).toBe(6 + 6 + 5 + 3 + 4);
  });

  it("gives count(h, w) / count(h)", () => {
    expect(bi.prob("cat", ["the"])).toBeCloseTo(2 / 6, 12);
    expect(bi.prob("the", [])).toBeCloseTo(3 / 4, 12); // sentence start
    expect(bi.prob(SENTENCE_END, ["ran"])).toBe(1);
    expect(bi.prob("ran", ["dog"])).toBe(0);
  });

  it("multiplies the chain rule in log space", () => {
    const words = ["the", "cat", "sat", "on", "the", "mat"];
    const steps = bi.chain(words);
    expect(steps.map((s) => s.word)).toEqual([...words, SENTENCE_END]);
    expect(steps[1].context).toEqual(["the"]);
    const expected = (3 / 4) * (2 / 6) * (1 / 3) * (2 / 2) * (2 / 2) * (1 / 6) * 1;
    expect(bi.sentenceLogProb(words)).toBeCloseTo(Math.log(expected), 12);
  });

  it("reports infinite perplexity when a token has probability 0", () => {
    const r = bi.perplexity(S("the dog ran"));
    expect(r.perplexity).toBe(Infinity);
    expect(r.zeroProbTokens).toBe(1);
  });
});

describe("smoothing", () => {
  it("add-k: every context's distribution sums to 1 (property)", () => {
    const m = NgramModel.train(TRAIN, { order: 3, smoothing: "add-k", k: 0.5 });
    const words = m.vocab.slice(1);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words, "zebra"), { maxLength: 4 }), (ctx) => Math.abs(sum(m.distribution(ctx)) - 1) < 1e-12),
      { seed: 3, numRuns: 200 },
    );
    expect(m.prob("cat", ["the"])).toBeGreaterThan(0);
    // (count + k) / (count(h) + kV): a short context means sentence start; "<s> the cat" twice in 3.
    expect(m.prob("cat", ["the"])).toBeCloseTo((2 + 0.5) / (3 + 0.5 * m.outcomes), 12);
  });

  it("interpolated: sums to 1 and never gives 0 (property)", () => {
    const m = NgramModel.train(TRAIN, { order: 3, lambdas: [0.2, 0.3, 0.5], k: 0.1 });
    const words = m.vocab.slice(1);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words, "zebra"), { maxLength: 4 }), (ctx) => {
        const d = m.distribution(ctx);
        return Math.abs(sum(d) - 1) < 1e-12 && d.slice(1).every((p) => p > 0);
      }),
      { seed: 4, numRuns: 200 },
    );
    expect(Number.isFinite(m.perplexity(S("the dog ran | zebra zebra")).perplexity)).toBe(true);
  });

  it("a uniform model has perplexity = number of outcomes", () => {
    const m = NgramModel.train(TRAIN, { order: 1, smoothing: "add-k", k: 1e12 });
    expect(m.perplexity(S("the cat | dog dog dog on")).perplexity).toBeCloseTo(m.outcomes, 6);
    expect(m.outcomes).toBe(m.vocabSize - 1);
  });

  it("a trigram beats a bigram beats a unigram on training text", () => {
    const pp = (n: number) => NgramModel.train(TRAIN, { order: n, lambdas: n === 1 ? [1] : undefined, k: 0.01 }).perplexity(TRAIN).perplexity;
    expect(pp(2)).toBeLessThan(pp(1));
    expect(pp(3)).toBeLessThan(pp(2));
  });

  it("maps rare and unknown words to <unk>", () => {
    const m = NgramModel.train(TRAIN, { order: 2, minCount: 2 });
    expect(m.vocab).not.toContain("mat");
    expect(m.id("mat")).toBe(2);
    expect(m.perplexity(S("the zebra")).unkTokens).toBe(1);
    expect(m.count(["<unk>"])).toBeGreaterThan(0);
  });

  it("rejects bad options and empty corpora", () => {
    expect(() => NgramModel.train([], { order: 2 })).toThrow(/empty corpus/);
    expect(() => NgramModel.train([[]], { order: 2 })).toThrow(/empty corpus/);
    expect(() => NgramModel.train(TRAIN, { order: 0 })).toThrow(/order must be an integer >= 1, got 0/);
    expect(() => NgramModel.train(TRAIN, { order: 2, k: 0, smoothing: "add-k" })).toThrow(/k must be/);
    expect(() => NgramModel.train(TRAIN, { order: 2, lambdas: [0.5, 0.6] })).toThrow(/sum to 1/);
    expect(() => NgramModel.train(TRAIN, { order: 2, lambdas: [1] })).toThrow(/2 entries/);
    expect(() => NgramModel.train(TRAIN, { order: 2, smoothing: "magic" as never })).toThrow(/smoothing/);
  });

  it("uses string keys for large vocabularies × orders, with the same results", () => {
    const many = Array.from({ length: 3000 }, (_, i) => [`w${i}`, `w${(i * 7) % 3000}`, `w${(i * 13) % 3000}`]);
    const m = NgramModel.train(many, { order: 5, smoothing: "add-k", k: 0.1 });
    expect(Math.abs(sum(m.distribution(["w1", "w7"])) - 1)).toBeLessThan(1e-9);
    expect(m.count(["w1", "w7", "w13"])).toBe(1);
  });
});

describe("generation and sparsity", () => {
  const m = NgramModel.train(TRAIN, { order: 2 });

  it("generates reproducibly from a seed", () => {
    const a = m.generate({ prompt: ["the"], seed: 5, maxWords: 10 });
    expect(m.generate({ prompt: ["the"], seed: 5, maxWords: 10 })).toEqual(a);
    expect(a.length).toBeLessThanOrEqual(10);
  });

  it("at temperature 0 follows the most likely word", () => {
    const next = m.topNext(["the"], 1)[0].word;
    expect(m.generate({ prompt: ["the"], temperature: 0, maxWords: 1 })).toEqual([next]);
    expect(next).toBe("cat");
  });

  it("unseen n-gram rate grows with n", () => {
    const test = S("the cat sat on the log | a dog saw the cat");
    const rates = [1, 2, 3, 4].map((n) => unseenNgramRate(TRAIN, test, n));
    expect(rates[0]).toBe(0);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]);
    expect(rates[3]).toBeGreaterThan(0.3);
  });
});

describe("SortedCountTable", () => {
  it("counts keys like a Map would (property)", async () => {
    const { SortedCountTable } = await import("../../../kernel-lib/src/text/count-table");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (xs) => {
        const t = new SortedCountTable(Float64Array.from(xs));
        const ref = new Map<number, number>();
        for (const x of xs) ref.set(x, (ref.get(x) ?? 0) + 1);
        if (t.size !== ref.size) return false;
        for (let k = -1; k <= 51; k++) if (t.get(k) !== ref.get(k)) return false;
        return t.get("1") === undefined;
      }),
      { seed: 9, numRuns: 200 },
    );
  });
});

describe("unseenNgramRate", () => {
  it("agrees with a plain set of joined n-grams (property)", () => {
    const naive = (train: string[][], test: string[][], n: number): number => {
      const grams = (s: string[]) => {
        const seq = [...new Array<string>(n - 1).fill("<s>"), ...s, "</s>"];
        return seq.slice(n - 1).map((_, i) => seq.slice(i, i + n).join("\u0001"));
      };
      const seen = new Set(train.flatMap(grams));
      const all = test.flatMap(grams);
      return all.filter((g) => !seen.has(g)).length / all.length;
    };
    const sentence = fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 0, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(sentence, { maxLength: 8 }),
        fc.array(sentence, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (train, test, n) => Math.abs(unseenNgramRate(train, test, n) - naive(train, test, n)) < 1e-12,
      ),
      { seed: 21, numRuns: 300 },
    );
    expect(() => unseenNgramRate([], [], 0)).toThrow(/n must be/);
    expect(() => unseenNgramRate([], [], 2)).toThrow(/at least one sentence/);
  });
});

describe("withLambdas", () => {
  it("gives the same model as training with those weights, without recounting", () => {
    const base = NgramModel.train(TRAIN, { order: 3 });
    const lambdas = [0.5, 0.3, 0.2];
    const tuned = base.withLambdas(lambdas);
    const fresh = NgramModel.train(TRAIN, { order: 3, lambdas });
    const test = S("the cat sat on the log | a dog ran");
    expect(tuned.lambdas).toEqual(lambdas);
    expect(tuned.perplexity(test).perplexity).toBeCloseTo(fresh.perplexity(test).perplexity, 12);
    expect(base.lambdas).not.toEqual(lambdas);
    expect(() => base.withLambdas([0.5, 0.5])).toThrow(/3 entries/);
    expect(() => base.withLambdas([0.5, 0.5, 0.5])).toThrow(/sum to 1/);
  });
});

describe("orderProbabilities", () => {
  it("rebuilds the interpolated probabilities for any weights", () => {
    const model = NgramModel.train(TRAIN, { order: 3 });
    const test = S("the cat sat on the log | a dog ran | zebra cat");
    const [p1, p2, p3] = model.orderProbabilities(test);
    expect(p1).toHaveLength(test.reduce((n, s) => n + s.length + 1, 0));
    expect(Number.isNaN(p3[0])).toBe(false); // the context <s> <s> is always seen
    expect([...p2].some(Number.isNaN)).toBe(true); // "zebra" is an unseen context
    for (const l of [
      [1 / 6, 2 / 6, 3 / 6],
      [0.5, 0.3, 0.2],
    ]) {
      let lp = 0;
      for (let i = 0; i < p1.length; i++) {
        let num = l[0] * p1[i],
          den = l[0];
        if (!Number.isNaN(p2[i])) {
          num += l[1] * p2[i];
          den += l[1];
        }
        if (!Number.isNaN(p3[i])) {
          num += l[2] * p3[i];
          den += l[2];
        }
        lp += Math.log(num / den);
      }
      expect(lp).toBeCloseTo(model.withLambdas(l).perplexity(test).logProb, 12);
    }
  });
});
