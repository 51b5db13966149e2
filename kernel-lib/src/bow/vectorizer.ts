import { Analyzer, AnalyzerOptions, compareCodePoints, makeAnalyzer } from "./analyze";
import { CsrMatrix, csrFromRows } from "./sparse";

/** Options of CountVectorizer: how to analyze a text, and which terms to keep. */
export interface CountVectorizerOptions extends AnalyzerOptions {
  /**
   * Drop terms found in fewer documents than this. An integer >= 1 is a document count; a number
   * in (0, 1) is a fraction of the documents (default 1: keep everything).
   */
  minDf?: number;
  /**
   * Drop terms found in more documents than this (e.g. 0.9 drops words in over 90 % of them —
   * "the", "of"). A number in (0, 1] is a fraction; an integer > 1 is a count (default 1.0).
   */
  maxDf?: number;
  /** Keep only the this-many terms most frequent in the corpus (after minDf/maxDf); null = all. */
  maxFeatures?: number | null;
}

/** Check that `docs` is a non-empty array of strings; the error names the field and value. */
export function checkDocuments(docs: unknown, field = "documents"): asserts docs is string[] {
  if (!Array.isArray(docs)) throw new TypeError(`${field} must be an array of strings, got ${typeof docs}`);
  if (docs.length === 0) throw new RangeError(`${field} is empty: need at least one document`);
  docs.forEach((d, i) => {
    if (typeof d !== "string") throw new TypeError(`${field}[${i}] must be a string, got ${d === null ? "null" : typeof d}`);
  });
}

/**
 * Learns a vocabulary from documents and turns documents into count vectors: entry (d, t) of the
 * document-term matrix is how often term t occurs in document d. Same conventions as
 * scikit-learn's CountVectorizer: terms are numbered in sorted (code point) order, minDf/maxDf
 * prune by document frequency, maxFeatures then keeps the most frequent terms.
 */
export class CountVectorizer {
  /** The kept terms; column j of the matrix counts `vocabulary[j]`. Empty before `fit`. */
  vocabulary: string[] = [];
  /** term → column. */
  readonly index = new Map<string, number>();
  /** Document text → terms (tokens and n-grams). */
  readonly analyze: Analyzer;
  private readonly minDf: number;
  private readonly maxDf: number;
  private readonly maxFeatures: number | null;

  constructor(options: CountVectorizerOptions = {}) {
    this.analyze = makeAnalyzer(options);
    this.minDf = options.minDf ?? 1;
    this.maxDf = options.maxDf ?? 1.0;
    this.maxFeatures = options.maxFeatures ?? null;
    const { minDf, maxDf, maxFeatures } = this;
    if (!(minDf > 0 && (minDf < 1 || Number.isInteger(minDf)))) {
      throw new RangeError(`minDf must be an integer >= 1 (a count) or a fraction in (0, 1), got ${minDf}`);
    }
    if (!(maxDf > 0 && (maxDf <= 1 || Number.isInteger(maxDf)))) {
      throw new RangeError(`maxDf must be a fraction in (0, 1] or an integer > 1 (a count), got ${maxDf}`);
    }
    if (maxFeatures !== null && !(Number.isInteger(maxFeatures) && maxFeatures >= 1)) {
      throw new RangeError(`maxFeatures must be an integer >= 1 or null, got ${maxFeatures}`);
    }
  }

  /** Learn the vocabulary from `docs` and return their count matrix (one pass over the texts). */
  fitTransform(docs: string[]): CsrMatrix {
    checkDocuments(docs);
    // Pass 1: provisional ids in first-seen order, per-document counts on those ids.
    const provisional = new Map<string, number>();
    const terms: string[] = [];
    const rows: Map<number, number>[] = [];
    for (const doc of docs) {
      const row = new Map<number, number>();
      for (const term of this.analyze(doc)) {
        let id = provisional.get(term);
        if (id === undefined) {
          id = terms.length;
          provisional.set(term, id);
          terms.push(term);
        }
        row.set(id, (row.get(id) ?? 0) + 1);
      }
      rows.push(row);
    }
    if (terms.length === 0) {
      throw new RangeError("empty vocabulary: the documents contain no tokens (check the texts and the tokenizer/tokenPattern)");
    }
    const df = new Float64Array(terms.length);
    const tf = new Float64Array(terms.length);
    for (const row of rows)
      for (const [id, c] of row) {
        df[id] += 1;
        tf[id] += c;
      }

    // Prune by document frequency (scikit-learn's rule: fractions are multiplied by the number of docs).
    const n = docs.length;
    const maxCount = this.maxDf <= 1 ? this.maxDf * n : this.maxDf;
    const minCount = this.minDf < 1 ? this.minDf * n : this.minDf;
    if (maxCount < minCount) {
      throw new RangeError(`maxDf=${this.maxDf} allows fewer documents (${maxCount}) than minDf=${this.minDf} requires (${minCount})`);
    }
    let kept: number[] = [];
    for (let id = 0; id < terms.length; id++) if (df[id] >= minCount && df[id] <= maxCount) kept.push(id);
    if (kept.length === 0) {
      throw new RangeError(`empty vocabulary after filtering: no term is in >= minDf=${this.minDf} and <= maxDf=${this.maxDf} of ${n} documents`);
    }
    if (this.maxFeatures !== null && kept.length > this.maxFeatures) {
      // Most frequent first; ties broken by term order so the result does not depend on the input order.
      kept.sort((a, b) => tf[b] - tf[a] || compareCodePoints(terms[a], terms[b]));
      kept = kept.slice(0, this.maxFeatures);
    }
    kept.sort((a, b) => compareCodePoints(terms[a], terms[b]));

    this.vocabulary = kept.map((id) => terms[id]);
    this.index.clear();
    this.vocabulary.forEach((t, j) => this.index.set(t, j));
    const remap = new Int32Array(terms.length).fill(-1);
    kept.forEach((id, j) => (remap[id] = j));
    const finalRows = rows.map((row) => {
      const out = new Map<number, number>();
      for (const [id, c] of row) if (remap[id] >= 0) out.set(remap[id], c);
      return out;
    });
    return csrFromRows(finalRows, this.vocabulary.length);
  }

  /** Learn the vocabulary from `docs`. */
  fit(docs: string[]): this {
    this.fitTransform(docs);
    return this;
  }

  /** Count matrix of `docs` over the learned vocabulary (terms not in it are ignored). */
  transform(docs: string[]): CsrMatrix {
    if (this.vocabulary.length === 0) throw new Error("CountVectorizer: call fit or fitTransform before transform");
    checkDocuments(docs);
    const rows = docs.map((doc) => {
      const row = new Map<number, number>();
      for (const term of this.analyze(doc)) {
        const j = this.index.get(term);
        if (j !== undefined) row.set(j, (row.get(j) ?? 0) + 1);
      }
      return row;
    });
    return csrFromRows(rows, this.vocabulary.length);
  }
}
