import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { CountVectorizer, SKLEARN_TOKEN_PATTERN, TfidfVectorizer, toDense } from "../../../kernel-lib/src/bow";

// Generated once by scripts/fixtures/sklearn_bow.py with Debian's python3-sklearn.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/bow/sklearn_bow.json"), "utf8"));

interface Entry {
  name: string;
  kind: "count" | "tfidf";
  params: {
    ngram_range?: [number, number];
    min_df?: number;
    max_df?: number;
    max_features?: number;
    lowercase?: boolean;
    sublinear_tf?: boolean;
    norm?: "l1" | "l2";
    smooth_idf?: boolean;
  };
  vocabulary: string[];
  matrix: number[][];
  heldOut: number[][];
  idf?: number[];
}

function expectClose(actual: number[][], expected: number[][], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((v, j) => {
      if (Math.abs(v - expected[i][j]) > tol) throw new Error(`entry (${i}, ${j}) = ${v}, scikit-learn has ${expected[i][j]}`);
    });
  });
}

describe("parity with scikit-learn CountVectorizer / TfidfVectorizer", () => {
  it("the fixture covers counts, n-grams, df pruning, max_features and TF-IDF variants", () => {
    expect((fixture.vectorizers as Entry[]).map((e) => e.name)).toEqual([
      "count_unigram",
      "count_bigram",
      "count_mindf2",
      "count_maxdf",
      "count_maxfeatures",
      "count_nolower",
      "tfidf_default",
      "tfidf_bigram_mindf2",
      "tfidf_sublinear_l1",
      "tfidf_nosmooth",
    ]);
  });

  for (const entry of fixture.vectorizers as Entry[]) {
    it(`${entry.name} matches (vocabulary, matrix, held-out transform)`, () => {
      const p = entry.params;
      const options = {
        tokenPattern: SKLEARN_TOKEN_PATTERN,
        ngramRange: p.ngram_range,
        minDf: p.min_df,
        maxDf: p.max_df,
        maxFeatures: p.max_features,
        lowercase: p.lowercase,
      };
      const vec =
        entry.kind === "count"
          ? new CountVectorizer(options)
          : new TfidfVectorizer({ ...options, sublinearTf: p.sublinear_tf, norm: p.norm, smoothIdf: p.smooth_idf });
      const X = vec.fitTransform(fixture.corpus);
      expect(vec.vocabulary).toEqual(entry.vocabulary);
      expectClose(toDense(X), entry.matrix, 1e-12);
      expectClose(toDense(vec.transform(fixture.heldOut)), entry.heldOut, 1e-12);
      if (entry.idf) expectClose([Array.from((vec as TfidfVectorizer).idf)], [entry.idf], 1e-12);
    });
  }

  it("sklearn's pattern keeps an unspaced Chinese sentence as one token, splitWords does not", () => {
    const vocab = (fixture.vectorizers as Entry[])[0].vocabulary;
    expect(vocab).toContain("猫追狗");
    expect(new CountVectorizer().fit(["猫追狗"]).vocabulary).toEqual(["狗", "猫", "追"]);
  });
});
