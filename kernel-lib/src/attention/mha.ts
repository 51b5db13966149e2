import * as tf from "@tensorflow/tfjs";
import { makeRng, type Rng } from "../util";
import { normalVariable, zeroVariable } from "./init";
import { KVCache, type KvCacheOptions } from "./kv-cache";
import { applyRope, type RopeOptions } from "./rope";
import { scaledDotProductAttention } from "./sdpa";
import { fmtShape } from "./shapes";
import { attentionParamCount, resolveAttentionShape, type AttentionShape } from "./sizes";

/** Configuration of a `MultiHeadAttention` layer. */
export interface MhaConfig extends AttentionShape {
  /** Rotary position embedding on q and k: true for the defaults, or its options. Default off. */
  rope?: boolean | Omit<RopeOptions, "offset">;
  /** Dropout rate on the attention weights when called with `training: true`. Default 0. */
  dropout?: number;
  /** Seed of the weight initialisation (and of the dropout stream). Default 0. */
  seed?: number;
  /** Standard deviation of Wq, Wk, Wv. Default 0.02 (GPT-2). */
  initStd?: number;
  /** Standard deviation of Wo (GPT-2 scales it by 1/√(2·nLayer)). Default `initStd`. */
  outInitStd?: number;
}

/** Per-call options of `MultiHeadAttention.apply`. */
export interface MhaCallOptions {
  /** Causal self-attention (default true). */
  causal?: boolean;
  /** Extra boolean mask, true = may attend, broadcastable to `[batch, nHead, tNew, tTotal]`. */
  mask?: tf.Tensor;
  /** Append this call's keys/values to the cache and attend over all cached positions. */
  cache?: KVCache;
  /** Training mode: enables attention dropout. Default false. */
  training?: boolean;
  /** Seed of this call's dropout noise; default drawn from the layer's seeded stream. */
  dropoutSeed?: number;
}

/** The weights of a layer, by role: `[in, out]` matrices, biases when enabled. */
export interface MhaWeights {
  wq: tf.Variable;
  wk: tf.Variable;
  wv: tf.Variable;
  wo: tf.Variable;
  bq?: tf.Variable;
  bk?: tf.Variable;
  bv?: tf.Variable;
  bo?: tf.Variable;
}

/**
 * Multi-head attention with `nHead` query heads and `nKvHead` key/value heads:
 * nKvHead = nHead is multi-head attention (MHA), 1 is multi-query (MQA), a divisor in between is
 * grouped-query attention (GQA); query head h reads kv head floor(h / (nHead / nKvHead)).
 *
 * The weights are `tf.Variable`s (see `variables`/`weights`), so `apply` can be used inside
 * `tf.variableGrads` or `optimizer.minimize` as the attention block of a trainable model.
 * With a `KVCache`, `apply` on the newest token(s) attends to every earlier position without
 * recomputing them (RoPE offsets follow the cache length).
 */
export class MultiHeadAttention {
  readonly dModel: number;
  readonly nHead: number;
  readonly nKvHead: number;
  readonly headDim: number;
  readonly bias: boolean;
  readonly rope: Omit<RopeOptions, "offset"> | null;
  readonly dropout: number;
  readonly weights: MhaWeights;
  private readonly dropoutRng: Rng;

  constructor(config: MhaConfig) {
    const s = resolveAttentionShape(config);
    this.dModel = s.dModel;
    this.nHead = s.nHead;
    this.nKvHead = s.nKvHead;
    this.headDim = s.headDim;
    this.bias = s.bias;
    this.rope = config.rope === true ? {} : config.rope ? { ...config.rope } : null;
    if (this.rope && this.headDim % 2 !== 0) throw new RangeError(`RoPE needs an even headDim, got headDim ${this.headDim}`);
    this.dropout = config.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${this.dropout}`);
    const seed = config.seed ?? 0;
    const std = config.initStd ?? 0.02;
    const outStd = config.outInitStd ?? std;
    if (!(std >= 0) || !(outStd >= 0)) throw new RangeError(`initStd and outInitStd must be >= 0, got ${std} and ${outStd}`);
    const rng = makeRng(seed);
    this.dropoutRng = makeRng(seed + 0x5eed);
    const qDim = this.nHead * this.headDim;
    const kvDim = this.nKvHead * this.headDim;
    this.weights = {
      wq: normalVariable(rng, [this.dModel, qDim], std),
      wk: normalVariable(rng, [this.dModel, kvDim], std),
      wv: normalVariable(rng, [this.dModel, kvDim], std),
      wo: normalVariable(rng, [qDim, this.dModel], outStd),
    };
    if (this.bias) {
      this.weights.bq = zeroVariable([qDim]);
      this.weights.bk = zeroVariable([kvDim]);
      this.weights.bv = zeroVariable([kvDim]);
      this.weights.bo = zeroVariable([this.dModel]);
    }
  }

  /** Every trainable variable, in a fixed order (wq, wk, wv, wo, then biases). */
  get variables(): tf.Variable[] {
    const w = this.weights;
    return [w.wq, w.wk, w.wv, w.wo, w.bq, w.bk, w.bv, w.bo].filter((x): x is tf.Variable => x !== undefined);
  }

  /** Number of parameters (equals `attentionParamCount` of the config). */
  paramCount(): number {
    return attentionParamCount(this);
  }

  /** A new, empty KV cache for incremental decoding with this layer. */
  createCache(options?: KvCacheOptions): KVCache {
    return new KVCache(options);
  }

  /** `[b, t, dModel]` → `[b, heads, t, headDim]` through one projection. */
  private project(x2d: tf.Tensor2D, b: number, t: number, w: tf.Variable, bias: tf.Variable | undefined, heads: number): tf.Tensor4D {
    let y = tf.matMul(x2d, w);
    if (bias) y = y.add(bias);
    return y.reshape([b, t, heads, this.headDim]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
  }

  /**
   * Queries, keys and values of `x` `[batch, t, dModel]`, with RoPE applied (positions start at
   * `offset`): q `[batch, nHead, t, headDim]`, k and v `[batch, nKvHead, t, headDim]`.
   */
  qkv(x: tf.Tensor, offset = 0): { q: tf.Tensor4D; k: tf.Tensor4D; v: tf.Tensor4D } {
    if (x.rank !== 3 || x.shape[2] !== this.dModel) {
      throw new RangeError(`x must be [batch, seq, dModel=${this.dModel}], got shape ${fmtShape(x.shape)}`);
    }
    const [b, t] = x.shape as [number, number, number];
    return tf.tidy(() => {
      const x2d = x.reshape([b * t, this.dModel]) as tf.Tensor2D;
      const w = this.weights;
      let q = this.project(x2d, b, t, w.wq, w.bq, this.nHead);
      let k = this.project(x2d, b, t, w.wk, w.bk, this.nKvHead);
      const v = this.project(x2d, b, t, w.wv, w.bv, this.nKvHead);
      if (this.rope) {
        q = applyRope(q, { ...this.rope, offset });
        k = applyRope(k, { ...this.rope, offset });
      }
      return { q, k, v };
    });
  }

  /** Attention output and weights; see `apply`. */
  forward(x: tf.Tensor, options: MhaCallOptions & { returnWeights?: boolean } = {}): { output: tf.Tensor3D; weights?: tf.Tensor4D } {
    const cache = options.cache;
    const training = options.training ?? false;
    const rate = training ? this.dropout : 0;
    const dropoutSeed = rate > 0 ? (options.dropoutSeed ?? this.dropoutRng.int(2 ** 31)) : undefined;
    return tf.tidy(() => {
      const [b, t] = x.shape as [number, number, number];
      const { q, k, v } = this.qkv(x, cache ? cache.length : 0);
      const kv = cache ? cache.append(k, v) : { keys: k, values: v };
      const att = scaledDotProductAttention(q, kv.keys, kv.values, {
        causal: options.causal ?? true,
        mask: options.mask,
        returnWeights: options.returnWeights,
        dropout: rate,
        dropoutSeed,
      });
      const merged = att.output.transpose([0, 2, 1, 3]).reshape([b * t, this.nHead * this.headDim]);
      let y = tf.matMul(merged, this.weights.wo);
      if (this.weights.bo) y = y.add(this.weights.bo);
      const output = y.reshape([b, t, this.dModel]) as tf.Tensor3D;
      return att.weights ? { output, weights: att.weights } : { output };
    }) as { output: tf.Tensor3D; weights?: tf.Tensor4D };
  }

  /** Self-attention of `x` `[batch, t, dModel]` → `[batch, t, dModel]` (causal unless told otherwise). */
  apply(x: tf.Tensor, options: MhaCallOptions = {}): tf.Tensor3D {
    return this.forward(x, options).output;
  }

  /** The attention weights `[batch, nHead, t, tTotal]` of a call (for heatmaps). */
  attentionWeights(x: tf.Tensor, options: MhaCallOptions = {}): tf.Tensor4D {
    const r = this.forward(x, { ...options, returnWeights: true });
    r.output.dispose();
    return r.weights as tf.Tensor4D;
  }

  /** Free the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
