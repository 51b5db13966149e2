/**
 * Trained (or loaded) word vectors and the queries a learner makes of them: a word's vector,
 * cosine similarity, nearest neighbours, analogies. Cosines are computed on unit-length copies
 * of the vectors (made once), so a query is one pass of dot products over the vocabulary.
 */

/** One neighbour in a query result. */
export interface Neighbour {
  word: string;
  similarity: number;
}

/** Word vectors with a vocabulary. `vectors` is vocab.length × dim, row-major. */
export class WordVectors {
  readonly vocab: string[];
  readonly dim: number;
  readonly vectors: Float32Array;
  /** Corpus count of each word when known (training), else undefined. */
  readonly counts?: Float64Array;
  /** Output (context) vectors when the model was trained here; used to inspect σ(u·v). */
  readonly output?: Float32Array;
  private readonly index: Map<string, number>;
  private unit: Float32Array | null = null;

  constructor(vocab: string[], dim: number, vectors: Float32Array, extra: { counts?: Float64Array; output?: Float32Array } = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be an integer >= 1, got ${dim}`);
    if (vectors.length !== vocab.length * dim) {
      throw new RangeError(`vectors has length ${vectors.length}, expected vocab.length × dim = ${vocab.length * dim}`);
    }
    for (let i = 0; i < vectors.length; i++) {
      if (!Number.isFinite(vectors[i])) throw new RangeError(`vector of "${vocab[Math.floor(i / dim)]}" contains ${vectors[i]}`);
    }
    this.vocab = vocab;
    this.dim = dim;
    this.vectors = vectors;
    this.counts = extra.counts;
    this.output = extra.output;
    this.index = new Map(vocab.map((w, i) => [w, i]));
  }

  /** True when the word has a vector. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The word's id (row), or undefined. */
  indexOf(word: string): number | undefined {
    return this.index.get(word);
  }

  /** A copy of the word's vector, or undefined for an unknown word. */
  vector(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** The id of a known word; throws an error naming the word otherwise. */
  requireIndex(word: string): number {
    const i = this.index.get(word);
    if (i === undefined) {
      throw new RangeError(`unknown word "${word}": not in the vocabulary (${this.vocab.length} words)`);
    }
    return i;
  }

  /** Unit-length copies of all vectors (zero vectors stay zero). */
  unitVectors(): Float32Array {
    if (this.unit) return this.unit;
    const d = this.dim;
    const u = new Float32Array(this.vectors.length);
    for (let i = 0; i < this.vocab.length; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.vectors[i * d + j] ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) u[i * d + j] = this.vectors[i * d + j] * inv;
    }
    this.unit = u;
    return u;
  }

  /** Cosine similarity of two known words. */
  similarity(a: string, b: string): number {
    const u = this.unitVectors();
    const ia = this.requireIndex(a) * this.dim;
    const ib = this.requireIndex(b) * this.dim;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s += u[ia + j] * u[ib + j];
    return s;
  }

  /**
   * The k words whose vectors have the highest cosine with `query` (a word or a vector),
   * excluding the query word itself and `exclude`. `restrict` limits the search to the most
   * frequent words (vocab order), as gensim's `restrict_vocab`.
   */
  mostSimilar(query: string | ArrayLike<number>, k = 10, options: { exclude?: string[]; restrict?: number } = {}): Neighbour[] {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
    const d = this.dim;
    const skip = new Set<number>();
    let q: Float64Array;
    if (typeof query === "string") {
      const i = this.requireIndex(query);
      skip.add(i);
      q = Float64Array.from(this.unitVectors().subarray(i * d, (i + 1) * d));
    } else {
      if (query.length !== d) throw new RangeError(`query vector has length ${query.length}, expected dim = ${d}`);
      q = Float64Array.from(query);
    }
    for (const w of options.exclude ?? []) skip.add(this.requireIndex(w));
    let norm = 0;
    for (let j = 0; j < d; j++) norm += q[j] * q[j];
    if (!(norm > 0) || !Number.isFinite(norm)) throw new RangeError("query vector must be finite and non-zero");
    const inv = 1 / Math.sqrt(norm);
    const u = this.unitVectors();
    const n = Math.min(this.vocab.length, options.restrict ?? this.vocab.length);
    // Keep the best k in a small sorted array (k is small).
    const best: Neighbour[] = [];
    for (let i = 0; i < n; i++) {
      if (skip.has(i)) continue;
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) s += u[o + j] * q[j];
      s *= inv;
      if (best.length < k || s > best[best.length - 1].similarity) {
        let p = best.length < k ? best.length : k - 1;
        while (p > 0 && best[p - 1].similarity < s) p--;
        best.splice(p, 0, { word: this.vocab[i], similarity: s });
        if (best.length > k) best.pop();
      }
    }
    return best;
  }

  /**
   * "a is to b as c is to ?": the words nearest to unit(b) − unit(a) + unit(c), excluding a, b
   * and c (3CosAdd, the rule of Mikolov et al. and gensim's most_similar). Example:
   * analogy("man", "king", "woman") should rank "queen" high. The argument order matches a line
   * "a b c d" of a questions-words file.
   */
  analogy(a: string, b: string, c: string, k = 1, options: { restrict?: number } = {}): Neighbour[] {
    const u = this.unitVectors();
    const d = this.dim;
    const [ia, ib, ic] = [this.requireIndex(a), this.requireIndex(b), this.requireIndex(c)];
    const q = new Float64Array(d);
    for (let j = 0; j < d; j++) q[j] = u[ib * d + j] - u[ia * d + j] + u[ic * d + j];
    return this.mostSimilar(q, k, { exclude: [a, b, c], restrict: options.restrict });
  }
}
