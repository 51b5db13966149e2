import { BpeTokenizer, END_OF_TEXT, GPT2_SPLIT_PATTERN, MAX_BPE_VOCAB, escapeRegex, pairKey } from "./bpe";
import { assertWellFormed } from "./tokenizer";

export interface TrainBpeOptions {
  /** Final vocabulary size: 256 byte tokens + merges + special tokens. */
  vocabSize: number;
  /** Special tokens, given ids after the merges. Default ["<|endoftext|>"]. */
  specialTokens?: string[];
  /** Pre-tokenizer regular expression. Default GPT-2's. */
  pattern?: string;
  /** Stop early when the most frequent pair occurs fewer times than this. Default 2. */
  minPairCount?: number;
  /** Called every `progressEvery` merges with (merges done, merges wanted). */
  onProgress?: (done: number, total: number) => void;
  /** Merges between progress calls (and, for trainBpeAsync, between yields). Default 50. */
  progressEvery?: number;
  /** trainBpeAsync only: stop (with an AbortError) when this signal fires. */
  signal?: AbortSignal;
}

/** What training did, next to the tokenizer it built. */
export interface BpeTrainingStats {
  /** Distinct pre-tokenized chunks (the "words" pairs are counted in). */
  distinctChunks: number;
  /** Total chunks in the corpus. */
  totalChunks: number;
  /** Merges learned (may be fewer than asked when no pair reaches minPairCount). */
  merges: number;
  /** Occurrence count of each merged pair at the time it was merged. */
  mergeCounts: number[];
  /** Wall-clock seconds in all. */
  seconds: number;
  /** Of which: cutting the text into chunks and counting them. */
  countSeconds: number;
}

/** A BpeTokenizer from training, with the statistics of its training run. */
export type TrainedBpe = BpeTokenizer & { stats: BpeTrainingStats };

/**
 * Learn a byte-level BPE vocabulary from `text` (Sennrich et al. 2016; byte-level as in GPT-2).
 *
 * 1. Cut the text at special tokens, then into chunks with the pre-tokenizer; count each
 *    distinct chunk once with its frequency.
 * 2. Every chunk starts as its UTF-8 bytes, token ids 0–255.
 * 3. Count adjacent pairs over all chunks (weighted by chunk frequency). Merge the most frequent
 *    pair into a new token (ids 256, 257, … in merge order) everywhere, and repeat.
 *
 * Tie-breaking (deterministic, independent of insertion order): among pairs with the same count
 * the one with the smallest (left id, right id) wins, comparing left ids first.
 *
 * Speed: pair counts are updated incrementally. Only chunks that contain the merged pair are
 * touched (an index maps each pair to the chunks holding it), and the best pair comes from a
 * max-heap with lazy deletion, so a merge costs time proportional to the chunks it changes, not
 * to the corpus.
 */
export function trainBpe(text: string, options: TrainBpeOptions): TrainedBpe {
  const run = trainingRun(text, options);
  while (!run.next().done) {
    // runs to completion
  }
  return run.result();
}

/**
 * The same training as `trainBpe`, yielding to the event loop every `progressEvery` merges so a
 * notebook stays responsive (progress bars update, interrupt works).
 */
export async function trainBpeAsync(text: string, options: TrainBpeOptions): Promise<TrainedBpe> {
  const run = trainingRun(text, options);
  while (!run.next().done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      const e = new Error("BPE training aborted");
      e.name = "AbortError";
      throw e;
    }
  }
  return run.result();
}

interface TrainingRun {
  next(): { done: boolean };
  result(): TrainedBpe;
}

function trainingRun(text: string, options: TrainBpeOptions): TrainingRun {
  const start = performance.now();
  const specials = options.specialTokens ?? [END_OF_TEXT];
  const pattern = options.pattern ?? GPT2_SPLIT_PATTERN;
  const minPairCount = options.minPairCount ?? 2;
  const every = options.progressEvery ?? 50;
  const vocabSize = options.vocabSize;
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
  const minVocab = 256 + specials.length;
  if (!Number.isInteger(vocabSize) || vocabSize < minVocab) {
    throw new RangeError(`vocabSize must be an integer >= ${minVocab} (256 byte tokens + ${specials.length} special tokens), got ${vocabSize}`);
  }
  if (vocabSize > MAX_BPE_VOCAB) throw new RangeError(`vocabSize must be <= ${MAX_BPE_VOCAB}, got ${vocabSize}`);
  if (new Set(specials).size !== specials.length) throw new RangeError(`specialTokens contains duplicates: ${JSON.stringify(specials)}`);
  if (specials.some((s) => typeof s !== "string" || s.length === 0)) throw new RangeError("specialTokens must be non-empty strings");
  if (!(minPairCount >= 1)) throw new RangeError(`minPairCount must be >= 1, got ${minPairCount}`);
  if (!(every >= 1)) throw new RangeError(`progressEvery must be >= 1, got ${every}`);
  assertWellFormed(text);

  // 1. Distinct chunks with frequencies.
  const segments = specials.length > 0 ? text.split(new RegExp(specials.map(escapeRegex).join("|"))) : [text];
  const chunkFreq = new Map<string, number>();
  let totalChunks = 0;
  const splitter = new RegExp(pattern, "gu");
  for (const seg of segments) {
    splitter.lastIndex = 0;
    for (let m = splitter.exec(seg); m !== null; m = splitter.exec(seg)) {
      chunkFreq.set(m[0], (chunkFreq.get(m[0]) ?? 0) + 1);
      totalChunks++;
    }
  }
  if (totalChunks === 0) {
    throw new RangeError("cannot train BPE on an empty corpus: the text has no characters outside special tokens");
  }

  const countSeconds = (performance.now() - start) / 1000;

  // 2. Each chunk as byte ids.
  const encoder = new TextEncoder();
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [chunk, f] of chunkFreq) {
    words.push(Array.from(encoder.encode(chunk)));
    freqs.push(f);
  }

  // 3. Pair counts, the pair → chunks index, and the heap.
  const counts = new Map<number, number>();
  const where = new Map<number, number[]>();
  for (let w = 0; w < words.length; w++) {
    const s = words[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const k = pairKey(s[i], s[i + 1]);
      counts.set(k, (counts.get(k) ?? 0) + freqs[w]);
      const list = where.get(k);
      if (list === undefined) where.set(k, [w]);
      else if (list[list.length - 1] !== w) list.push(w);
    }
  }
  const heap = new PairHeap();
  for (const [k, c] of counts) heap.push(c, k);

  const wanted = vocabSize - minVocab;
  const merges: [number, number, number][] = [];
  const mergeCounts: number[] = [];
  let finished = false;

  const mergeOnce = (): boolean => {
    let best = -1;
    let bestCount = 0;
    while (heap.size > 0) {
      const [c, k] = heap.pop();
      if (counts.get(k) === c) {
        best = k;
        bestCount = c;
        break;
      }
    }
    if (best < 0 || bestCount < minPairCount) return false;
    const left = Math.floor(best / MAX_BPE_VOCAB);
    const right = best % MAX_BPE_VOCAB;
    const id = 256 + merges.length;
    merges.push([left, right, id]);
    mergeCounts.push(bestCount);
    const delta = new Map<number, number>();
    const add = (k: number, d: number): void => {
      delta.set(k, (delta.get(k) ?? 0) + d);
    };
    for (const w of where.get(best) ?? []) {
      const s = words[w];
      const f = freqs[w];
      let found = false;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === left && s[i + 1] === right) {
          found = true;
          break;
        }
      }
      if (!found) continue; // a stale index entry
      for (let i = 0; i + 1 < s.length; i++) add(pairKey(s[i], s[i + 1]), -f);
      const merged: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === left && s[i + 1] === right) {
          merged.push(id);
          i++;
        } else {
          merged.push(s[i]);
        }
      }
      words[w] = merged;
      for (let i = 0; i + 1 < merged.length; i++) {
        const k = pairKey(merged[i], merged[i + 1]);
        add(k, f);
        if (merged[i] === id || merged[i + 1] === id) {
          const list = where.get(k);
          if (list === undefined) where.set(k, [w]);
          else if (list[list.length - 1] !== w) list.push(w);
        }
      }
    }
    where.delete(best);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const c = (counts.get(k) ?? 0) + d;
      if (c > 0) {
        counts.set(k, c);
        heap.push(c, k);
      } else {
        counts.delete(k);
        where.delete(k);
      }
    }
    return true;
  };

  return {
    next() {
      if (finished) return { done: true };
      for (let n = 0; n < every; n++) {
        if (merges.length >= wanted || !mergeOnce()) {
          finished = true;
          break;
        }
      }
      options.onProgress?.(merges.length, wanted);
      return { done: finished };
    },
    result() {
      const specialIds: Record<string, number> = {};
      specials.forEach((s, i) => (specialIds[s] = 256 + merges.length + i));
      const byteIds = Array.from({ length: 256 }, (_, b) => b);
      const tok = new BpeTokenizer({ byteIds, merges, specials: specialIds, pattern }) as TrainedBpe;
      tok.stats = {
        distinctChunks: words.length,
        totalChunks,
        merges: merges.length,
        mergeCounts,
        seconds: (performance.now() - start) / 1000,
        countSeconds,
      };
      return tok;
    },
  };
}

/**
 * A binary max-heap of (count, pair key): higher count first, then smaller key (= smaller left
 * id, then smaller right id). Stale entries are skipped by the caller.
 */
class PairHeap {
  private c: number[] = [];
  private k: number[] = [];

  get size(): number {
    return this.c.length;
  }

  private better(i: number, j: number): boolean {
    return this.c[i] > this.c[j] || (this.c[i] === this.c[j] && this.k[i] < this.k[j]);
  }

  private swap(i: number, j: number): void {
    const c = this.c[i];
    this.c[i] = this.c[j];
    this.c[j] = c;
    const k = this.k[i];
    this.k[i] = this.k[j];
    this.k[j] = k;
  }

  push(count: number, key: number): void {
    this.c.push(count);
    this.k.push(key);
    let i = this.c.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.c[0], this.k[0]];
    const lastC = this.c.pop()!;
    const lastK = this.k.pop()!;
    if (this.c.length > 0) {
      this.c[0] = lastC;
      this.k[0] = lastK;
      let i = 0;
      const n = this.c.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.better(l, m)) m = l;
        if (r < n && this.better(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}
