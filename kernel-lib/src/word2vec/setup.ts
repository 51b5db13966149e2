/**
 * Everything a training run needs before the first update: vocabulary, encoded corpus,
 * sampling tables and the two weight matrices (input vectors uniform in ±1/dim as in gensim 4,
 * output vectors zero).
 */
import { makeRng } from "../util/random";
import { TrainingData, makeLossTable, makeSigmoidTable } from "./training-data";
import { ResolvedSkipGramOptions } from "./options";
import { sharedMemory, simdOps } from "./simd";
import { buildAliasTable, keepProbabilities } from "./sampling";
import { EncodedCorpus, Vocabulary, buildVocabulary, encodeCorpus } from "./vocab";

/** What `prepareTraining` builds. */
export interface TrainingSetup {
  vocab: Vocabulary;
  corpus: EncodedCorpus;
  kernel: TrainingData;
  /** The WebAssembly memory holding syn0, syn1 and the scratch gradients (SIMD operations only). */
  memory: WebAssembly.Memory | null;
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
  return dim % 4 === 0 && process.env.LLM_LESSONS_W2V_KERNEL !== "js" && simdOps(sharedMemory(65536)) !== null;
}

/**
 * Build vocabulary, tables and matrices. `shared` backs the arrays by SharedArrayBuffers;
 * `threads` reserves one scratch gradient per worker in the SIMD memory.
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
  const simd = useSimd(dim);
  const memory = simd ? sharedMemory((2 * V * dim + threads * dim) * 4) : null;
  const syn0 = memory ? new Float32Array(memory.buffer, 0, V * dim) : floatArray(V * dim, shared);
  const syn1 = memory ? new Float32Array(memory.buffer, V * dim * 4, V * dim) : floatArray(V * dim, shared);
  const rng = makeRng(o.seed);
  // Uniform in ±1/dim, as gensim 4 starts (word2vec.c used ±0.5/dim). The output vectors start at
  // 0, so the first updates are proportional to this scale: with a single epoch the larger start
  // learns measurably faster (bench word2vec), with several epochs the two end up alike.
  for (let i = 0; i < syn0.length; i++) syn0[i] = (rng.next() * 2 - 1) / dim;
  const keep = keepProbabilities(vocab.counts, o.sample, vocab.total);
  const alias = buildAliasTable(vocab.counts, 0.75);
  const keepS = shared ? floatArray(V, true) : keep;
  if (shared) keepS.set(keep);
  const probS = shared ? floatArray(V, true) : alias.prob;
  if (shared) probS.set(alias.prob);
  const kernel: TrainingData = {
    syn0,
    syn1,
    dim,
    tokens: intArray(corpus.tokens, shared),
    sentStarts: intArray(corpus.sentStarts, shared),
    keep: keepS,
    aliasProb: probS,
    aliasIdx: intArray(alias.alias, shared),
    window: o.window,
    negative: o.negative,
    sigmoid: makeSigmoidTable(),
    lossTable: makeLossTable(),
    neu1e: memory ? new Float32Array(memory.buffer, 2 * V * dim * 4, dim) : new Float32Array(dim),
    sentence: new Int32Array(Math.max(1, corpus.maxSentence)),
    simd: memory ? { ops: simdOps(memory)!, syn0Byte: 0, syn1Byte: V * dim * 4, neuByte: 2 * V * dim * 4 } : undefined,
  };
  return { vocab, corpus, kernel, memory };
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
