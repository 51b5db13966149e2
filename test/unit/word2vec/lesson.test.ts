import { describe, expect, it, vi } from "vitest";
import { trainingPairs, neighbourOverlap } from "../../../kernel-lib/src/lessons/02-word2vec/lesson";
import { WordVectors } from "../../../kernel-lib/src/word2vec/model";
import { checkPairCount, checkSubsampledWord, checkMostDriftedWord } from "../../../kernel-lib/src/lessons/02-word2vec/exercises";
import { trainSkipGramSync } from "../../../kernel-lib/src/word2vec/train";
import { WORD2VEC_PRESETS } from "../../../kernel-lib/src/lessons/02-word2vec/params";
import { resolveParams } from "../../../kernel-lib/src/runtime/params";
import { topicCorpus } from "./topic-corpus";

describe("training pairs", () => {
  it("lists the window-2 pairs as the classic illustration", () => {
    const p = trainingPairs(["the", "quick", "brown", "fox", "jumps"], 2);
    expect(p.slice(0, 5)).toEqual([
      { centre: "the", context: "quick" },
      { centre: "the", context: "brown" },
      { centre: "quick", context: "the" },
      { centre: "quick", context: "brown" },
      { centre: "quick", context: "fox" },
    ]);
    expect(p.length).toBe(14);
    expect(() => trainingPairs(["a"], 0)).toThrow(/window must be an integer >= 1, got 0/);
  });
});

describe("exercise checkers", () => {
  it("exercise 1 accepts 36 and rejects 40", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(checkPairCount(36)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^✓ 36 pairs/);
    expect(() => checkPairCount(40)).toThrow(/not quite/);
    log.mockRestore();
  });

  it("exercise 2 checks the subsampling keep probability", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const corpus = topicCorpus(100).map((s) => [...s, "the", "the"]);
    const m = trainSkipGramSync(corpus, { dim: 4, minCount: 1, epochs: 1, sample: 1e-2 });
    const total = m.counts!.reduce((a, b) => a + b, 0);
    const f = m.counts![m.indexOf("the")!];
    const t = 1e-2 * total;
    const keep = Math.min(1, (Math.sqrt(f / t) + 1) * (t / f));
    expect(keep).toBeLessThan(1);
    expect(checkSubsampledWord(m, "the", keep)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^✓ "the" survives subsampling with probability/);
    expect(() => checkSubsampledWord(m, "the", 1)).toThrow(/not quite/);
    expect(() => checkSubsampledWord(m, "zebra", 1)).toThrow(/unknown word "zebra"/);
    log.mockRestore();
  });

  it("exercise 3 finds the word whose neighbours changed most", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    // In "late", b swaps its neighbourhood from {a, c} to {x, y}; a keeps c as neighbour.
    const words = ["a", "b", "c", "x", "y"];
    const early = new WordVectors(words, 2, Float32Array.from([1, 0, 1, 0.1, 1, 0.02, 0, 1, 0.1, 1]));
    const late = new WordVectors(words, 2, Float32Array.from([1, 0, 0, 1, 1, 0.02, 0.1, 1, 0.05, 1]));
    expect(neighbourOverlap(early, late, "a", 1)).toBe(1);
    expect(neighbourOverlap(early, late, "b", 1)).toBe(0);
    expect(checkMostDriftedWord(early, late, ["a", "b"], "b", 1)).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^✓ "b" drifted most/);
    expect(() => checkMostDriftedWord(early, late, ["a", "b"], "a", 1)).toThrow(/not quite/);
    log.mockRestore();
  });
});

describe("WORD2VEC_PRESETS", () => {
  it("resolve per mode, explicit values winning", () => {
    const p = resolveParams("fast", { seed: 3, dim: null }, WORD2VEC_PRESETS, { print: false });
    expect(p.dim).toBe(32);
    expect(p.seed).toBe(3);
    expect(resolveParams("workshop", {}, WORD2VEC_PRESETS, { print: false }).dim).toBe(64);
  });
});

describe("rankAuc", () => {
  it("is 1 for perfect separation, 0.5 for identical scores, counts ties half", async () => {
    const { rankAuc } = await import("../../../kernel-lib/src/lessons/02-word2vec/lesson");
    expect(rankAuc([3, 4], [1, 2])).toBe(1);
    expect(rankAuc([1, 1], [1, 1])).toBe(0.5);
    expect(rankAuc([2, 0], [1])).toBe(0.5);
  });
});

describe("trainSkipGramWithProgress", () => {
  it("trains what trainSkipGram trains, passes progress on, and stops on the caller's signal", async () => {
    const { trainSkipGram } = await import("../../../kernel-lib/src/word2vec/train");
    const { trainSkipGramWithProgress } = await import("../../../kernel-lib/src/lessons/02-word2vec/lesson");
    const corpus = topicCorpus(300);
    const options = { dim: 8, epochs: 2, minCount: 1, seed: 3, reportEveryMs: 1 };
    const seen: number[] = [];
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true); // the bar draws on stderr outside a kernel
    const a = await trainSkipGramWithProgress(corpus, { ...options, onProgress: (p) => seen.push(p.wordsDone) });
    const b = await trainSkipGram(corpus, options);
    expect(Array.from(a.vector("cat")!)).toEqual(Array.from(b.vector("cat")!));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((w, i) => i === 0 || w >= seen[i - 1])).toBe(true);
    const stop = new AbortController();
    stop.abort();
    await expect(trainSkipGramWithProgress(corpus, { ...options, signal: stop.signal })).rejects.toThrow(/training aborted/);
    expect(process.listenerCount("SIGINT")).toBe(0);
    err.mockRestore();
  });

  it("the trainer itself draws nothing and listens to no signal: word2vec/train.ts imports neither charts nor the runtime", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(__dirname, "..", "..", "..", "kernel-lib", "src", "word2vec");
    for (const f of ["train.ts", "run-state.ts", "parallel.ts"]) {
      const src = readFileSync(join(dir, f), "utf8");
      expect(src, f).not.toMatch(/from "\.\.\/(charts|runtime)/);
    }
    expect(readFileSync(join(dir, "parallel.ts"), "utf8")).not.toMatch(/from "\.\/train"/);
  });
});
