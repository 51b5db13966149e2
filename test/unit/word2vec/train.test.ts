import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { trainSkipGram, trainSkipGramSync } from "../../../kernel-lib/src/word2vec/train";
import { scorePairs } from "../../../kernel-lib/src/lessons/02-word2vec/lesson";
import { GROUPS, topicCorpus } from "./topic-corpus";

const corpus = topicCorpus(400);
const base = { dim: 16, window: 3, negative: 5, sample: 0, minCount: 1, epochs: 3, seed: 5 };

function withinMinusAcross(m: { similarity(a: string, b: string): number }): number {
  const names = Object.keys(GROUPS);
  let within = 0;
  let across = 0;
  let nw = 0;
  let na = 0;
  for (const g of names) {
    for (const h of names) {
      for (const a of GROUPS[g].slice(0, 3)) {
        for (const b of GROUPS[h].slice(3)) {
          if (g === h) {
            within += m.similarity(a, b);
            nw++;
          } else {
            across += m.similarity(a, b);
            na++;
          }
        }
      }
    }
  }
  return within / nw - across / na;
}

describe("trainSkipGram: bad input", () => {
  it("names the field or the word", () => {
    expect(() => trainSkipGramSync([], base)).toThrow(/corpus is empty/);
    expect(() => trainSkipGramSync([[], []], base)).toThrow(/corpus is empty/);
    expect(() => trainSkipGramSync(corpus, { ...base, window: 0 })).toThrow(/window must be an integer >= 1, got 0/);
    expect(() => trainSkipGramSync(corpus, { ...base, dim: 0 })).toThrow(/dim must be an integer >= 1, got 0/);
    expect(() => trainSkipGramSync(corpus, { ...base, negative: -1 })).toThrow(/negative must be an integer >= 0, got -1/);
    expect(() => trainSkipGramSync(corpus, { ...base, minCount: 10_000 })).toThrow(/minCount = 10000/);
    expect(() => trainSkipGramSync([["a", 3 as unknown as string]], base)).toThrow(/sentences\[0\]\[1\] must be a string/);
    const m = trainSkipGramSync(corpus, { ...base, epochs: 1 });
    expect(() => m.mostSimilar("zebra")).toThrow(/unknown word "zebra"/);
    expect(() => m.similarity("cat", "zebra")).toThrow(/unknown word "zebra"/);
    expect(() => m.analogy("cat", "zebra", "red")).toThrow(/unknown word "zebra"/);
    expect(m.vector("zebra")).toBeUndefined();
  });
});

describe("trainSkipGram: learning", () => {
  for (const dim of [16, 10]) {
    // dim 16 runs the WebAssembly SIMD kernel, dim 10 the plain JavaScript one.
    it(`groups words by topic (dim ${dim}), loss falls, no NaN`, () => {
      const m = trainSkipGramSync(corpus, { ...base, dim });
      expect(m.vocab.length).toBe(18);
      for (const x of m.vectors) expect(Number.isFinite(x)).toBe(true);
      expect(withinMinusAcross(m)).toBeGreaterThan(0.5);
      const nn = m.mostSimilar("cat", 5).map((n) => n.word);
      expect(nn.every((w) => GROUPS.animals.includes(w))).toBe(true);
      const h = m.lossHistory;
      expect(h.length).toBeGreaterThan(0);
      expect(m.stats.finalLoss).toBeLessThan(0.6);
      expect(m.stats.corpusWords).toBe(3200);
    });
  }

  it("is reproducible for a seed, different across seeds", () => {
    const a = trainSkipGramSync(corpus, base);
    const b = trainSkipGramSync(corpus, base);
    const c = trainSkipGramSync(corpus, { ...base, seed: 6 });
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    expect(Array.from(a.vectors)).not.toEqual(Array.from(c.vectors));
    expect(a.stats.finalLoss).toBe(b.stats.finalLoss);
    expect(a.epochLoss.length).toBe(3);
    expect(a.epochLoss[2]).toBeLessThan(a.epochLoss[0]);
    expect(a.stats.finalLoss).toBe(a.epochLoss[2]);
  });

  it("async version gives the same vectors as the sync one and reports progress", async () => {
    const seen: number[] = [];
    const a = await trainSkipGram(corpus, { ...base, reportEveryMs: 1, onProgress: (p) => seen.push(p.wordsDone) });
    const b = trainSkipGramSync(corpus, base);
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    expect(seen[seen.length - 1]).toBe(3 * 3200);
  });

  it("subsampling drops frequent words", () => {
    const skewed = corpus.map((s) => [...s, "the", "the", "the", "the"]);
    const m = trainSkipGramSync(skewed, { ...base, sample: 1e-2, epochs: 1 });
    expect(m.stats.keptWords).toBeLessThan(m.stats.corpusWords * 0.8);
  });

  it("stops on an aborted signal", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(trainSkipGram(corpus, { ...base, signal: ac.signal })).rejects.toThrow(/aborted/);
  });

  it("without negatives says 'neighbour' to everything; with them it tells pairs apart", () => {
    const none = trainSkipGramSync(corpus, { ...base, negative: 0 });
    const neg = trainSkipGramSync(corpus, base);
    const s0 = scorePairs(none, corpus, 500);
    const s5 = scorePairs(neg, corpus, 500);
    // Measured: none real 0.987 random 0.674 loss 0.183; negatives real 0.426 random 0.121 loss 0.329.
    expect(none.stats.finalLoss).toBeLessThan(neg.stats.finalLoss);
    expect(s0.realPairs).toBeGreaterThan(0.95);
    expect(s0.randomPairs).toBeGreaterThan(0.6);
    expect(s0.randomPairs).toBeGreaterThan(3 * s5.randomPairs);
    expect(s5.realPairs - s5.randomPairs).toBeGreaterThan(0.2);
  });
});

const worker = path.resolve(__dirname, "../../../kernel-lib/dist/word2vec/worker.js");
/** A long run (40 copies of the corpus, 20 epochs) whose signal aborts at the second progress report. */
function trainAbortedAtSecondReport(extra: { threads?: number }): Promise<unknown> {
  const ac = new AbortController();
  const big = Array.from({ length: 40 }, () => corpus).flat();
  let reports = 0;
  return trainSkipGram(big, {
    ...base,
    ...extra,
    epochs: 20,
    reportEveryMs: 1,
    signal: ac.signal,
    onProgress: () => {
      if (++reports === 2) ac.abort();
    },
  });
}

describe("trainSkipGram: worker threads (built dist)", () => {
  it("the worker is built (the unit tests' global setup builds kernel-lib)", () => {
    expect(fs.existsSync(worker), `${worker} is missing: test/setup/build-wasm.ts should have built it`).toBe(true);
  });
  it("trains with 2 threads (Hogwild) and learns the same structure", async () => {
    const m = await trainSkipGram(corpus, { ...base, threads: 2 });
    expect(m.stats.threads).toBe(2);
    expect(m.stats.corpusWords).toBe(3200);
    for (const x of m.vectors) expect(Number.isFinite(x)).toBe(true);
    expect(withinMinusAcross(m)).toBeGreaterThan(0.5);
  });

  it("stops the workers when the signal aborts", async () => {
    await expect(trainAbortedAtSecondReport({ threads: 2 })).rejects.toThrow(/training aborted after \d+ words/);
  });
});

describe("trainSkipGram: stopping", () => {
  it("stops mid-run when the signal aborts during training", async () => {
    await expect(trainAbortedAtSecondReport({})).rejects.toThrow(/training aborted after \d+ words/);
  });
});
