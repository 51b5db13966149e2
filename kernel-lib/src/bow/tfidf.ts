import { CsrMatrix } from "./sparse";
import { CountVectorizer, CountVectorizerOptions } from "./vectorizer";

/**
 * TF-IDF: weight each count by how rare the term is across documents, then normalise each row.
 *
 * Variant (scikit-learn's default, so the parity test can pin it down):
 *   idf(t) = ln((1 + n) / (1 + df(t))) + 1      ("smooth" idf)
 *   tfidf(d, t) = count(d, t) · idf(t), then every row divided by its l2 norm.
 * Why smooth: the +1 inside acts as if one extra document contained every term once, so no
 * division by zero for a term unseen at fit time. Why the trailing +1: a term in every document
 * gets weight 1, not 0 — it is down-weighted, not deleted. Why l2: cosine similarity of two rows
 * becomes a plain dot product, and long addresses do not dominate short ones.
 */
export interface TfidfOptions {
  /** Row normalisation (default "l2"). */
  norm?: "l2" | "l1" | null;
  /** Use idf weights at all (default true; false gives normalised term frequencies). */
  useIdf?: boolean;
  /** Smooth idf as above (default true); false: ln(n / df) + 1. */
  smoothIdf?: boolean;
  /** Replace each count c by 1 + ln(c) (default false). */
  sublinearTf?: boolean;
}

/** Inverse document frequencies of the columns of a count matrix. */
export function computeIdf(counts: CsrMatrix, smoothIdf = true): Float64Array {
  const df = documentFrequencies(counts);
  const n = counts.nRows + (smoothIdf ? 1 : 0);
  const idf = new Float64Array(counts.nCols);
  for (let j = 0; j < counts.nCols; j++) {
    const d = df[j] + (smoothIdf ? 1 : 0);
    if (d === 0) throw new RangeError(`term column ${j} occurs in no document: its idf is undefined (use smoothIdf)`);
    idf[j] = Math.log(n / d) + 1;
  }
  return idf;
}

/** In how many rows each column is non-zero. */
export function documentFrequencies(counts: CsrMatrix): Float64Array {
  const df = new Float64Array(counts.nCols);
  for (let k = 0; k < counts.indptr[counts.nRows]; k++) if (counts.data[k] !== 0) df[counts.indices[k]] += 1;
  return df;
}

/** Apply tf transform, idf weights and row normalisation to a count matrix (a new matrix). */
export function applyTfidf(counts: CsrMatrix, idf: Float64Array | null, options: TfidfOptions = {}): CsrMatrix {
  const norm = options.norm === undefined ? "l2" : options.norm;
  if (norm !== "l2" && norm !== "l1" && norm !== null) throw new RangeError(`norm must be "l2", "l1" or null, got ${JSON.stringify(norm)}`);
  if (idf && idf.length !== counts.nCols) throw new RangeError(`idf has length ${idf.length} but the matrix has ${counts.nCols} columns`);
  const data = new Float64Array(counts.data.length);
  for (let r = 0; r < counts.nRows; r++) {
    const start = counts.indptr[r];
    const end = counts.indptr[r + 1];
    let s = 0;
    for (let k = start; k < end; k++) {
      let v = counts.data[k];
      if (options.sublinearTf && v > 0) v = 1 + Math.log(v);
      if (idf) v *= idf[counts.indices[k]];
      data[k] = v;
      s += norm === "l1" ? Math.abs(v) : v * v;
    }
    const z = norm === "l2" ? Math.sqrt(s) : s;
    if (norm !== null && z > 0) for (let k = start; k < end; k++) data[k] /= z;
  }
  return { nRows: counts.nRows, nCols: counts.nCols, indptr: counts.indptr, indices: counts.indices, data };
}

/**
 * CountVectorizer followed by TF-IDF weighting — scikit-learn's TfidfVectorizer. The idf
 * weights are learned by `fit` and reused by `transform`, so held-out documents are weighted
 * with training statistics only (no leakage).
 */
export class TfidfVectorizer {
  /** The underlying counter (vocabulary, analyzer). */
  readonly counter: CountVectorizer;
  /** idf weight per vocabulary column (empty before fit). */
  idf: Float64Array = new Float64Array(0);
  private readonly options: TfidfOptions;

  constructor(options: CountVectorizerOptions & TfidfOptions = {}) {
    this.counter = new CountVectorizer(options);
    this.options = { norm: options.norm, useIdf: options.useIdf, smoothIdf: options.smoothIdf, sublinearTf: options.sublinearTf };
    applyTfidf({ nRows: 0, nCols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float64Array(0) }, null, this.options);
  }

  /** The kept terms; column j is `vocabulary[j]`. */
  get vocabulary(): string[] {
    return this.counter.vocabulary;
  }

  /** Learn vocabulary and idf from `docs`; return their TF-IDF matrix. */
  fitTransform(docs: string[]): CsrMatrix {
    const counts = this.counter.fitTransform(docs);
    this.idf = computeIdf(counts, this.options.smoothIdf ?? true);
    return applyTfidf(counts, this.options.useIdf === false ? null : this.idf, this.options);
  }

  /** Learn vocabulary and idf from `docs`. */
  fit(docs: string[]): this {
    this.fitTransform(docs);
    return this;
  }

  /** TF-IDF matrix of `docs` with the learned vocabulary and idf. */
  transform(docs: string[]): CsrMatrix {
    const counts = this.counter.transform(docs);
    return applyTfidf(counts, this.options.useIdf === false ? null : this.idf, this.options);
  }
}
