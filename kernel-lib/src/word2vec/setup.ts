/**
 * Everything a training run needs before the first update: vocabulary, encoded corpus,
 * sampling tables and the two weight matrices (input vectors uniform in ±1/dim as in gensim 4,
 * output vectors zero).
 */
import { makeRng } from "../util/random";
import { EXP_TABLE_SIZE, TrainingData, makeLossTable, makeSigmoidTable } from "./training-data";
import { ResolvedSkipGramOptions } from "./options";
import { SimdLayout, sharedMemory, simdKernel, simdLayout, simdModule, threadScratch } from "./simd";
import { buildAliasTable, keepProbabilities } from "./sampling";
import { EncodedCorpus, Vocabulary, buildVocabulary, encodeCorpus } from "./vocab";

/** What `prepareTraining` builds. */
export interface TrainingSetup {
  vocab: Vocabulary;
  corpus: EncodedCorpus;
  kernel: TrainingData;
  /** The WebAssembly memory holding the matrices, tables and scratch (SIMD kernel only), and its layout. */
  memory: WebAssembly.Memory | null;
  layout: SimdLayout | null;
}

/** Check that `sentences` is a non-empty string[][]; the error names the first bad element. */
export function validateSentences(sentences: unknown): asserts sentences is string[][] {
  if (!Array.isArray(sentences)) throw new TypeError(`sentences must be an array of token arrays, got ${typeof sentences}`);
  let words = 0;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i];
    if (!Array.isArray(s)) throw new TypeError(`sentences[${i}] must be an array of strings, got ${typeof s}`);
    for (let j = 0; j < s.length; j++) {
      if (typeof s[j] !== "string") throw new TypeError(`sentences[${i}][${j}] must be a string, got ${typeof s[j]}`);
    }
    words += s.length;
  }
  if (words === 0) throw new RangeError(`sentences: the corpus is empty (${sentences.length} sentences, 0 words)`);
}

function floatArray(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
}

function intArray(src: Int32Array, shared: boolean): Int32Array {
  if (!shared) return src;
  const a = new Int32Array(new SharedArrayBuffer(src.length * 4));
  a.set(src);
  return a;
}

/**
 * Use the WebAssembly SIMD kernel? Yes when dim is a multiple of 4 and the platform has SIMD,
 * unless the environment variable LLM_LESSONS_W2V_KERNEL=js asks for the plain JavaScript one.
 */
export function useSimd(dim: number): boolean {
  return dim % 4 === 0 && process.env.LLM_LESSONS_W2V_KERNEL !== "js" && simdModule() !== null;
}

/**
 * Build vocabulary, tables and matrices. `shared` backs the arrays by SharedArrayBuffers;
 * `threads` reserves scratch (gradient and sentence) for each worker in the SIMD memory.
 */
export function prepareTraining(sentences: string[][], o: ResolvedSkipGramOptions, shared = false, threads = 1): TrainingSetup {
  validateSentences(sentences);
  const vocab = buildVocabulary(sentences, o.minCount);
  if (vocab.words.length === 0) {
    throw new RangeError(`minCount = ${o.minCount} leaves no words: no word occurs that often in the corpus`);
  }
  const corpus = encodeCorpus(sentences, vocab.index);
  const V = vocab.words.length;
  const dim = o.dim;
  const maxSentence = Math.max(1, corpus.maxSentence);
  const layout = useSimd(dim) ? simdLayout(V, dim, maxSentence, o.negative, threads) : null;
  const memory = layout ? sharedMemory(layout.bytes) : null;
  // A view into the WebAssembly memory (SIMD kernel), else a fresh array (shared between threads or not).
  const floats = (byte: number, n: number): Float32Array => (memory ? new Float32Array(memory.buffer, byte, n) : floatArray(n, shared));
  const ints = (byte: number, src: Int32Array): Int32Array => {
    if (!memory) return intArray(src, shared);
    const a = new Int32Array(memory.buffer, byte, src.length);
    a.set(src);
    return a;
  };
  const syn0 = floats(layout?.syn0 ?? 0, V * dim);
  const syn1 = floats(layout?.syn1 ?? 0, V * dim);
  const rng = makeRng(o.seed);
  // Uniform in ±1/dim, as gensim 4 starts (word2vec.c used ±0.5/dim). The output vectors start at
  // 0, so the first updates are proportional to this scale: with a single epoch the larger start
  // learns measurably faster (bench word2vec), with several epochs the two end up alike.
  for (let i = 0; i < syn0.length; i++) syn0[i] = (rng.next() * 2 - 1) / dim;
  const keep = keepProbabilities(vocab.counts, o.sample, vocab.total);
  const alias = buildAliasTable(vocab.counts, 0.75);
  const keepS = shared ? floatArray(V, true) : keep;
  if (shared) keepS.set(keep);
  const aliasProb = memory || shared ? floats(layout?.aliasProb ?? 0, V) : alias.prob;
  if (aliasProb !== alias.prob) aliasProb.set(alias.prob);
  const sigmoid = layout ? floats(layout.sigmoid, EXP_TABLE_SIZE) : makeSigmoidTable();
  const lossTable = layout ? floats(layout.lossTable, EXP_TABLE_SIZE) : makeLossTable();
  if (layout) {
    sigmoid.set(makeSigmoidTable());
    lossTable.set(makeLossTable());
  }
  const scratch = layout ? threadScratch(layout, dim, o.negative, 0) : null;
  const kernel: TrainingData = {
    syn0,
    syn1,
    dim,
    tokens: intArray(corpus.tokens, shared),
    sentStarts: intArray(corpus.sentStarts, shared),
    keep: keepS,
    aliasProb,
    aliasIdx: ints(layout?.aliasIdx ?? 0, alias.alias),
    window: o.window,
    negative: o.negative,
    sigmoid,
    lossTable,
    neu1e: memory && scratch ? new Float32Array(memory.buffer, scratch.neu, dim) : new Float32Array(dim),
    sentence: memory && scratch ? new Int32Array(memory.buffer, scratch.sentence, maxSentence) : new Int32Array(maxSentence),
    simd:
      memory && layout && scratch
        ? { kernel: simdKernel(memory, layout, { vocabSize: V, dim, window: o.window, negative: o.negative }, 0), sentenceByte: scratch.sentence }
        : undefined,
  };
  return { vocab, corpus, kernel, memory, layout };
}

/**
 * Split sentences [0, nSent) into consecutive chunks of about `wordsPerChunk` words: the unit of
 * work between progress reports (and between yields to the event loop).
 */
export function sentenceChunks(sentStarts: Int32Array, from: number, to: number, wordsPerChunk: number): number[] {
  const bounds = [from];
  let last = sentStarts[from];
  for (let s = from + 1; s < to; s++) {
    if (sentStarts[s] - last >= wordsPerChunk) {
      bounds.push(s);
      last = sentStarts[s];
    }
  }
  bounds.push(to);
  return bounds;
}
