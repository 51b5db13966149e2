import { makeRng } from "../util/random";
import { CountTable, SortedCountTable } from "./count-table";
import { applyTemperature, sampleFromProbs, mostLikely } from "./sampling";

/** Padding before a sentence: the context of its first words. */
export const SENTENCE_START = "<s>";
/** End of sentence: a model predicts it like a word, so sentence lengths get probabilities too. */
export const SENTENCE_END = "</s>";
/** Stand-in for words outside the vocabulary. */
export const NGRAM_UNK = "<unk>";

export type Smoothing = "none" | "add-k" | "interpolated";

export interface NgramOptions {
  /** n: 1 = unigram, 2 = bigram, 3 = trigram, … (each word depends on the n − 1 before it). */
  order: number;
  /**
   * "none": maximum likelihood, count(h, w) / count(h) — unseen n-grams get probability 0.
   * "add-k": (count(h, w) + k) / (count(h) + k·V) — every word gets a little mass.
   * "interpolated" (default): Σ λ_m P_m(w | last m − 1 words) for m = 1…n, maximum likelihood
   * for m ≥ 2 and add-k for the unigram, so nothing is ever 0 (Jelinek & Mercer 1980).
   */
  smoothing?: Smoothing;
  /** The k of add-k (also used for the unigram under interpolation). Default 1. */
  k?: number;
  /** Interpolation weights λ_1…λ_n (unigram first), summing to 1. Default ∝ 1, 2, …, n. */
  lambdas?: number[];
  /** Words seen fewer times than this become <unk>. Default 1 (keep all). */
  minCount?: number;
  /** Keep at most this many words (the most frequent; ties: first seen). Default: all. */
  maxVocab?: number;
}

function checkLambdas(lambdas: readonly number[], order: number): void {
  if (lambdas.length !== order) throw new RangeError(`lambdas must have ${order} entries (one per order), got ${lambdas.length}`);
  if (lambdas.some((l) => !(l >= 0)) || Math.abs(lambdas.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new RangeError(`lambdas must be >= 0 and sum to 1, got ${JSON.stringify(lambdas)}`);
  }
}

/** One step of the chain rule: P(word | context). */
export interface ChainStep {
  word: string;
  context: string[];
  prob: number;
}

/**
 * An n-gram language model: P(w_i | w_1 … w_{i−1}) ≈ P(w_i | w_{i−n+1} … w_{i−1}), estimated by
 * counting. Vocabulary ids: 0 = <s> (context only, never predicted), 1 = </s>, 2 = <unk>, then
 * the words by falling frequency. "Outcomes" are the ids it predicts: all but <s>.
 */
export class NgramModel {
  readonly order: number;
  readonly smoothing: Smoothing;
  readonly k: number;
  readonly lambdas: number[];
  readonly vocab: string[];
  /** Number of training tokens predicted (words + one </s> per sentence). */
  readonly trainingTokens: number;
  private readonly index = new Map<string, number>();
  /** counts[m]: m-gram (context of m − 1 ids, then the word) → count, m = 1…n. */
  private readonly counts: CountTable[] = [];
  /** contexts[m]: (m − 1)-id context → how many m-grams start with it. */
  private readonly contexts: CountTable[] = [];
  private readonly numericKeys: boolean;

  private constructor(vocab: string[], options: Required<Pick<NgramOptions, "order" | "smoothing" | "k">> & { lambdas: number[] }, trainingTokens: number) {
    this.vocab = vocab;
    vocab.forEach((w, i) => this.index.set(w, i));
    this.order = options.order;
    this.smoothing = options.smoothing;
    this.k = options.k;
    this.lambdas = options.lambdas;
    this.trainingTokens = trainingTokens;
    this.numericKeys = Math.pow(vocab.length + 1, this.order) < Number.MAX_SAFE_INTEGER;
  }

  /** Count the n-grams of tokenized sentences (each a list of words). */
  static train(sentences: readonly (readonly string[])[], options: NgramOptions): NgramModel {
    const order = options.order;
    if (!Number.isInteger(order) || order < 1) throw new RangeError(`order must be an integer >= 1, got ${order}`);
    const smoothing = options.smoothing ?? "interpolated";
    if (!["none", "add-k", "interpolated"].includes(smoothing)) {
      throw new RangeError(`smoothing must be "none", "add-k" or "interpolated", got ${JSON.stringify(smoothing)}`);
    }
    const k = options.k ?? 1;
    if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`k must be a finite number > 0, got ${k}`);
    const lambdas = options.lambdas ?? Array.from({ length: order }, (_, i) => (2 * (i + 1)) / (order * (order + 1)));
    checkLambdas(lambdas, order);
    const minCount = options.minCount ?? 1;
    if (!(minCount >= 1)) throw new RangeError(`minCount must be >= 1, got ${minCount}`);
    if (sentences.length === 0 || sentences.every((s) => s.length === 0)) {
      throw new RangeError("cannot train an n-gram model on an empty corpus: no sentence has a word");
    }

    const freq = new Map<string, number>();
    for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
    for (const special of [SENTENCE_START, SENTENCE_END, NGRAM_UNK]) freq.delete(special);
    const words = [...freq.entries()].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]);
    const kept = words.slice(0, Math.min(words.length, options.maxVocab ?? Infinity)).map(([w]) => w);
    let tokens = 0;
    for (const s of sentences) tokens += s.length + 1;
    const model = new NgramModel([SENTENCE_START, SENTENCE_END, NGRAM_UNK, ...kept], { order, smoothing, k, lambdas }, tokens);
    model.countAll(
      sentences.map((s) => model.toIds(s)),
      tokens,
    );
    return model;
  }

  /**
   * The same counts with other interpolation weights λ_1…λ_n (unigram first, summing to 1): no
   * recounting, so tuning the weights on validation data costs only the evaluations.
   */
  withLambdas(lambdas: readonly number[]): NgramModel {
    checkLambdas(lambdas, this.order);
    const copy = new NgramModel(this.vocab, { order: this.order, smoothing: this.smoothing, k: this.k, lambdas: [...lambdas] }, this.trainingTokens);
    copy.counts.push(...this.counts);
    copy.contexts.push(...this.contexts);
    return copy;
  }

  /** Vocabulary size including <s>, </s> and <unk>. */
  get vocabSize(): number {
    return this.vocab.length;
  }

  /** How many different tokens the model can predict (everything but <s>). */
  get outcomes(): number {
    return this.vocab.length - 1;
  }

  /** Word → id, <unk> for unknown words. */
  id(word: string): number {
    return this.index.get(word) ?? 2;
  }

  /** Words → ids (unknown words → <unk>). */
  toIds(words: readonly string[]): number[] {
    return words.map((w) => this.id(w));
  }

  private key(ids: readonly number[], start: number, end: number): number | string {
    if (!this.numericKeys) return ids.slice(start, end).join(",");
    let key = 0;
    const base = this.vocab.length + 1;
    for (let i = start; i < end; i++) key = key * base + ids[i] + 1;
    return key;
  }

  private padded(ids: readonly number[]): number[] {
    return [...new Array<number>(this.order - 1).fill(0), ...ids, 1];
  }

  /**
   * Count every m-gram (m = 1…n) and every context. Keys that fit in a double are collected in
   * typed arrays and sorted (SortedCountTable); otherwise Maps with string keys count them.
   */
  private countAll(sentences: number[][], tokens: number): void {
    const n = this.order;
    this.counts.push(new Map());
    this.contexts.push(new Map());
    if (this.numericKeys) {
      const grams: Float64Array[] = [];
      const ctxs: Float64Array[] = [];
      for (let m = 1; m <= n; m++) {
        grams.push(new Float64Array(tokens));
        ctxs.push(new Float64Array(tokens));
      }
      let at = 0;
      for (const ids of sentences) {
        const seq = this.padded(ids);
        for (let i = n - 1; i < seq.length; i++, at++) {
          for (let m = 1; m <= n; m++) {
            ctxs[m - 1][at] = this.key(seq, i - m + 1, i) as number;
            grams[m - 1][at] = this.key(seq, i - m + 1, i + 1) as number;
          }
        }
      }
      for (let m = 1; m <= n; m++) {
        this.counts.push(new SortedCountTable(grams[m - 1]));
        this.contexts.push(new SortedCountTable(ctxs[m - 1]));
      }
      return;
    }
    const gramMaps: Map<string, number>[] = [];
    const ctxMaps: Map<string, number>[] = [];
    for (let m = 1; m <= n; m++) {
      gramMaps.push(new Map());
      ctxMaps.push(new Map());
    }
    for (const ids of sentences) {
      const seq = this.padded(ids);
      for (let i = n - 1; i < seq.length; i++) {
        for (let m = 1; m <= n; m++) {
          const ck = this.key(seq, i - m + 1, i) as string;
          const nk = this.key(seq, i - m + 1, i + 1) as string;
          gramMaps[m - 1].set(nk, (gramMaps[m - 1].get(nk) ?? 0) + 1);
          ctxMaps[m - 1].set(ck, (ctxMaps[m - 1].get(ck) ?? 0) + 1);
        }
      }
    }
    for (let m = 1; m <= n; m++) {
      this.counts.push(gramMaps[m - 1]);
      this.contexts.push(ctxMaps[m - 1]);
    }
  }

  /** How often an n-gram of any order 1…n was seen, e.g. count(["of", "the"]). */
  count(words: readonly string[]): number {
    if (words.length < 1 || words.length > this.order) throw new RangeError(`an n-gram must have 1…${this.order} words, got ${words.length}`);
    const ids = this.toIds(words);
    return this.counts[words.length].get(this.key(ids, 0, ids.length)) ?? 0;
  }

  /** P(word | context) on ids; `seq[pos]` is the word and the n − 1 ids before it its context. */
  private probAt(seq: readonly number[], pos: number): number {
    const w = seq[pos];
    if (w === 0) return 0; // <s> is never predicted
    const n = this.order;
    if (this.smoothing === "none") return this.mlAt(seq, pos, n) ?? 0;
    if (this.smoothing === "add-k") {
      const c = this.contexts[n].get(this.key(seq, pos - n + 1, pos)) ?? 0;
      const cw = this.counts[n].get(this.key(seq, pos - n + 1, pos + 1)) ?? 0;
      return (cw + this.k) / (c + this.k * this.outcomes);
    }
    // Interpolated: orders whose context was never seen hand their weight to the lower ones.
    let p = this.lambdas[0] * this.unigramAt(seq, pos);
    let weight = this.lambdas[0];
    for (let m = 2; m <= n; m++) {
      const pm = this.mlAt(seq, pos, m);
      if (pm === null) continue;
      p += this.lambdas[m - 1] * pm;
      weight += this.lambdas[m - 1];
    }
    return p / weight;
  }

  /** Maximum-likelihood P_m(seq[pos] | the m − 1 ids before it); null when that context was never seen. */
  private mlAt(seq: readonly number[], pos: number, m: number): number | null {
    const c = this.contexts[m].get(this.key(seq, pos - m + 1, pos)) ?? 0;
    if (c === 0) return null;
    return (this.counts[m].get(this.key(seq, pos - m + 1, pos + 1)) ?? 0) / c;
  }

  /** Add-k unigram P_1(seq[pos]): never 0. */
  private unigramAt(seq: readonly number[], pos: number): number {
    const c1 = this.contexts[1].get(this.key(seq, pos, pos)) ?? 0;
    return ((this.counts[1].get(this.key(seq, pos, pos + 1)) ?? 0) + this.k) / (c1 + this.k * this.outcomes);
  }

  /**
   * The per-order estimates that interpolation averages, for every predicted token of `sentences`
   * (each sentence's words, then </s>): entry m − 1 holds P_m(w | the last m − 1 words) — add-k
   * for m = 1, maximum likelihood above, NaN where that context was never seen. With them, any
   * weights λ give P(w) = (λ_1·P_1 + Σ_{seen m} λ_m·P_m) / (λ_1 + Σ_{seen m} λ_m) without a lookup.
   */
  orderProbabilities(sentences: readonly (readonly string[])[]): Float64Array[] {
    let tokens = 0;
    for (const s of sentences) tokens += s.length + 1;
    const out = Array.from({ length: this.order }, () => new Float64Array(tokens));
    let at = 0;
    for (const s of sentences) {
      const seq = this.padded(this.toIds(s));
      for (let i = this.order - 1; i < seq.length; i++, at++) {
        out[0][at] = this.unigramAt(seq, i);
        for (let m = 2; m <= this.order; m++) out[m - 1][at] = this.mlAt(seq, i, m) ?? NaN;
      }
    }
    return out;
  }

  private contextSeq(context: readonly string[]): number[] {
    const ids = this.toIds(context);
    const pad = new Array<number>(Math.max(0, this.order - 1 - ids.length)).fill(0);
    return [...pad, ...ids.slice(Math.max(0, ids.length - (this.order - 1)))];
  }

  /** P(word | context): context is the words before it (only the last n − 1 matter; fewer = start of sentence). */
  prob(word: string, context: readonly string[] = []): number {
    const seq = this.contextSeq(context);
    seq.push(this.id(word));
    return this.probAt(seq, seq.length - 1);
  }

  /** The full next-token distribution after `context`, indexed by id (entry 0, <s>, is 0). */
  distribution(context: readonly string[] = []): Float64Array {
    const seq = this.contextSeq(context);
    seq.push(0);
    const out = new Float64Array(this.vocab.length);
    for (let id = 1; id < this.vocab.length; id++) {
      seq[seq.length - 1] = id;
      out[id] = this.probAt(seq, seq.length - 1);
    }
    return out;
  }

  /** The chain rule on one sentence: each P(w_i | w_<i) including the final </s>. */
  chain(words: readonly string[]): ChainStep[] {
    const seq = this.padded(this.toIds(words));
    const shown = [...words, SENTENCE_END];
    const steps: ChainStep[] = [];
    for (let i = this.order - 1; i < seq.length; i++) {
      const j = i - (this.order - 1);
      steps.push({ word: shown[j], context: shown.slice(Math.max(0, j - (this.order - 1)), j), prob: this.probAt(seq, i) });
    }
    return steps;
  }

  /** log P(sentence) = Σ log P(w_i | w_<i) (natural log), computed in log space so it never underflows. */
  sentenceLogProb(words: readonly string[]): number {
    let lp = 0;
    for (const s of this.chain(words)) lp += Math.log(s.prob);
    return lp;
  }

  /**
   * Perplexity on held-out sentences: exp(−(1/N) Σ log P(w_i | w_<i)) over all N predicted
   * tokens (words and </s>). A model that spreads its bet evenly over V outcomes scores V; lower
   * is better. Infinity when some token got probability 0 (see `zeroProbTokens`).
   */
  perplexity(sentences: readonly (readonly string[])[]): { perplexity: number; tokens: number; logProb: number; zeroProbTokens: number; unkTokens: number } {
    let logProb = 0;
    let tokens = 0;
    let zero = 0;
    let unk = 0;
    for (const s of sentences) {
      const ids = this.toIds(s);
      for (const id of ids) if (id === 2) unk++;
      const seq = this.padded(ids);
      for (let i = this.order - 1; i < seq.length; i++) {
        const p = this.probAt(seq, i);
        tokens++;
        if (p > 0) logProb += Math.log(p);
        else zero++;
      }
    }
    if (tokens === 0) throw new RangeError("perplexity needs at least one sentence");
    const perplexity = zero > 0 ? Infinity : Math.exp(-logProb / tokens);
    return { perplexity, tokens, logProb: zero > 0 ? -Infinity : logProb, zeroProbTokens: zero, unkTokens: unk };
  }

  /** The k most likely next words after `context`, with probabilities. */
  topNext(context: readonly string[], k: number): { word: string; prob: number }[] {
    return mostLikely(this.distribution(context), k).map(({ index, prob }) => ({ word: this.vocab[index], prob }));
  }

  /**
   * Generate words after `prompt` by sampling each next word from the model at a temperature,
   * until </s> or `maxWords`. Seeded: the same seed gives the same text.
   */
  generate(options: { prompt?: readonly string[]; maxWords?: number; temperature?: number; seed?: number } = {}): string[] {
    const rng = makeRng(options.seed ?? 1);
    const maxWords = options.maxWords ?? 30;
    const temperature = options.temperature ?? 1;
    const words = [...(options.prompt ?? [])];
    const out: string[] = [];
    for (let i = 0; i < maxWords; i++) {
      const probs = applyTemperature(this.distribution(words), temperature);
      const id = sampleFromProbs(probs, rng);
      if (id === 1) break;
      words.push(this.vocab[id]);
      out.push(this.vocab[id]);
    }
    return out;
  }
}

/**
 * Sparsity: the fraction of the n-grams in `test` (with sentence padding) that never occur in
 * `train`. It climbs fast with n — most 4-grams of new text have never been seen — which is why
 * counting cannot scale to long contexts.
 */
export function unseenNgramRate(train: readonly (readonly string[])[], test: readonly (readonly string[])[], n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const grams = (s: readonly string[]): string[] => {
    const seq = [...new Array<string>(n - 1).fill(SENTENCE_START), ...s, SENTENCE_END];
    const out: string[] = [];
    for (let i = n - 1; i < seq.length; i++) out.push(seq.slice(i - n + 1, i + 1).join("\u0001"));
    return out;
  };
  const seen = new Set<string>();
  for (const s of train) for (const g of grams(s)) seen.add(g);
  let total = 0;
  let unseen = 0;
  for (const s of test) {
    for (const g of grams(s)) {
      total++;
      if (!seen.has(g)) unseen++;
    }
  }
  if (total === 0) throw new RangeError("test must contain at least one sentence");
  return unseen / total;
}
