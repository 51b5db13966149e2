/**
 * Worker thread of Hogwild training: receives the shared matrices and corpus once, then trains
 * the sentence ranges it is sent, posting progress after every chunk. A shared stop flag ends
 * the work between chunks.
 */
import { parentPort } from "node:worker_threads";
import { SimdLayout, simdKernel, threadScratch } from "./simd";
import { trainSentences } from "./fast-loop";
import { OUT_SIZE, TrainingData } from "./training-data";

/** First message: the shared buffers and hyperparameters of the training loop, plus the worker's own. */
export type WorkerInit = Pick<
  TrainingData,
  "syn0" | "syn1" | "dim" | "tokens" | "sentStarts" | "keep" | "aliasProb" | "aliasIdx" | "window" | "negative" | "sigmoid" | "lossTable"
> & {
  maxSentence: number;
  stop: Int32Array;
  /** SIMD kernel: the shared WebAssembly memory, its layout, and which thread's scratch is this worker's. */
  simd?: { memory: WebAssembly.Memory; layout: SimdLayout; thread: number };
};

/** A job: train chunks given as sentence bounds with their learning rates. */
export interface WorkerJob {
  bounds: number[];
  alphas: number[];
  rng: number;
}

let data: TrainingData | null = null;
let stop: Int32Array | null = null;

parentPort?.on("message", (msg: { init?: WorkerInit; job?: WorkerJob }) => {
  if (msg.init) {
    const i = msg.init;
    const maxSentence = Math.max(1, i.maxSentence);
    const scratch = i.simd ? threadScratch(i.simd.layout, i.dim, i.negative, i.simd.thread) : null;
    const buffer = i.simd?.memory.buffer;
    data = {
      syn0: i.syn0,
      syn1: i.syn1,
      dim: i.dim,
      tokens: i.tokens,
      sentStarts: i.sentStarts,
      keep: i.keep,
      aliasProb: i.aliasProb,
      aliasIdx: i.aliasIdx,
      window: i.window,
      negative: i.negative,
      sigmoid: i.sigmoid,
      lossTable: i.lossTable,
      neu1e: buffer && scratch ? new Float32Array(buffer, scratch.neu, i.dim) : new Float32Array(i.dim),
      sentence: buffer && scratch ? new Int32Array(buffer, scratch.sentence, maxSentence) : new Int32Array(maxSentence),
    };
    if (i.simd && scratch) {
      const settings = { vocabSize: i.aliasProb.length, dim: i.dim, window: i.window, negative: i.negative };
      data.simd = { kernel: simdKernel(i.simd.memory, i.simd.layout, settings, i.simd.thread), sentenceByte: scratch.sentence };
    }
    stop = i.stop;
    return;
  }
  if (msg.job && data) {
    const { bounds, alphas } = msg.job;
    const out = new Float64Array(OUT_SIZE);
    let rng = msg.job.rng | 0;
    for (let c = 0; c + 1 < bounds.length; c++) {
      if (stop && Atomics.load(stop, 0) !== 0) break;
      trainSentences(data, bounds[c], bounds[c + 1], alphas[c], alphas[c + 1], rng, out);
      rng = out[4] | 0;
      parentPort!.postMessage({ progress: Array.from(out) });
    }
    parentPort!.postMessage({ done: true });
  }
});
