/**
 * What the single- and multi-threaded trainers share (train.ts, parallel.ts): the size of a chunk
 * of work, the bookkeeping of a run (words done, loss, learning rate, progress reports), and the
 * trained model they return. Importing it from both keeps the arrows one way:
 * train → parallel → run-state, train → run-state.
 */
import { WordVectors } from "./model";
import type { ResolvedSkipGramOptions, SkipGramProgress } from "./options";
import type { TrainingSetup } from "./setup";

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

  constructor(
    private readonly o: ResolvedSkipGramOptions,
    readonly total: number,
  ) {}

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

/** The error a stopped run rejects with (name "AbortError"), saying how far it got. */
export function abortError(done: number): Error {
  const e = new Error(`training aborted after ${done} words`);
  e.name = "AbortError";
  return e;
}
