import { checkClassIds } from "./labels";
import { CsrMatrix } from "./sparse";

/**
 * Nearest-centroid classifier: average the (TF-IDF) rows of each class, then give a document the
 * class whose average it is most cosine-similar to. No training loop, no hyperparameters — the
 * simplest classifier that still uses every word.
 */
export interface NearestCentroid {
  /** One unit-length centroid per class, each of length nFeatures. */
  centroids: Float64Array[];
  /** Class id of every row of X by cosine similarity to the centroids. */
  predict(X: CsrMatrix): Int32Array;
}

/** Fit class centroids on rows of X with class ids y in [0, nClasses). */
export function trainNearestCentroid(X: CsrMatrix, y: ArrayLike<number>, nClasses: number): NearestCentroid {
  if (y.length !== X.nRows) throw new RangeError(`y has ${y.length} labels but X has ${X.nRows} rows`);
  checkClassIds(y, nClasses, "y");
  const centroids = Array.from({ length: nClasses }, () => new Float64Array(X.nCols));
  const counts = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < X.nRows; i++) {
    counts[y[i]]++;
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) centroids[y[i]][X.indices[k]] += X.data[k];
  }
  counts.forEach((n, c) => {
    if (n === 0) throw new RangeError(`class ${c} has no training rows: cannot form its centroid`);
  });
  for (const m of centroids) {
    let s = 0;
    for (let j = 0; j < m.length; j++) s += m[j] * m[j];
    const norm = Math.sqrt(s);
    if (norm > 0) for (let j = 0; j < m.length; j++) m[j] /= norm;
  }
  return {
    centroids,
    predict(Xt: CsrMatrix): Int32Array {
      if (Xt.nCols !== X.nCols) throw new RangeError(`X has ${Xt.nCols} columns but the centroids have ${X.nCols}`);
      const out = new Int32Array(Xt.nRows);
      for (let i = 0; i < Xt.nRows; i++) {
        let best = 0;
        let bestScore = -Infinity;
        for (let c = 0; c < nClasses; c++) {
          let dot = 0;
          for (let k = Xt.indptr[i]; k < Xt.indptr[i + 1]; k++) dot += centroids[c][Xt.indices[k]] * Xt.data[k];
          if (dot > bestScore) {
            bestScore = dot;
            best = c;
          }
        }
        out[i] = best;
      }
      return out;
    },
  };
}
