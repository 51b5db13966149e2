import { describe, expect, it, vi } from "vitest";
import {
  checkMerge,
  checkPairCounts,
  checkNgramPerplexity,
  referenceMergeOnce,
  referenceNgramPerplexity,
  referencePairCounts,
  type NgramProb,
} from "../../../kernel-lib/src/lessons";
import { NgramModel } from "../../../kernel-lib/src/text/ngram";
import { trainBpe } from "../../../kernel-lib/src/text/bpe-train";

const log = vi.spyOn(console, "log").mockImplementation(() => {});

describe("references", () => {
  it("pair counts weight chunks and count overlapping pairs", () => {
    expect([
      ...referencePairCounts(
        [
          [97, 97, 97],
          [97, 98],
        ],
        [2, 3],
      ),
    ]).toEqual([
      ["97,97", 4],
      ["97,98", 3],
    ]);
  });

  it("mergeOnce merges left to right without overlaps", () => {
    expect(referenceMergeOnce([97, 97, 97], [97, 97], 256)).toEqual([256, 97]);
    expect(referenceMergeOnce([1, 2, 3, 1, 2], [1, 2], 9)).toEqual([9, 3, 9]);
  });

  it("a BPE loop built from the references learns trainBpe's merges", () => {
    const text = "the cat sat on the mat; the dog sat on the log. aaaa bbbb aaaa";
    const chunks = [...text.matchAll(/ ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+/gu)].map((m) => [...Buffer.from(m[0])]);
    const merges: [number, number, number][] = [];
    for (let id = 256; id < 270; id++) {
      const counts = referencePairCounts(
        chunks,
        chunks.map(() => 1),
      );
      let best = "";
      let bestCount = 0;
      const rank = (k: string): number => {
        const [l, r] = k.split(",").map(Number);
        return l * 1e6 + r;
      };
      for (const [k, c] of counts) if (c > bestCount || (c === bestCount && rank(k) < rank(best))) [best, bestCount] = [k, c];
      if (bestCount < 2) break;
      const [l, r] = best.split(",").map(Number);
      merges.push([l, r, id]);
      for (let c = 0; c < chunks.length; c++) chunks[c] = referenceMergeOnce(chunks[c], [l, r], id);
    }
    expect(trainBpe(text, { vocabSize: 257 + merges.length, specialTokens: [] }).merges).toEqual(merges);
  });

  it("perplexity agrees with NgramModel on a bigram and a trigram", () => {
    const train = [
      ["the", "cat", "sat"],
      ["the", "dog", "sat"],
      ["a", "cat", "ran"],
    ];
    const test = [
      ["the", "cat", "ran"],
      ["a", "dog"],
    ];
    for (const order of [2, 3]) {
      const m = NgramModel.train(train, { order: order, smoothing: "add-k", k: 0.5 });
      const prob: NgramProb = (w, context) =>
        m.prob(
          w,
          context.filter((c) => c !== "<s>"),
        );
      expect(referenceNgramPerplexity(test, prob, order)).toBeCloseTo(m.perplexity(test).perplexity, 12);
    }
  });
});

describe("checkPairCounts", () => {
  const ok = (chunks: number[][], freqs: number[]) => referencePairCounts(chunks, freqs);

  it("passes the reference and a learner-style solution", () => {
    log.mockClear();
    expect(checkPairCounts(ok)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ right/));
    expect(() =>
      checkPairCounts((chunks, freqs) => {
        const counts = new Map<string, number>();
        chunks.forEach((ids, c) => {
          for (let i = 0; i < ids.length - 1; i++) counts.set(`${ids[i]},${ids[i + 1]}`, (counts.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + freqs[c]);
        });
        return counts;
      }),
    ).not.toThrow();
  });

  it("names overlapping pairs: once per chunk, or skipping after a match", () => {
    const once = (chunks: number[][], freqs: number[]) => {
      const m = new Map<string, number>();
      chunks.forEach((ids, c) => {
        const seen = new Set<string>();
        for (let i = 0; i + 1 < ids.length; i++) seen.add(`${ids[i]},${ids[i + 1]}`);
        for (const k of seen) m.set(k, (m.get(k) ?? 0) + freqs[c]);
      });
      return m;
    };
    expect(() => checkPairCounts(once)).toThrow(/case 1 .*pair "97,97" expected 2, got 1.*overlapping pairs/);
    const stringCount = (chunks: number[][], freqs: number[]) => {
      const m = new Map<string, number>();
      chunks.forEach((ids, c) => {
        for (let i = 0; i + 1 < ids.length; i++) {
          const k = `${ids[i]},${ids[i + 1]}`;
          m.set(k, (m.get(k) ?? 0) + freqs[c]);
          if (ids[i] === ids[i + 1]) i++; // non-overlapping, like counting a substring
        }
      });
      return m;
    };
    expect(() => checkPairCounts(stringCount)).toThrow(/overlapping pairs/);
  });

  it("names the missing frequency weight", () => {
    expect(() =>
      checkPairCounts((chunks) =>
        ok(
          chunks,
          chunks.map(() => 1),
        ),
      ),
    ).toThrow(/case 2 .*expected 2, got 1.*forgot the weights/);
  });

  it("names pairs across chunk boundaries", () => {
    expect(() => checkPairCounts((chunks, freqs) => ok([chunks.flatMap((ids, c) => new Array(freqs[c]).fill(ids).flat())], [1]))).toThrow(/chunk boundary/);
    expect(() => checkPairCounts((chunks) => ok([chunks.flat()], [1]))).toThrow(/chunk boundary|weights/);
  });

  it("names an off-by-one that drops the last pair", () => {
    expect(() =>
      checkPairCounts((chunks, freqs) =>
        ok(
          chunks.map((ids) => ids.slice(0, -1)),
          freqs,
        ),
      ),
    ).toThrow(/off by one/);
  });

  it("names unordered pairs", () => {
    const unordered = (chunks: number[][], freqs: number[]) => {
      const m = new Map<string, number>();
      chunks.forEach((ids, c) => {
        for (let i = 0; i + 1 < ids.length; i++) {
          const k = `${Math.min(ids[i], ids[i + 1])},${Math.max(ids[i], ids[i + 1])}`;
          m.set(k, (m.get(k) ?? 0) + freqs[c]);
        }
      });
      return m;
    };
    expect(() => checkPairCounts(unordered)).toThrow(/different pairs/);
  });

  it("rejects a non-Map and a non-function", () => {
    expect(() => checkPairCounts((() => ({})) as never)).toThrow(/must return a Map/);
    expect(() => checkPairCounts(undefined as never)).toThrow(/checkPairCounts: pass your function, e.g. checkPairCounts\(myPairCounts\)/);
  });
});

describe("checkMerge", () => {
  it("passes the reference and a learner-style solution", () => {
    log.mockClear();
    expect(checkMerge(referenceMergeOnce)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ right/));
    expect(() =>
      checkMerge((ids, [a, b], id) => {
        const out: number[] = [];
        let i = 0;
        while (i < ids.length) {
          if (ids[i] === a && ids[i + 1] === b) {
            out.push(id);
            i += 2;
          } else {
            out.push(ids[i]);
            i += 1;
          }
        }
        return out;
      }),
    ).not.toThrow();
  });

  it('names the missing skip ("aaa")', () => {
    const noSkip = (ids: number[], [a, b]: [number, number], id: number) => ids.map((x, i) => (x === a && ids[i + 1] === b ? id : x));
    expect(() => checkMerge(noSkip)).toThrow(/case 1 .*element 1 expected 97, got 256.*skip i \+ 1/);
  });

  it("names right-to-left merging", () => {
    const rtl = (ids: number[], pair: [number, number], id: number) => referenceMergeOnce([...ids].reverse(), [pair[1], pair[0]], id).reverse();
    expect(() => checkMerge(rtl)).toThrow(/element 0 expected 256, got 97.*left to right/);
  });

  it("names a lost last id", () => {
    const lost = (ids: number[], [a, b]: [number, number], id: number) => {
      const out: number[] = [];
      for (let i = 0; i < ids.length - 1; i++) {
        if (ids[i] === a && ids[i + 1] === b) {
          out.push(id);
          i++;
        } else out.push(ids[i]);
      }
      return out;
    };
    expect(() => checkMerge(lost)).toThrow(/expected 2 ids, got 1.*last id is lost/);
  });

  it("names merging only the first occurrence", () => {
    const first = (ids: number[], [a, b]: [number, number], id: number) => {
      const i = ids.findIndex((x, j) => x === a && ids[j + 1] === b);
      return i < 0 ? [...ids] : [...ids.slice(0, i), id, ...ids.slice(i + 2)];
    };
    expect(() => checkMerge(first)).toThrow(/case 2 .*not only the first/);
  });

  it("names merging the reversed pair too", () => {
    const both = (ids: number[], [a, b]: [number, number], id: number) => {
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        const x = ids[i],
          y = ids[i + 1];
        if (i + 1 < ids.length && ((x === a && y === b) || (x === b && y === a))) {
          out.push(id);
          i++;
        } else out.push(x);
      }
      return out;
    };
    expect(() => checkMerge(both)).toThrow(/case 4 .*in that order/);
  });

  it("rejects a non-array", () => {
    expect(() => checkMerge((() => null) as never)).toThrow(/must return an array/);
  });
});

describe("checkNgramPerplexity", () => {
  type Opts = {
    log?: (x: number) => number;
    end?: boolean;
    countEnd?: boolean;
    sign?: number;
    byS?: boolean;
    exp?: boolean;
    countStart?: boolean;
    reversed?: boolean;
    starts?: number;
  };
  const learner = (sentences: string[][], prob: NgramProb, n: number, opts: Opts = {}) => {
    const log = opts.log ?? Math.log;
    let total = 0,
      count = 0;
    for (const s of sentences) {
      const padded = [...new Array(opts.starts ?? n - 1).fill("<s>"), ...s, ...(opts.end === false ? [] : ["</s>"])];
      for (let i = opts.starts ?? n - 1; i < padded.length; i++) {
        const context = padded.slice(Math.max(0, i - (n - 1)), i);
        total += log(prob(padded[i], opts.reversed ? context.reverse() : context));
      }
      count += s.length + (opts.countEnd === false ? 0 : 1) + (opts.countStart ? n - 1 : 0);
    }
    const h = ((opts.sign ?? -1) * total) / (opts.byS ? sentences.length : count);
    return opts.exp === false ? h : Math.exp(h);
  };
  const check = (opts: Opts) => () => checkNgramPerplexity((s, p, n) => learner(s, p, n, opts));

  it("passes the reference and a learner-style solution", () => {
    log.mockClear();
    expect(checkNgramPerplexity(referenceNgramPerplexity)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ right: .*bigram, trigram and 4-gram/));
    expect(check({})).not.toThrow();
  });

  it("names the forgotten end token", () => {
    expect(check({ end: false, countEnd: false })).toThrow(/expected perplexity .* got .*forgot the end token/);
    expect(check({ end: false })).toThrow(/forgot the end token/);
    expect(check({ countEnd: false })).toThrow(/N counts every predicted token/);
  });

  it("names natural log vs log2 / log10", () => {
    expect(check({ log: Math.log2 })).toThrow(/mixed log bases/);
    expect(check({ log: Math.log10 })).toThrow(/mixed log bases/);
    expect(check({ log: Math.log2, end: false, countEnd: false })).toThrow(/mixed log bases.*forgot the end token/);
  });

  it("names the sign, the missing exp, the per-sentence mean and <s> counted", () => {
    expect(check({ sign: 1 })).toThrow(/sign/);
    expect(check({ exp: false })).toThrow(/cross-entropy/);
    expect(check({ byS: true })).toThrow(/not by the number of sentences/);
    expect(check({ countStart: true })).toThrow(/context only/);
    const meanOfPpl = (s: string[][], p: NgramProb, n: number) => s.reduce((a, x) => a + learner([x], p, n), 0) / s.length;
    expect(() => checkNgramPerplexity(meanOfPpl)).toThrow(/pool all tokens/);
  });

  it("explains a context of the wrong length, order or padding", () => {
    expect(check({ starts: 1 })).toThrow(/context is an array of the n − 1 = 2 tokens before the word, oldest first/);
    expect(check({ reversed: true })).toThrow(/unknown context|wrong order/);
    const bigramOnly = (sentences: string[][], prob: NgramProb) => learner(sentences, prob, 2);
    expect(() => checkNgramPerplexity(bigramOnly)).toThrow(/order-3 model's context is an array of the n − 1 = 2 tokens/);
  });
});
