import { CsrMatrix, rowNorms } from "./sparse";

/**
 * Cosine similarity: the dot product of two vectors divided by their lengths, i.e. the cosine of
 * the angle between them. 1 = same direction (same word proportions), 0 = no word in common.
 * For l2-normalised TF-IDF rows it is just the dot product.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors must have the same length, got ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) throw new RangeError("cosine similarity of a zero vector is undefined (a document with no known terms?)");
  return dot / Math.sqrt(na * nb);
}

/**
 * Cosine similarity of every pair of rows of a sparse matrix, as a dense nRows × nRows table.
 * Rows that are all zeros get similarity 0 with everything (and 0 on the diagonal), never NaN.
 * Cost: one pass per row over a dense scatter of that row — fine for a few thousand documents.
 */
export function cosineSimilarityMatrix(m: CsrMatrix): number[][] {
  const norms = rowNorms(m);
  const out: number[][] = Array.from({ length: m.nRows }, () => new Array<number>(m.nRows).fill(0));
  const dense = new Float64Array(m.nCols);
  for (let i = 0; i < m.nRows; i++) {
    if (norms[i] === 0) continue;
    for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) dense[m.indices[k]] = m.data[k];
    for (let j = i; j < m.nRows; j++) {
      if (norms[j] === 0) continue;
      let dot = 0;
      for (let k = m.indptr[j]; k < m.indptr[j + 1]; k++) dot += dense[m.indices[k]] * m.data[k];
      const c = dot / (norms[i] * norms[j]);
      out[i][j] = c;
      out[j][i] = c;
    }
    for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) dense[m.indices[k]] = 0;
  }
  return out;
}

/** A term with its weight in one document. */
export interface TermWeight {
  term: string;
  weight: number;
}

/**
 * The `k` highest-weighted terms of row `row` (e.g. a document's TF-IDF row: the words that
 * characterise it). Ties are broken by column order, so the result is deterministic.
 */
export function topTerms(m: CsrMatrix, row: number, vocabulary: string[], k = 10): TermWeight[] {
  if (!Number.isInteger(row) || row < 0 || row >= m.nRows) throw new RangeError(`row must be an integer in [0, ${m.nRows}), got ${row}`);
  if (vocabulary.length !== m.nCols) throw new RangeError(`vocabulary has ${vocabulary.length} terms but the matrix has ${m.nCols} columns`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  const items: TermWeight[] = [];
  for (let p = m.indptr[row]; p < m.indptr[row + 1]; p++) items.push({ term: vocabulary[m.indices[p]], weight: m.data[p] });
  items.sort((a, b) => b.weight - a.weight);
  return items.slice(0, k);
}
