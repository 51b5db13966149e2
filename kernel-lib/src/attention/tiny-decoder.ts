import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../util";
import { normalVariable } from "./init";
import { KVCache, type KvCacheStrategy } from "./kv-cache";
import { MultiHeadAttention } from "./mha";
import { assertInt } from "./shapes";
import { attentionParamCount } from "./sizes";

/** Configuration of `TinyDecoder`. */
export interface TinyDecoderConfig {
  vocabSize: number;
  dModel: number;
  nLayer: number;
  nHead: number;
  /** Default nHead (MHA). */
  nKvHead?: number;
  /** Default 0. */
  seed?: number;
  /** Standard deviation of the token embeddings (default 1, so that untrained logits differ clearly). */
  embedStd?: number;
}

/** The weights of a `TinyDecoder`, by role (for rebuilding its forward pass elsewhere). */
export interface TinyDecoderWeights {
  /** Token embedding `[vocab, dModel]`. */
  embed: tf.Variable;
  /** One attention layer per block (RoPE on, "interleaved" pairing, base 10000). */
  layers: MultiHeadAttention[];
  /** MLP input `[dModel, 4·dModel]` per block (ReLU after it). */
  mlpIn: tf.Variable[];
  /** MLP output `[4·dModel, dModel]` per block. */
  mlpOut: tf.Variable[];
  /** Output projection `[dModel, vocab]` (after the final RMSNorm). */
  head: tf.Variable;
}

/** What `TinyDecoder.generate` returns. */
export interface Generation {
  /** Prompt followed by the generated tokens. */
  tokens: number[];
  /** Logits of the last position at every generation step (`[step][vocab]`), when requested. */
  stepLogits?: Float32Array[];
  /** Wall-clock seconds of the generation loop. */
  seconds: number;
}

/**
 * A minimal decoder-only language model used to measure the KV cache: token embedding, nLayer
 * pre-norm blocks of (RMSNorm → causal attention with RoPE → residual, RMSNorm → ReLU MLP →
 * residual), final RMSNorm and an output projection. Untrained (random weights): its
 * predictions are meaningless, its cost per token is that of a real model of the same shape.
 */
export class TinyDecoder {
  readonly config: Required<TinyDecoderConfig>;
  readonly layers: MultiHeadAttention[];
  private readonly embed: tf.Variable;
  private readonly mlpIn: tf.Variable[];
  private readonly mlpOut: tf.Variable[];
  private readonly head: tf.Variable;

  constructor(config: TinyDecoderConfig) {
    assertInt(config.vocabSize, "vocabSize");
    assertInt(config.nLayer, "nLayer");
    this.config = { nKvHead: config.nHead, seed: 0, embedStd: 1, ...config };
    const { vocabSize, dModel, nLayer, nHead, nKvHead, seed } = this.config;
    const rng = makeRng(seed);
    this.embed = normalVariable(rng, [vocabSize, dModel], this.config.embedStd);
    this.layers = [];
    this.mlpIn = [];
    this.mlpOut = [];
    for (let l = 0; l < nLayer; l++) {
      this.layers.push(new MultiHeadAttention({ dModel, nHead, nKvHead, rope: true, seed: seed * 1000 + l + 1, initStd: 1 / Math.sqrt(dModel) }));
      this.mlpIn.push(normalVariable(rng, [dModel, 4 * dModel], 1 / Math.sqrt(dModel)));
      this.mlpOut.push(normalVariable(rng, [4 * dModel, dModel], 1 / Math.sqrt(4 * dModel)));
    }
    this.head = normalVariable(rng, [dModel, vocabSize], 1 / Math.sqrt(dModel));
  }

  /** Every weight, by role (shared with the model, not copies). */
  get weights(): TinyDecoderWeights {
    return { embed: this.embed, layers: this.layers, mlpIn: this.mlpIn, mlpOut: this.mlpOut, head: this.head };
  }

  /** Parameter count (embedding, attention, MLP, output projection). */
  paramCount(): number {
    const { vocabSize, dModel, nLayer, nHead, nKvHead } = this.config;
    return 2 * vocabSize * dModel + nLayer * (attentionParamCount({ dModel, nHead, nKvHead }) + 8 * dModel * dModel);
  }

  /** One empty cache per layer. */
  createCaches(strategy: KvCacheStrategy = "concat"): KVCache[] {
    return this.layers.map(() => new KVCache({ strategy }));
  }

  /**
   * Logits `[batch, t, vocab]` for token ids `[batch][t]`. With `caches` (one per layer), the
   * tokens are the next positions after those already cached and are appended to the caches.
   */
  logits(tokens: number[][], caches?: KVCache[]): tf.Tensor3D {
    if (caches && caches.length !== this.layers.length)
      throw new RangeError(`caches must have one cache per layer (${this.layers.length}), got ${caches.length}`);
    const { vocabSize, dModel } = this.config;
    const b = tokens.length;
    const t = tokens[0]?.length ?? 0;
    if (b === 0 || t === 0) throw new RangeError(`tokens must be a non-empty [batch][t] array, got [${b}][${t}]`);
    const flat = tokens.flat();
    if (flat.length !== b * t || flat.some((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize)) {
      throw new RangeError(`tokens must be ${b} rows of ${t} integer ids in [0, ${vocabSize})`);
    }
    return tf.tidy(() => {
      let x = tf.gather(this.embed, tf.tensor1d(flat, "int32")).reshape([b, t, dModel]) as tf.Tensor3D;
      this.layers.forEach((attn, l) => {
        x = x.add(attn.apply(rmsNorm(x), { cache: caches?.[l] }));
        const h = tf.relu(tf.matMul(rmsNorm(x).reshape([b * t, dModel]), this.mlpIn[l]));
        x = x.add(tf.matMul(h, this.mlpOut[l]).reshape([b, t, dModel]));
      });
      return tf.matMul(rmsNorm(x).reshape([b * t, dModel]), this.head).reshape([b, t, vocabSize]) as tf.Tensor3D;
    });
  }

  /**
   * Greedy generation of `n` tokens after `prompt`. With `useCache` the prompt is processed
   * once and each step feeds only the newest token; without, each step reruns the model on the
   * whole sequence so far — the quadratic cost the cache removes.
   */
  async generate(
    prompt: number[],
    n: number,
    options: { useCache: boolean; strategy?: KvCacheStrategy; keepLogits?: boolean; yieldEveryMs?: number },
  ): Promise<Generation> {
    assertInt(n, "n", 0);
    if (prompt.length === 0) throw new RangeError("prompt must hold at least one token");
    const tokens = [...prompt];
    const stepLogits: Float32Array[] = [];
    const caches = options.useCache ? this.createCaches(options.strategy) : undefined;
    const start = performance.now();
    let lastYield = start;
    try {
      for (let step = 0; step < n; step++) {
        const input = caches && step > 0 ? [tokens.slice(-1)] : [tokens];
        const last = tf.tidy(() => {
          const logits = this.logits(input, caches);
          const t = logits.shape[1];
          return logits.slice([0, t - 1, 0], [1, 1, this.config.vocabSize]).reshape([this.config.vocabSize]);
        });
        const values = (await last.data()) as Float32Array;
        last.dispose();
        if (options.keepLogits) stepLogits.push(values);
        tokens.push(argmax(values));
        const now = performance.now();
        if (now - lastYield > (options.yieldEveryMs ?? 100)) {
          await new Promise((r) => setImmediate(r));
          lastYield = now;
        }
      }
    } finally {
      caches?.forEach((c) => c.dispose());
    }
    const seconds = (performance.now() - start) / 1000;
    return options.keepLogits ? { tokens, stepLogits, seconds } : { tokens, seconds };
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return [this.embed, ...this.layers.flatMap((l) => l.variables), ...this.mlpIn, ...this.mlpOut, this.head];
  }

  /** Free the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Root-mean-square normalisation over the last axis (no learned gain). */
function rmsNorm<T extends tf.Tensor>(x: T, eps = 1e-6): T {
  return tf.tidy(() => x.div(x.square().mean(-1, true).add(eps).sqrt())) as T;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
