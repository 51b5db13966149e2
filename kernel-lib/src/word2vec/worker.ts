/**
 * Worker thread of Hogwild training: receives the shared matrices and corpus once, then trains
 * the sentence ranges it is sent, posting progress after every chunk. A shared stop flag ends
 * the work between chunks.
 */
import { parentPort } from "node:worker_threads";
import { simdOps } from "./simd";
import { trainSentences } from "./fast-loop";
import { OUT_SIZE, TrainingData, makeLossTable, makeSigmoidTable } from "./training-data";

/** First message: the shared buffers and hyperparameters of the training loop, plus the worker's own. */
export type WorkerInit = Pick<TrainingData, "syn0" | "syn1" | "dim" | "tokens" | "sentStarts" | "keep" | "aliasProb" | "aliasIdx" | "window" | "negative"> & {
  maxSentence: number;
  stop: Int32Array;
  /** SIMD operations: the shared WebAssembly memory and byte offsets (this worker's own neuByte). */
  simd?: { memory: WebAssembly.Memory; syn0Byte: number; syn1Byte: number; neuByte: number };
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
      sigmoid: makeSigmoidTable(),
      lossTable: makeLossTable(),
      neu1e: new Float32Array(i.dim),
      sentence: new Int32Array(Math.max(1, i.maxSentence)),
    };
    if (i.simd) {
      const ops = simdOps(i.simd.memory);
      if (!ops) throw new Error("WebAssembly SIMD unavailable in worker");
      data.simd = { ops, syn0Byte: i.simd.syn0Byte, syn1Byte: i.simd.syn1Byte, neuByte: i.simd.neuByte };
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
