import { assertInt } from "./shapes";

/** The shape-defining fields of a multi-head attention layer. */
export interface AttentionShape {
  /** Width of the residual stream (input and output size). */
  dModel: number;
  /** Query heads. */
  nHead: number;
  /** Key/value heads: nHead = MHA, 1 = MQA, a divisor of nHead = GQA. Default nHead. */
  nKvHead?: number;
  /** Size of each head; default dModel / nHead. */
  headDim?: number;
  /** Bias vectors on the four projections (GPT-2 has them, Llama does not). Default false. */
  bias?: boolean;
}

/** `AttentionShape` with every default filled in and checked. */
export interface ResolvedAttentionShape {
  dModel: number;
  nHead: number;
  nKvHead: number;
  headDim: number;
  bias: boolean;
}

/** Fill defaults and validate; errors name the field and its value. */
export function resolveAttentionShape(c: AttentionShape): ResolvedAttentionShape {
  assertInt(c.dModel, "dModel");
  assertInt(c.nHead, "nHead");
  const nKvHead = c.nKvHead ?? c.nHead;
  assertInt(nKvHead, "nKvHead");
  if (c.nHead % nKvHead !== 0) {
    throw new RangeError(`nHead (${c.nHead}) must be divisible by nKvHead (${nKvHead}): each kv head serves nHead / nKvHead query heads`);
  }
  let headDim = c.headDim;
  if (headDim === undefined) {
    if (c.dModel % c.nHead !== 0) throw new RangeError(`dModel (${c.dModel}) must be divisible by nHead (${c.nHead}) unless headDim is given`);
    headDim = c.dModel / c.nHead;
  }
  assertInt(headDim, "headDim");
  return { dModel: c.dModel, nHead: c.nHead, nKvHead, headDim, bias: c.bias ?? false };
}

/**
 * Parameters of one attention layer: Wq (dModel × nHead·headDim), Wk and Wv
 * (dModel × nKvHead·headDim each), Wo (nHead·headDim × dModel), plus biases when enabled.
 * Fewer kv heads shrink only Wk and Wv.
 */
export function attentionParamCount(c: AttentionShape): number {
  const { dModel, nHead, nKvHead, headDim, bias } = resolveAttentionShape(c);
  const qo = 2 * dModel * nHead * headDim;
  const kv = 2 * dModel * nKvHead * headDim;
  const b = bias ? nHead * headDim + 2 * nKvHead * headDim + dModel : 0;
  return qo + kv + b;
}

/** Fields `kvCacheBytesPerToken` needs. */
export interface KvCacheSize {
  nKvHead: number;
  headDim: number;
  /** Layers (each has its own cache). Default 1. */
  nLayer?: number;
  /** 4 for float32 (this library), 2 for float16/bfloat16 (typical inference). Default 4. */
  bytesPerElement?: number;
}

/**
 * Bytes the KV cache grows by per token: a key and a value vector per kv head per layer,
 * 2 · nLayer · nKvHead · headDim · bytesPerElement. The query heads do not appear: that is
 * the whole point of MQA/GQA.
 */
export function kvCacheBytesPerToken(c: KvCacheSize): number {
  assertInt(c.nKvHead, "nKvHead");
  assertInt(c.headDim, "headDim");
  const nLayer = c.nLayer ?? 1;
  assertInt(nLayer, "nLayer");
  const bytes = c.bytesPerElement ?? 4;
  if (!(bytes > 0)) throw new RangeError(`bytesPerElement must be > 0, got ${bytes}`);
  return 2 * nLayer * c.nKvHead * c.headDim * bytes;
}

/** KV-cache bytes for `contextLength` tokens of `batch` sequences. */
export function kvCacheBytes(c: KvCacheSize, contextLength: number, batch = 1): number {
  assertInt(contextLength, "contextLength", 0);
  assertInt(batch, "batch");
  return kvCacheBytesPerToken(c) * contextLength * batch;
}
