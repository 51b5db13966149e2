/** Figures of the word2vec lesson: the 2-D word map and the loss curve (thin layer over charts). */
import { Figure, lineChart, scatterChart } from "../../charts";
import { WordMap } from "../../word2vec/project";
import { SkipGramModel } from "../../word2vec/train";

/** Scatter of a PCA map with a hover label (and text label) per word; `groups` colours points. */
export function wordMapFigure(map: WordMap, options: { title?: string; groups?: string[] } = {}): Figure {
  const title = options.title ?? `Word vectors, PCA (axes explain ${(map.explained[0] * 100).toFixed(0)}% and ${(map.explained[1] * 100).toFixed(0)}%)`;
  if (options.groups) {
    const names = [...new Set(options.groups)];
    return scatterChart(
      names.map((g) => {
        const idx = map.words.map((_, i) => i).filter((i) => options.groups![i] === g);
        return { name: g, x: idx.map((i) => map.x[i]), y: idx.map((i) => map.y[i]), labels: idx.map((i) => map.words[i]) };
      }),
      { title, xTitle: "PC 1", yTitle: "PC 2", showLabels: true },
    );
  }
  return scatterChart([{ name: "words", x: map.x, y: map.y, labels: map.words }], { title, xTitle: "PC 1", yTitle: "PC 2", showLabels: true });
}

/** The loss recorded during training against words processed. */
export function lossFigure(model: SkipGramModel, title = "SGNS loss per prediction"): Figure {
  return lineChart([{ name: "loss", x: model.lossHistory.map((p) => p.words), y: model.lossHistory.map((p) => p.loss) }], {
    title,
    xTitle: "words processed",
    yTitle: "mean loss",
  });
}
