/**
 * The SGNS inner loop as WebAssembly SIMD (f32x4), written in simd.wat (compiled to simd.wasm at
 * build time): `trainSentence` trains one subsampled sentence per call, on the matrices and tables
 * laid out in one shared WebAssembly.Memory (`simdLayout`); `dot`, `update` and `addClear` are its
 * three vector operations, exported for the tests. fast-loop.ts runs either this or its own
 * JavaScript loop (the fallback when SIMD is unavailable or dim is not a multiple of 4);
 * reference.ts is the readable version the tests compare both with.
 *
 * Pointers are byte offsets into the shared memory.
 */
import { loadWasmModule } from "../util/wasm-module";
import { EXP_TABLE_SIZE, MAX_EXP, SentenceKernel } from "./training-data";

/** The module's exports, on byte offsets into the shared memory. */
export interface SimdKernel extends SentenceKernel {
  /** syn0[inRow] · syn1[outRow] over n floats. */
  dot(inRow: number, outRow: number, n: number): number;
  /** neu += g·syn1[outRow]; syn1[outRow] += g·syn0[inRow]. */
  update(inRow: number, outRow: number, neu: number, n: number, g: number): void;
  /** syn0[inRow] += neu; neu = 0. */
  addClear(inRow: number, neu: number, n: number): void;
  /** Set the instance's layout and hyperparameters (see `simdKernel`). */
  configure(
    syn0: number,
    syn1: number,
    aliasProb: number,
    aliasIdx: number,
    nAlias: number,
    sigmoid: number,
    lossTable: number,
    tableSize: number,
    maxExp: number,
    neu: number,
    rows: number,
    gs: number,
    dim: number,
    window: number,
    negative: number,
  ): void;
}

/**
 * Where everything lives in the memory (byte offsets). Per-thread scratch (the gradient, the list
 * of a context word's output rows and their gradient scales, and the sentence) comes last, one block per thread, each starting on its own 64-byte cache line so that
 * two threads never write the same line of scratch.
 */
export interface SimdLayout {
  syn0: number;
  syn1: number;
  aliasProb: number;
  aliasIdx: number;
  sigmoid: number;
  lossTable: number;
  /** First thread's scratch; thread t's starts `scratchBytes` × t later. */
  scratch: number;
  scratchBytes: number;
  /** Total bytes. */
  bytes: number;
}

const LINE = 64;
const roundUp = (x: number): number => Math.ceil(x / LINE) * LINE;

/**
 * The layout for `vocabSize` rows of `dim` floats, sentences up to `maxSentence` words, `negative`
 * negatives per prediction, `threads` threads.
 */
export function simdLayout(vocabSize: number, dim: number, maxSentence: number, negative: number, threads: number): SimdLayout {
  const matrix = roundUp(vocabSize * dim * 4);
  const syn1 = matrix;
  const aliasProb = 2 * matrix;
  const aliasIdx = aliasProb + roundUp(vocabSize * 4);
  const sigmoid = aliasIdx + roundUp(vocabSize * 4);
  const lossTable = sigmoid + roundUp(EXP_TABLE_SIZE * 4);
  const scratch = lossTable + roundUp(EXP_TABLE_SIZE * 4);
  const scratchBytes = roundUp(dim * 4) + roundUp((negative + 1) * 4) + roundUp((negative + 1) * 16) + roundUp(Math.max(1, maxSentence) * 4);
  return { syn0: 0, syn1, aliasProb, aliasIdx, sigmoid, lossTable, scratch, scratchBytes, bytes: scratch + threads * scratchBytes };
}

/** Thread t's scratch as byte offsets: gradient (dim floats), row list, scale list, sentence. */
export function threadScratch(layout: SimdLayout, dim: number, negative: number, t: number): { neu: number; rows: number; gs: number; sentence: number } {
  const neu = layout.scratch + t * layout.scratchBytes;
  const rows = neu + roundUp(dim * 4);
  const gs = rows + roundUp((negative + 1) * 4);
  return { neu, rows, gs, sentence: gs + roundUp((negative + 1) * 16) };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD or shared memory is unavailable. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = loadWasmModule(__dirname, "simd");
  } catch (e) {
    // A missing file is a broken build (say so); a module this engine cannot compile means no SIMD.
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    compiled = null;
  }
  return compiled;
}

/** A shared memory of at least `bytes` bytes. */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) throw new RangeError(`model needs ${bytes} bytes, more than WebAssembly's 4 GiB`);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Instantiate the module over `memory` (synchronously; the module is tiny), not yet configured. */
export function simdOps(memory: WebAssembly.Memory): SimdKernel | null {
  const mod = simdModule();
  if (!mod) return null;
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  return inst.exports as unknown as SimdKernel;
}

/** The training settings a kernel instance needs besides the layout. */
export interface SimdSettings {
  vocabSize: number;
  dim: number;
  window: number;
  negative: number;
}

/** An instance configured for thread `t` of a run laid out as `layout`. */
export function simdKernel(memory: WebAssembly.Memory, layout: SimdLayout, s: SimdSettings, t: number): SimdKernel {
  const kernel = simdOps(memory);
  if (!kernel) throw new Error("WebAssembly SIMD is unavailable");
  const { neu, rows, gs } = threadScratch(layout, s.dim, s.negative, t);
  kernel.configure(
    layout.syn0,
    layout.syn1,
    layout.aliasProb,
    layout.aliasIdx,
    s.vocabSize,
    layout.sigmoid,
    layout.lossTable,
    EXP_TABLE_SIZE,
    MAX_EXP,
    neu,
    rows,
    gs,
    s.dim,
    s.window,
    s.negative,
  );
  return kernel;
}
