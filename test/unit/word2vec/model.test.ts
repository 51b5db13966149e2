import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { WordVectors } from "../../../kernel-lib/src/word2vec/model";
import { evaluateAnalogies, evaluateWordPairs, parseAnalogies, parseWordPairs, ranks, spearman } from "../../../kernel-lib/src/word2vec/evaluate";
import { loadWord2VecText, parseWord2VecText, saveWord2VecText, toWord2VecText } from "../../../kernel-lib/src/word2vec/io";
import { pcaMap } from "../../../kernel-lib/src/word2vec/project";

const FIX = path.resolve(__dirname, "../../fixtures/word2vec");

/** Hand-made 3-D vectors: axis 0 = royalty, axis 1 = gender, axis 2 = noise. */
function royals(): WordVectors {
  const words = ["king", "queen", "man", "woman", "apple"];
  const v = [
    [1, 1, 0.1],
    [1, -1, 0.1],
    [0, 1, 0],
    [0, -1, 0],
    [0.2, 0, 1],
  ];
  return new WordVectors(words, 3, Float32Array.from(v.flat()));
}

describe("WordVectors", () => {
  it("answers king − man + woman = queen and ranks neighbours by cosine", () => {
    const m = royals();
    expect(m.analogy("man", "king", "woman")[0].word).toBe("queen");
    const nn = m.mostSimilar("king", 4);
    expect(nn.map((n) => n.word)).toEqual(["man", "queen", "woman", "apple"].sort((a, b) => m.similarity("king", b) - m.similarity("king", a)));
    for (let i = 1; i < nn.length; i++) expect(nn[i - 1].similarity).toBeGreaterThanOrEqual(nn[i].similarity);
    expect(m.similarity("king", "man")).toBeCloseTo(1 / Math.sqrt(2.01), 5);
    expect(m.mostSimilar("king", 2, { exclude: ["man"] }).map((n) => n.word)).not.toContain("man");
    const v = m.vector("king")!;
    v[0] = 99;
    expect(m.vector("king")![0]).toBe(1);
  });

  it("rejects bad shapes, NaN vectors and bad k", () => {
    expect(() => new WordVectors(["a"], 2, new Float32Array(3))).toThrow(/expected vocab.length × dim = 2/);
    expect(() => new WordVectors(["a"], 1, Float32Array.from([NaN]))).toThrow(/vector of "a" contains NaN/);
    expect(() => royals().mostSimilar("king", 0)).toThrow(/k must be an integer >= 1, got 0/);
    expect(() => royals().mostSimilar([0, 0, 0])).toThrow(/non-zero/);
  });

  it("maps words to 2-D with PCA", () => {
    const m = royals();
    const map = pcaMap(m, ["king", "queen", "man", "woman"]);
    expect(map.x.length).toBe(4);
    expect(map.explained[0]).toBeGreaterThan(0.5);
    for (const z of [...map.x, ...map.y]) expect(Number.isFinite(z)).toBe(true);
    expect(() => pcaMap(m, ["king", "queen", "zebra"])).toThrow(/unknown word "zebra"/);
  });
});

describe("evaluation", () => {
  it("Spearman with ties matches hand-computed values", () => {
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 10);
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    // scipy.stats.spearmanr([1,2,2,3,4],[2,1,3,3,5]) = 0.7631578947368421
    expect(spearman([1, 2, 2, 3, 4], [2, 1, 3, 3, 5])).toBeCloseTo(0.7631578947368421, 10);
    expect(() => spearman([1, 1, 1], [1, 2, 3])).toThrow(/constant/);
  });

  it("parses files and names bad lines", () => {
    expect(parseAnalogies(": a\nA b c d\n")).toEqual([{ section: "a", a: "a", b: "b", c: "c", d: "d" }]);
    expect(() => parseAnalogies("a b c\n")).toThrow(/line 1 must have 4 words/);
    expect(parseWordPairs("# c\nx\ty\t3.5\n")).toEqual([{ a: "x", b: "y", score: 3.5 }]);
    expect(() => parseWordPairs("x y high\n")).toThrow(/line 1/);
  });

  it("matches gensim's evaluations on the same vectors (fixture)", () => {
    const m = loadWord2VecText(path.join(FIX, "gensim-small.txt"));
    const g = JSON.parse(fs.readFileSync(path.join(FIX, "gensim-small.json"), "utf8"));
    for (const [w, list] of Object.entries(g.most_similar as Record<string, [string, number][]>)) {
      const ours = m.mostSimilar(w, 5);
      expect(ours.map((n) => n.word)).toEqual(list.map((x) => x[0]));
      ours.forEach((n, i) => expect(n.similarity).toBeCloseTo(list[i][1], 5));
    }
    for (const [a, b, s] of g.similarity) expect(m.similarity(a, b)).toBeCloseTo(s, 5);
    const an = m.analogy("cat", "dog", "green", 3);
    expect(an.map((n) => n.word)).toEqual(g.analogy.map((x: [string, number]) => x[0]));
    const pairs = evaluateWordPairs(m, fs.readFileSync(path.join(FIX, "pairs-small.tsv"), "utf8"));
    expect(pairs.spearman).toBeCloseTo(g.pairs_spearman, 6);
    expect(pairs.pearson).toBeCloseTo(g.pairs_pearson, 4);
    expect(pairs.skipped).toBe(1);
    const acc = evaluateAnalogies(m, fs.readFileSync(path.join(FIX, "analogies-small.txt"), "utf8"));
    expect(acc.accuracy).toBeCloseTo(g.analogy_accuracy, 10);
    expect(acc.counted).toBe(g.analogy_counted);
    expect(acc.skipped).toBe(1);
  });
});

describe("word2vec text format", () => {
  it("round-trips to 6 decimals and rejects malformed files", () => {
    const m = royals();
    const back = parseWord2VecText(toWord2VecText(m));
    expect(back.vocab).toEqual(m.vocab);
    back.vectors.forEach((x, i) => expect(x).toBeCloseTo(m.vectors[i], 6));
    expect(() => parseWord2VecText("2 3\na 1 2 3\n")).toThrow(/header says 2 words, found 1/);
    expect(() => parseWord2VecText("1 3\na 1 2\n")).toThrow(/line 2 has 2 numbers, expected dim = 3/);
    expect(() => parseWord2VecText("hello\n")).toThrow(/line 1 must be/);
  });

  const python = "/usr/bin/python3";
  const hasGensim =
    fs.existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ["-c", "import gensim"], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    })();
  it.skipIf(!hasGensim)("a file written here loads in gensim with the same similarities", () => {
    const m = royals();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "w2v-")), "v.txt");
    saveWord2VecText(m, file);
    const out = execFileSync(python, [
      "-c",
      "import sys,json\nfrom gensim.models import KeyedVectors as K\nk=K.load_word2vec_format(sys.argv[1])\n" +
        "print(json.dumps([k.index_to_key, float(k.similarity('king','man')), k.most_similar(positive=['king','woman'], negative=['man'], topn=1)[0][0]]))",
      file,
    ]).toString();
    const [keys, sim, top] = JSON.parse(out);
    expect(keys).toEqual(m.vocab);
    expect(sim).toBeCloseTo(m.similarity("king", "man"), 5);
    expect(top).toBe("queen");
  });
});
