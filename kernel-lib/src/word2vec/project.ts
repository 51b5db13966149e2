/**
 * A 2-D map of word vectors by PCA (ml-pca): the two directions along which the chosen words'
 * vectors vary most. PCA is linear and deterministic, so the map is the same every run; it shows
 * broad groupings, not fine neighbourhoods (those need the cosine queries).
 */
import { PCA } from "ml-pca";
import { WordVectors } from "./model";

/** Words with 2-D coordinates for plotting. */
export interface WordMap {
  words: string[];
  x: number[];
  y: number[];
  /** Fraction of the variance each of the two axes explains. */
  explained: [number, number];
}

/** Project the unit vectors of `words` (unknown words are an error naming them) onto 2 PCs. */
export function pcaMap(model: WordVectors, words: string[]): WordMap {
  if (words.length < 3) throw new RangeError(`pcaMap needs at least 3 words, got ${words.length}`);
  const unit = model.unitVectors();
  const d = model.dim;
  const rows = words.map((w) => {
    const i = model.requireIndex(w);
    return Array.from(unit.subarray(i * d, (i + 1) * d));
  });
  const pca = new PCA(rows);
  const proj = pca.predict(rows, { nComponents: 2 }).to2DArray();
  const ev = pca.getExplainedVariance();
  return { words: [...words], x: proj.map((r) => r[0]), y: proj.map((r) => r[1]), explained: [ev[0], ev[1] ?? 0] };
}
