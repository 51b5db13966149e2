/**
 * Multi-threaded training (Hogwild, as word2vec.c's threads): each worker trains its own slice of
 * every epoch and writes straight into the shared input/output matrices without locks. Updates
 * collide rarely, so quality matches one thread while throughput scales with cores. The order of
 * updates depends on thread timing, so results are not bit-reproducible.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { OUT_KEPT, OUT_LOSS, OUT_LOSS_N, OUT_RAW } from "./training-data";
import { ResolvedSkipGramOptions } from "./options";
import { prepareTraining, sentenceChunks } from "./setup";
import { CHUNK_WORDS, ProgressTracker, SkipGramModel } from "./run-state";

/** The compiled worker script (dist/word2vec/worker.js), also found when running from src/. */
export function workerScript(): string {
  const candidates = [path.join(__dirname, "worker.js"), path.resolve(__dirname, "../../dist/word2vec/worker.js")];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`word2vec worker script not found (looked in ${candidates.join(", ")}); build kernel-lib first (npm run build)`);
}

/** Train with `o.threads` worker threads sharing the matrices. */
export async function trainParallel(sentences: string[][], o: ResolvedSkipGramOptions): Promise<SkipGramModel> {
  const setup = prepareTraining(sentences, o, true, o.threads);
  const k = setup.kernel;
  const nSent = k.sentStarts.length - 1;
  const threads = Math.max(1, Math.min(o.threads, nSent));
  const tracker = new ProgressTracker(o, setup.corpus.tokens.length * o.epochs);
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const script = workerScript();
  const workers = Array.from({ length: threads }, () => new Worker(script));
  const onAbort = () => Atomics.store(stop, 0, 1);
  o.signal?.addEventListener("abort", onAbort);
  try {
    workers.forEach((w, t) => {
      const simd = setup.memory && setup.layout ? { memory: setup.memory, layout: setup.layout, thread: t } : undefined;
      w.postMessage({
        init: {
          syn0: k.syn0,
          syn1: k.syn1,
          dim: k.dim,
          tokens: k.tokens,
          sentStarts: k.sentStarts,
          keep: k.keep,
          aliasProb: k.aliasProb,
          aliasIdx: k.aliasIdx,
          window: k.window,
          negative: k.negative,
          sigmoid: k.sigmoid,
          lossTable: k.lossTable,
          maxSentence: setup.corpus.maxSentence,
          stop,
          simd,
        },
      });
    });
    // Each worker gets a contiguous slice of sentences; its learning rate decays over its own
    // share of the run, which in expectation matches word2vec.c's global decay.
    const words = k.sentStarts[nSent];
    const slices: number[] = [0];
    for (let t = 1; t < threads; t++) {
      const target = (words * t) / threads;
      let s = slices[t - 1] + 1;
      while (s < nSent && k.sentStarts[s] < target) s++;
      slices.push(Math.min(s, nSent - (threads - t)));
    }
    slices.push(nSent);
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      await Promise.all(
        workers.map(
          (w, t) =>
            new Promise<void>((resolve, reject) => {
              const bounds = sentenceChunks(k.sentStarts, slices[t], slices[t + 1], CHUNK_WORDS);
              const sliceWords = k.sentStarts[slices[t + 1]] - k.sentStarts[slices[t]];
              const alphas: number[] = [];
              for (const b of bounds) {
                const doneInSlice = k.sentStarts[b] - k.sentStarts[slices[t]];
                const frac = ((epoch - 1) * sliceWords + doneInSlice) / Math.max(1, o.epochs * sliceWords);
                alphas.push(o.learningRate * Math.max(1e-4, 1 - frac));
              }
              const onMessage = (m: { progress?: number[]; done?: boolean }) => {
                if (m.progress) {
                  tracker.add(m.progress[OUT_RAW], m.progress[OUT_KEPT], m.progress[OUT_LOSS], m.progress[OUT_LOSS_N], epoch);
                  tracker.maybeReport(epoch);
                } else if (m.done) {
                  w.off("message", onMessage);
                  w.off("error", reject);
                  resolve();
                }
              };
              w.on("message", onMessage);
              w.once("error", reject);
              const seed = (Math.floor(o.seed) * 2654435761 + epoch * 7919 + t * 104729) | 0;
              w.postMessage({ job: { bounds, alphas, rng: seed } });
            }),
        ),
      );
      if (Atomics.load(stop, 0) !== 0) {
        const e = new Error(`training aborted after ${tracker.done} words`);
        e.name = "AbortError";
        throw e;
      }
    }
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return new SkipGramModel(setup, o, tracker.history, tracker.finish(o.epochs, threads), tracker.epochLosses());
}
