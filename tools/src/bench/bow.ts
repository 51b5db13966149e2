import type { BenchResult } from "./types";
import { loadSotu, accuracy, encodeLabels, trainSoftmaxRegression, groupSplit, taskData, TfidfVectorizer } from "kernel-lib";
import { median } from "./stats";

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * `llm-lessons bench bow`: TF-IDF vectorizing throughput (fit + transform of all 233 SOTU
 * addresses, words/s) and classifier training speed (gradient steps/s, seconds to converge) on
 * the lesson's era task, workshop settings (minDf 2, maxDf 0.5, 20 000 terms, seed 1). Median of
 * 3 runs (quick: 1 run, 5 000 terms).
 */
export async function bench(opts: { quick: boolean }): Promise<BenchResult> {
  const runs = opts.quick ? 1 : 3;
  const maxFeatures = opts.quick ? 5000 : 20000;
  const sotu = loadSotu();
  const texts = sotu.map((a) => a.text);
  const notes: string[] = [`median of ${runs} run(s); single-threaded`];
  const vecTimes: number[] = [];
  let words = 0;
  for (let r = 0; r < runs; r++) {
    const vec = new TfidfVectorizer({ minDf: 2, maxDf: 0.5, maxFeatures });
    const t0 = performance.now();
    vec.fit(texts);
    words = texts.reduce((n, t) => n + vec.counter.analyze(t).length, 0);
    vecTimes.push((performance.now() - t0) / 1000);
  }
  const data = taskData(sotu, "era");
  const split = groupSplit(data.groups, { seed: 1, stratify: data.labels });
  const vec = new TfidfVectorizer({ minDf: 2, maxDf: 0.5, maxFeatures });
  const xTrain = vec.fitTransform(split.train.map((i) => data.texts[i]));
  const xTest = vec.transform(split.test.map((i) => data.texts[i]));
  const { ids } = encodeLabels(data.labels, data.classes);
  const yTrain = split.train.map((i) => ids[i]);
  const yTest = split.test.map((i) => ids[i]);
  const trainTimes: number[] = [];
  let steps = 0;
  let acc = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const model = await trainSoftmaxRegression(xTrain, yTrain, data.classes.length, { l2: 1e-4, tol: 1e-6 });
    trainTimes.push((performance.now() - t0) / 1000);
    steps = model.lossHistory.length;
    acc = accuracy(yTest, model.predict(xTest));
  }
  const vecS = median(vecTimes);
  const trainS = median(trainTimes);
  return {
    name: "bow",
    figures: {
      addresses: texts.length,
      words,
      vectorize_fit_s: round(vecS, 3),
      vectorize_words_per_s: Math.round(words / vecS),
      features: xTrain.nCols,
      train_nonzeros: xTrain.data.length,
      train_steps_to_tol_1e6: steps,
      train_s: round(trainS, 3),
      train_steps_per_s: round(steps / trainS, 1),
      era_accuracy: round(acc, 4),
    },
    notes,
  };
}
