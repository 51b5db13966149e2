/** Read access to a table of counts: what an n-gram model needs from its counting. */
export interface CountTable {
  /** The count of `key`, or undefined when it was never seen. */
  get(key: number | string): number | undefined;
  /** Number of distinct keys. */
  readonly size: number;
}

/**
 * Counts of numeric keys stored as two sorted typed arrays (distinct keys, their counts) and
 * looked up by binary search. Building it sorts one Float64Array of all occurrences — much faster
 * and leaner than millions of Map insertions when counting the n-grams of a whole corpus.
 */
export class SortedCountTable implements CountTable {
  readonly keys: Float64Array;
  readonly counts: Int32Array;

  /** `occurrences` holds one key per occurrence, in any order; it is sorted in place. */
  constructor(occurrences: Float64Array) {
    occurrences.sort();
    let distinct = 0;
    for (let i = 0; i < occurrences.length; i++) if (i === 0 || occurrences[i] !== occurrences[i - 1]) distinct++;
    this.keys = new Float64Array(distinct);
    this.counts = new Int32Array(distinct);
    let j = -1;
    for (let i = 0; i < occurrences.length; i++) {
      if (i === 0 || occurrences[i] !== occurrences[i - 1]) this.keys[++j] = occurrences[i];
      this.counts[j]++;
    }
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: number | string): number | undefined {
    if (typeof key !== "number") return undefined;
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k === key) return this.counts[mid];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
