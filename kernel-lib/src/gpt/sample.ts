/**
 * Generating text: the model gives a probability for every possible next token; a decoding rule
 * picks one, appends it, and repeats. Greedy always takes the most likely token (repetitive);
 * temperature flattens (> 1) or sharpens (< 1) the distribution; top-k keeps only the k likeliest;
 * top-p (nucleus) keeps the smallest set whose probability reaches p. Sampling picks fluent
 * continuations by probability, not by truth — which is where "hallucinations" come from.
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng, Rng } from "../util/random";
import type { Gpt } from "./model";

/** Decoding settings. */
export interface SampleOptions {
  /** Tokens to generate. */
  maxNewTokens: number;
  /** Always take the most likely token (ignores the rest). Default false. */
  greedy?: boolean;
  /** Divide the logits by this before softmax; default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 = all. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability sum reaches p; 1 = all. */
  topP?: number;
  /** Seed of the sampling. Default 0. */
  seed?: number;
  /** Called with each new token id as soon as it is chosen (for streaming). */
  onToken?: (id: number) => void;
  /** Checked before each token: stop early when aborted. */
  signal?: { aborted: boolean };
}

function checkSampleOptions(o: SampleOptions): void {
  if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 0) throw new RangeError(`maxNewTokens must be an integer >= 0, got ${o.maxNewTokens}`);
  const t = o.temperature ?? 1;
  if (!(t > 0 && Number.isFinite(t))) throw new RangeError(`temperature must be a number > 0, got ${t}`);
  const k = o.topK ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK must be an integer >= 0 (0 = off), got ${k}`);
  const p = o.topP ?? 1;
  if (!(p > 0 && p <= 1)) throw new RangeError(`topP must be in (0, 1], got ${p}`);
}

/** Softmax of `logits / temperature` in float64. */
export function softmaxT(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i] / temperature);
  const p = new Float64Array(n);
  let z = 0;
  for (let i = 0; i < n; i++) z += p[i] = Math.exp(logits[i] / temperature - max);
  for (let i = 0; i < n; i++) p[i] /= z;
  return p;
}

/**
 * The distribution a decoding rule actually samples from: softmax(logits / T), then zero out
 * everything outside the top-k and outside the top-p nucleus, renormalised.
 */
export function filteredDistribution(logits: ArrayLike<number>, options: { temperature?: number; topK?: number; topP?: number } = {}): Float64Array {
  const p = softmaxT(logits, options.temperature ?? 1);
  const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a] || a - b);
  const k = options.topK && options.topK > 0 ? Math.min(options.topK, p.length) : p.length;
  const topP = options.topP ?? 1;
  const keep = new Uint8Array(p.length);
  let mass = 0;
  for (let r = 0; r < k; r++) {
    keep[order[r]] = 1;
    mass += p[order[r]];
    if (mass >= topP) break;
  }
  let z = 0;
  for (let i = 0; i < p.length; i++) {
    if (!keep[i]) p[i] = 0;
    z += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= z;
  return p;
}

/** Draw an index from probabilities `p` with `rng` (inverse CDF). */
export function sampleIndex(p: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let c = 0;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) last = i;
    c += p[i];
    if (u < c) return i;
  }
  return last;
}

/** The argmax of `xs` (first index on ties). */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/** Next-token logits after `context` (only its last blockSize tokens are read). */
export function nextTokenLogits(model: Gpt, context: readonly number[]): Float32Array {
  if (context.length === 0) throw new RangeError("the context must hold at least one token");
  const T = model.config.blockSize;
  const window = Int32Array.from(context.slice(-T));
  return tf
    .tidy(() => {
      const h = model.hidden(window, 1, window.length);
      const last = tf.slice(h, [window.length - 1, 0], [1, model.config.nEmbd]);
      return model.head(last as tf.Tensor2D);
    })
    .dataSync() as Float32Array;
}

/**
 * Generate `maxNewTokens` ids after `prompt` (ids). Returns only the new ids; `onToken` streams
 * them. Awaits between tokens so a notebook stays responsive and can interrupt.
 */
export async function generate(model: Gpt, prompt: readonly number[], options: SampleOptions): Promise<number[]> {
  checkSampleOptions(options);
  const rng = makeRng(options.seed ?? 0);
  const ids = [...prompt];
  const out: number[] = [];
  let lastYield = performance.now();
  for (let i = 0; i < options.maxNewTokens; i++) {
    if (options.signal?.aborted) break;
    const logits = nextTokenLogits(model, ids);
    const id = options.greedy ? argmax(logits) : sampleIndex(filteredDistribution(logits, options), rng);
    ids.push(id);
    out.push(id);
    options.onToken?.(id);
    if (performance.now() - lastYield > 50) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  return out;
}

/** A tokenizer as far as sampling needs one. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  tokenText?(id: number): string;
}

/**
 * Generate text after a text `prompt`, writing each piece to `write` as it arrives (default:
 * process.stdout, which a notebook shows live). Returns the generated text (without the prompt).
 */
export async function generateText(model: Gpt, codec: TextCodec, prompt: string, options: SampleOptions & { write?: (s: string) => void }): Promise<string> {
  const write = options.write ?? ((s: string) => process.stdout.write(s));
  // Text goes out in pieces at most every 150 ms: in a notebook every write is one message to the
  // front end, and a burst of them (one per character) can overrun the kernel's output socket.
  let pending = "";
  let lastFlush = performance.now();
  const flush = () => {
    if (pending !== "") {
      try {
        write(pending);
      } catch {
        return; // the kernel's output socket was busy: keep the text and send it with the next piece
      }
    }
    pending = "";
    lastFlush = performance.now();
  };
  const ids = codec.encode(prompt);
  const newIds = await generate(model, ids, {
    ...options,
    onToken: (id) => {
      pending += codec.decode([id]);
      if (performance.now() - lastFlush > 150) flush();
      options.onToken?.(id);
    },
  });
  flush();
  if (options.write === undefined) await new Promise((r) => setTimeout(r, 100)); // let the last piece leave
  return codec.decode(newIds);
}

/** The k most likely next tokens after `prompt`, with probabilities (the "cat sat on the → mat" picture). */
export function nextTokenTable(model: Gpt, codec: TextCodec, prompt: string, k = 10, temperature = 1): { token: string; id: number; prob: number }[] {
  const p = softmaxT(nextTokenLogits(model, codec.encode(prompt)), temperature);
  const order = Array.from(p.keys())
    .sort((a, b) => p[b] - p[a])
    .slice(0, k);
  const visible = (t: string) => t.replace(/ /g, "␣").replace(/\n/g, "⏎");
  return order.map((id) => ({ id, token: visible(codec.tokenText ? codec.tokenText(id) : codec.decode([id])), prob: p[id] }));
}
