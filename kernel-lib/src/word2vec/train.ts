/**
 * `trainSkipGram(sentences, options)`: skip-gram with negative sampling, as word2vec.c does it.
 *
 * The run is cut into chunks of about 10 000 words. Between chunks the trainer records the loss,
 * reports progress and (in the async version) yields to the event loop so that a notebook stays
 * responsive and an AbortSignal can stop it. The learning rate falls linearly from learningRate
 * to learningRate × 1e-4 over all words of all epochs.
 */
import { trainSentences } from "./fast-loop";
import { OUT_KEPT, OUT_LOSS, OUT_LOSS_N, OUT_RAW, OUT_RNG, OUT_SIZE } from "./training-data";
import { ResolvedSkipGramOptions, SkipGramOptions, resolveSkipGramOptions } from "./options";
import { CHUNK_WORDS, ProgressTracker, SkipGramModel, abortError } from "./run-state";
import { TrainingSetup, prepareTraining, sentenceChunks } from "./setup";

export { CHUNK_WORDS, ProgressTracker, SkipGramModel, type SkipGramStats } from "./run-state";

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
 * Yields to the event loop about every `reportEveryMs` so that a caller can show progress
 * (`onProgress`) and stop it (`signal`); `trainSkipGramWithProgress` (lesson.ts) adds a progress
 * bar and the notebook's interrupt. With `threads` > 1 the work runs in worker threads sharing
 * the matrices.
 */
export async function trainSkipGram(sentences: string[][], options: SkipGramOptions = {}): Promise<SkipGramModel> {
  const given = resolveSkipGramOptions(options);
  if (given.signal?.aborted) throw abortError(0);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  given.signal?.addEventListener("abort", onAbort);
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
  }
}
