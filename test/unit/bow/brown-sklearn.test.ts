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
  trainSoftmaxRegression,
} from "../../../kernel-lib/src/bow";
import { loadBrown } from "../../../kernel-lib/src/text";

// scikit-learn's LogisticRegression on the same Brown texts, features and split, from scripts/fixtures/sklearn_brown.py.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/bow/sklearn_brown.json"), "utf8"));

describe("Brown genre classifier vs scikit-learn (seed 1)", () => {
  it("same split, same vocabulary size, nearly the same predictions and accuracy", async () => {
    const settings = fixture.settings;
    const expected = fixture.results[0];
    const brown = loadBrown();
    const labels = brown.map((t) => t.category);
    const split = groupSplit(
      brown.map((t) => t.id),
      { seed: 1, testFraction: settings.test_fraction, stratify: labels },
    );
    expect(split.test).toEqual(expected.test);
    const vec = new TfidfVectorizer({ tokenPattern: SKLEARN_TOKEN_PATTERN, minDf: settings.min_df, maxDf: settings.max_df });
    const xTrain = vec.fitTransform(split.train.map((i) => brown[i].text));
    const xTest = vec.transform(split.test.map((i) => brown[i].text));
    expect(vec.vocabulary.length).toBe(expected.nFeatures);
    const { ids } = encodeLabels(labels, fixture.classes);
    const yTrain = split.train.map((i) => ids[i]);
    const yTest = split.test.map((i) => ids[i]);
    const model = await trainSoftmaxRegression(xTrain, yTrain, fixture.classes.length, { l2: settings.l2, tol: 1e-5 });
    const pred = model.predict(xTest);
    expect(accuracy(expected.predictions, pred)).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(accuracy(yTest, pred) - expected.accuracy)).toBeLessThanOrEqual(0.04);
    expect(majorityBaseline(yTrain, yTest, fixture.classes.length).accuracy).toBeCloseTo(expected.baseline, 12);
  }, 180_000);
});
