/**
 * Options of `trainSkipGram`, their defaults (word2vec.c / gensim defaults) and validation.
 * Every bad value is rejected with a message naming the field and the value.
 */

/** Progress reported while training (also what the progress bar shows). */
export interface SkipGramProgress {
  epoch: number;
  epochs: number;
  /** Raw corpus words processed so far over all epochs (before subsampling). */
  wordsDone: number;
  /** Raw words of the whole run (epochs × corpus words). */
  wordsTotal: number;
  /** Raw words per second since the start. */
  wordsPerSecond: number;
  /** Mean loss per (pair + negative) prediction since the previous report. */
  loss: number;
  /** Current learning rate. */
  learningRate: number;
  seconds: number;
}

/** Options of `trainSkipGram`; every field is optional (defaults as word2vec.c / gensim). */
export interface SkipGramOptions {
  /** Embedding size (default 100). */
  dim?: number;
  /** Maximum distance between centre and context word (default 5); shrunk at random per word. */
  window?: number;
  /** Negative samples per positive pair (default 5); 0 trains on positives only (a lesson demo). */
  negative?: number;
  /** Subsampling threshold (default 1e-3); 0 disables subsampling. */
  sample?: number;
  /** Words seen fewer times are dropped (default 5). */
  minCount?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** Initial learning rate (default 0.025); decays linearly to learningRate × 1e-4. */
  learningRate?: number;
  /** Seed of the random numbers (default 1): same seed, same corpus, 1 thread → same vectors. */
  seed?: number;
  /** Worker threads (default 1). More than 1 uses Hogwild updates: faster, not bit-reproducible. */
  threads?: number;
  /** Called about every `reportEveryMs` with progress. */
  onProgress?: (p: SkipGramProgress) => void;
  /** Interval of progress reports and of yielding to the event loop (default 200 ms). */
  reportEveryMs?: number;
  /** Stop training early (e.g. a notebook's stop button); the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Options with defaults filled in and validated. */
export type ResolvedSkipGramOptions = Required<Omit<SkipGramOptions, "onProgress" | "signal">> & Pick<SkipGramOptions, "onProgress" | "signal">;

function integerAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function numberIn(name: string, value: unknown, test: (x: number) => boolean, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !test(value)) {
    throw new RangeError(`${name} must be ${what}, got ${String(value)}`);
  }
  return value;
}

/** Fill defaults and validate. */
export function resolveSkipGramOptions(options: SkipGramOptions = {}): ResolvedSkipGramOptions {
  const o = options ?? {};
  return {
    dim: integerAtLeast("dim", o.dim ?? 100, 1),
    window: integerAtLeast("window", o.window ?? 5, 1),
    negative: integerAtLeast("negative", o.negative ?? 5, 0),
    sample: numberIn("sample", o.sample ?? 1e-3, (x) => x >= 0, "a number >= 0"),
    minCount: integerAtLeast("minCount", o.minCount ?? 5, 1),
    epochs: integerAtLeast("epochs", o.epochs ?? 5, 1),
    learningRate: numberIn("learningRate", o.learningRate ?? 0.025, (x) => x > 0, "a number > 0"),
    seed: numberIn("seed", o.seed ?? 1, () => true, "a finite number"),
    threads: integerAtLeast("threads", o.threads ?? 1, 1),
    reportEveryMs: numberIn("reportEveryMs", o.reportEveryMs ?? 200, (x) => x > 0, "a number > 0"),
    onProgress: o.onProgress,
    signal: o.signal,
  };
}
