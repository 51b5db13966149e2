/**
 * `trainSkipGram(sentences, options)`: skip-gram with negative sampling, as word2vec.c does it.
 *
 * The run is cut into chunks of about 10 000 words. Between chunks the trainer records the loss,
 * reports progress and (in the async version) yields to the event loop so that a notebook stays
 * responsive and an AbortSignal can stop it. The learning rate falls linearly from learningRate
 * to learningRate × 1e-4 over all words of all epochs.
 */
import { progressBar } from "../charts";
import { inKernel } from "../runtime/kernel-display";
import { trainSentences } from "./fast-loop";
import { OUT_KEPT, OUT_LOSS, OUT_LOSS_N, OUT_RAW, OUT_RNG, OUT_SIZE } from "./training-data";
import { WordVectors } from "./model";
import { ResolvedSkipGramOptions, SkipGramOptions, SkipGramProgress, resolveSkipGramOptions } from "./options";
import { TrainingSetup, prepareTraining, sentenceChunks } from "./setup";

/** Words per chunk of work between progress reports. */
export const CHUNK_WORDS = 10_000;

/** Summary figures of a finished run. */
export interface SkipGramStats {
  seconds: number;
  /** Raw (in-vocabulary) corpus words per second, all epochs. */
  wordsPerSecond: number;
  /** Words left after subsampling, per second. */
  effectiveWordsPerSecond: number;
  corpusWords: number;
  keptWords: number;
  epochs: number;
  threads: number;
  /** Mean loss per prediction over the last epoch. */
  finalLoss: number;
}

/** A trained model: word vectors plus the loss history and run statistics. */
export class SkipGramModel extends WordVectors {
  /** Mean loss per prediction, sampled during training: x = raw words processed. */
  readonly lossHistory: { words: number; loss: number }[];
  /** Mean loss per prediction over each epoch (deterministic for one thread and a seed). */
  readonly epochLoss: number[];
  readonly stats: SkipGramStats;
  readonly options: ResolvedSkipGramOptions;

  constructor(
    setup: TrainingSetup,
    options: ResolvedSkipGramOptions,
    lossHistory: { words: number; loss: number }[],
    stats: SkipGramStats,
    epochLoss: number[] = [],
  ) {
    super(setup.vocab.words, options.dim, Float32Array.from(setup.kernel.syn0), {
      counts: setup.vocab.counts,
      output: Float32Array.from(setup.kernel.syn1),
    });
    this.lossHistory = lossHistory;
    this.epochLoss = epochLoss;
    this.stats = stats;
    this.options = { ...options, onProgress: undefined, signal: undefined };
  }
}

/** Bookkeeping shared by the single- and multi-threaded loops. */
export class ProgressTracker {
  readonly start = Date.now();
  done = 0;
  kept = 0;
  private lossSum = 0;
  private lossN = 0;
  lastReport = Date.now();
  readonly history: { words: number; loss: number }[] = [];
  private readonly epochSum: number[] = [];
  private readonly epochN: number[] = [];
  private bar: { tick(n?: number, info?: Record<string, string | number>): void; done(): void } | null = null;
  private barDone = 0;

  constructor(
    private readonly o: ResolvedSkipGramOptions,
    readonly total: number,
  ) {
    if (o.progress && typeof progressBar === "function") this.bar = progressBar(total, "word2vec");
  }

  add(raw: number, kept: number, lossSum: number, lossN: number, epoch: number): void {
    this.epochSum[epoch - 1] = (this.epochSum[epoch - 1] ?? 0) + lossSum;
    this.epochN[epoch - 1] = (this.epochN[epoch - 1] ?? 0) + lossN;
    this.done += raw;
    this.kept += kept;
    this.lossSum += lossSum;
    this.lossN += lossN;
  }

  learningRate(): number {
    return this.o.learningRate * Math.max(1e-4, 1 - this.done / this.total);
  }

  /** Report if enough time has passed (or `force`); returns true when it reported. */
  maybeReport(epoch: number, force = false): boolean {
    const now = Date.now();
    if (!force && now - this.lastReport < this.o.reportEveryMs) return false;
    this.lastReport = now;
    if (this.lossN > 0) {
      const loss = this.lossSum / this.lossN;
      this.history.push({ words: this.done, loss });
    }
    this.lossSum = 0;
    this.lossN = 0;
    const p = this.snapshot(epoch);
    // Report only once a loss has been measured, so callbacks never see a NaN loss.
    if (this.history.length > 0) this.o.onProgress?.(p);
    if (this.bar) {
      this.bar.tick(this.done - this.barDone, { loss: p.loss.toFixed(4), "words/s": Math.round(p.wordsPerSecond) });
      this.barDone = this.done;
    }
    return true;
  }

  snapshot(epoch: number): SkipGramProgress {
    const seconds = (Date.now() - this.start) / 1000;
    const last = this.history[this.history.length - 1];
    return {
      epoch,
      epochs: this.o.epochs,
      wordsDone: this.done,
      wordsTotal: this.total,
      wordsPerSecond: seconds > 0 ? this.done / seconds : 0,
      loss: last ? last.loss : NaN,
      learningRate: this.learningRate(),
      seconds,
    };
  }

  /** Mean loss per prediction of each epoch so far. */
  epochLosses(): number[] {
    return this.epochSum.map((s, i) => (this.epochN[i] > 0 ? s / this.epochN[i] : 0));
  }

  finish(epoch: number, threads: number): SkipGramStats {
    this.maybeReport(epoch, true);
    this.bar?.done();
    const seconds = Math.max(1e-9, (Date.now() - this.start) / 1000);
    const losses = this.epochLosses();
    return {
      seconds,
      wordsPerSecond: this.done / seconds,
      effectiveWordsPerSecond: this.kept / seconds,
      corpusWords: this.total / this.o.epochs,
      keptWords: this.kept,
      epochs: this.o.epochs,
      threads,
      finalLoss: losses.length > 0 ? losses[losses.length - 1] : 0,
    };
  }
}

function abortError(done: number): Error {
  const e = new Error(`training aborted after ${done} words`);
  e.name = "AbortError";
  return e;
}

/** The signature of a loop over sentences: `trainSentences` (fast-loop.ts) or the reference loop. */
export type SentenceLoop = typeof trainSentences;

/** One thread, chunk by chunk; the caller runs between chunks (yields, abort checks). */
export function* trainSteps(
  setup: TrainingSetup,
  o: ResolvedSkipGramOptions,
  tracker: ProgressTracker,
  loop: SentenceLoop = trainSentences,
): Generator<number, void> {
  const k = setup.kernel;
  const nSent = k.sentStarts.length - 1;
  const bounds = sentenceChunks(k.sentStarts, 0, nSent, CHUNK_WORDS);
  const out = new Float64Array(OUT_SIZE);
  let rng = (Math.floor(o.seed) * 2654435761 + 12345) | 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let c = 0; c + 1 < bounds.length; c++) {
      const words = k.sentStarts[bounds[c + 1]] - k.sentStarts[bounds[c]];
      const a0 = tracker.learningRate();
      const a1 = o.learningRate * Math.max(1e-4, 1 - (tracker.done + words) / tracker.total);
      loop(k, bounds[c], bounds[c + 1], a0, a1, rng, out);
      rng = out[OUT_RNG] | 0;
      tracker.add(out[OUT_RAW], out[OUT_KEPT], out[OUT_LOSS], out[OUT_LOSS_N], epoch);
      if (tracker.maybeReport(epoch)) yield epoch;
    }
  }
}

/**
 * Train synchronously on one thread (tests, scripts). Same result as `trainSkipGram` with
 * threads = 1 and the same seed. `loop` swaps the inner loop (the reference loop, in tests).
 */
export function trainSkipGramSync(sentences: string[][], options: SkipGramOptions = {}, loop: SentenceLoop = trainSentences): SkipGramModel {
  const o = resolveSkipGramOptions(options);
  const setup = prepareTraining(sentences, o);
  const tracker = new ProgressTracker(o, setup.corpus.tokens.length * o.epochs);
  for (const _epoch of trainSteps(setup, o, tracker, loop)) {
    if (o.signal?.aborted) throw abortError(tracker.done);
  }
  return new SkipGramModel(setup, o, tracker.history, tracker.finish(o.epochs, 1), tracker.epochLosses());
}

/**
 * Train skip-gram with negative sampling on tokenized sentences and return the model
 * (`vocab`, `vector(word)`, `mostSimilar(word, k)`, `analogy(a, b, c)`, `lossHistory`, `stats`).
 * Yields to the event loop about every `reportEveryMs` so a notebook can show progress and stop
 * it (`signal`). With `threads` > 1 the work runs in worker threads sharing the matrices.
 */
export async function trainSkipGram(sentences: string[][], options: SkipGramOptions = {}): Promise<SkipGramModel> {
  const given = resolveSkipGramOptions(options);
  if (given.signal?.aborted) throw abortError(0);
  // In a notebook, the kernel's interrupt (SIGINT) stops training between chunks.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  given.signal?.addEventListener("abort", onAbort);
  const listen = inKernel();
  if (listen) process.on("SIGINT", onAbort);
  const o = { ...given, signal: stop.signal };
  try {
    if (o.threads > 1) {
      const { trainParallel } = await import("./parallel");
      return await trainParallel(sentences, o);
    }
    const setup = prepareTraining(sentences, o);
    const tracker = new ProgressTracker(o, setup.corpus.tokens.length * o.epochs);
    for (const _epoch of trainSteps(setup, o, tracker)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (o.signal.aborted) throw abortError(tracker.done);
    }
    return new SkipGramModel(setup, o, tracker.history, tracker.finish(o.epochs, 1), tracker.epochLosses());
  } finally {
    given.signal?.removeEventListener("abort", onAbort);
    if (listen) process.removeListener("SIGINT", onAbort);
  }
}
