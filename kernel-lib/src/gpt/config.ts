/**
 * The shape of a GPT: how many layers, heads and dimensions, and which ingredients it uses.
 * Every field is validated up front with a message that names it, because a wrong shape found
 * ten minutes into training is ten lost minutes.
 */

/** How the model learns where a token sits: a learned vector per position, RoPE, or nothing. */
export type PositionKind = "learned" | "rope" | "none";
/**
 * The MLP's non-linearity: GELU (GPT-2), ReLU (the original Transformer), or SwiGLU (Llama): a
 * gated MLP (SiLU(x·W1) ⊙ x·W3)·W2 with three matrices of hidden width 2/3 · mlpRatio · nEmbd, so
 * that it has about as many weights as the two-matrix MLP of width mlpRatio · nEmbd.
 */
export type Activation = "gelu" | "relu" | "swiglu";
/** The normalisation: LayerNorm (GPT-2: mean and variance, gain and bias) or RMSNorm (Llama: root mean square, gain only). */
export type NormKind = "layernorm" | "rmsnorm";

/** The architecture of a decoder-only transformer. */
export interface GptConfig {
  /** Number of distinct token ids. */
  vocabSize: number;
  /** Longest context the model reads (and the size of the learned position table). */
  blockSize: number;
  /** Transformer blocks; 0 gives the bigram model (embedding → LayerNorm → LM head). */
  nLayer: number;
  /** Query heads per attention layer. */
  nHead: number;
  /** Key/value heads: nHead = multi-head, 1 = multi-query, in between = grouped-query. */
  nKvHead: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** Dropout rate on embeddings, attention weights and residual branches while training. */
  dropout: number;
  /** Position information. */
  positions: PositionKind;
  /** Share the token embedding with the LM head (GPT-2 does; saves vocabSize × nEmbd parameters). */
  tieWeights: boolean;
  /** MLP non-linearity. */
  activation: Activation;
  /** MLP hidden width as a multiple of nEmbd; 0 removes the MLP (an attention-only block). */
  mlpRatio: number;
  /** Biases in linear layers and LayerNorms (nanoGPT's default). */
  bias: boolean;
  /**
   * Residual connections: each block adds its attention and MLP outputs to the stream
   * (x + f(x)). false replaces the stream with them (x = f(x)) — only to show what they buy.
   */
  residual: boolean;
  /** LayerNorm before attention, before the MLP and before the LM head; false leaves all three out. */
  layerNorm: boolean;
  /** Which normalisation those places use (when `layerNorm` is true). */
  norm: NormKind;
  /**
   * Where a block normalises: false (pre-LN, GPT-2) x = x + f(LN(x)); true (post-LN, the original
   * Transformer) x = LN(x + f(x)). The final norm before the LM head stays in both.
   */
  postNorm: boolean;
}

/** Defaults for the fields a caller may leave out. */
export const GPT_CONFIG_DEFAULTS: Omit<GptConfig, "vocabSize" | "blockSize" | "nLayer" | "nHead" | "nEmbd"> = {
  nKvHead: 0, // 0 = same as nHead
  dropout: 0,
  positions: "learned",
  tieWeights: true,
  activation: "gelu",
  mlpRatio: 4,
  bias: true,
  residual: true,
  layerNorm: true,
  norm: "layernorm",
  postNorm: false,
};

/** A config where only the sizes are required. `nKvHead` 0 or absent means "same as nHead". */
export type GptConfigInput = Pick<GptConfig, "vocabSize" | "blockSize" | "nLayer" | "nHead" | "nEmbd"> & Partial<GptConfig>;

function int(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${field} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Fill defaults and check every field; throws a RangeError naming the first bad one. */
export function makeConfig(input: GptConfigInput): GptConfig {
  if (input === null || typeof input !== "object") throw new TypeError(`config must be an object, got ${String(input)}`);
  const c: GptConfig = { ...GPT_CONFIG_DEFAULTS, ...input } as GptConfig;
  int(c.vocabSize, "vocabSize", 2);
  int(c.blockSize, "blockSize", 1);
  int(c.nLayer, "nLayer", 0);
  int(c.nHead, "nHead", 1);
  int(c.nEmbd, "nEmbd", 1);
  if (!c.nKvHead) c.nKvHead = c.nHead;
  int(c.nKvHead, "nKvHead", 1);
  if (c.nEmbd % c.nHead !== 0) {
    throw new RangeError(`nEmbd must be divisible by nHead: nEmbd=${c.nEmbd}, nHead=${c.nHead} (head size ${c.nEmbd / c.nHead} is not an integer)`);
  }
  if (c.nHead % c.nKvHead !== 0) {
    throw new RangeError(`nHead must be divisible by nKvHead: nHead=${c.nHead}, nKvHead=${c.nKvHead}`);
  }
  if (c.positions === "rope" && (c.nEmbd / c.nHead) % 2 !== 0) {
    throw new RangeError(`positions "rope" needs an even head size (nEmbd / nHead), got ${c.nEmbd / c.nHead}`);
  }
  if (!(typeof c.dropout === "number" && c.dropout >= 0 && c.dropout < 1)) {
    throw new RangeError(`dropout must be a number in [0, 1), got ${JSON.stringify(c.dropout)}`);
  }
  if (!["learned", "rope", "none"].includes(c.positions)) {
    throw new RangeError(`positions must be "learned", "rope" or "none", got ${JSON.stringify(c.positions)}`);
  }
  if (!["gelu", "relu", "swiglu"].includes(c.activation)) {
    throw new RangeError(`activation must be "gelu", "relu" or "swiglu", got ${JSON.stringify(c.activation)}`);
  }
  if (!["layernorm", "rmsnorm"].includes(c.norm)) {
    throw new RangeError(`norm must be "layernorm" or "rmsnorm", got ${JSON.stringify(c.norm)}`);
  }
  if (typeof c.postNorm !== "boolean") throw new RangeError(`postNorm must be true or false, got ${JSON.stringify(c.postNorm)}`);
  if (typeof c.tieWeights !== "boolean") throw new RangeError(`tieWeights must be true or false, got ${JSON.stringify(c.tieWeights)}`);
  if (typeof c.bias !== "boolean") throw new RangeError(`bias must be true or false, got ${JSON.stringify(c.bias)}`);
  if (typeof c.residual !== "boolean") throw new RangeError(`residual must be true or false, got ${JSON.stringify(c.residual)}`);
  if (typeof c.layerNorm !== "boolean") throw new RangeError(`layerNorm must be true or false, got ${JSON.stringify(c.layerNorm)}`);
  int(c.mlpRatio, "mlpRatio", 0);
  return c;
}

/**
 * The MLP's hidden width: mlpRatio · nEmbd, or for SwiGLU round(2/3 · mlpRatio · nEmbd) — Llama's
 * choice, which makes its three matrices (3 · C · H ≈ 2 · r · C²) cost what the two-matrix MLP does.
 */
export function mlpHidden(config: Pick<GptConfig, "activation" | "mlpRatio" | "nEmbd">): number {
  const width = config.mlpRatio * config.nEmbd;
  return config.activation === "swiglu" ? Math.round((2 * width) / 3) : width;
}

/**
 * The parameter count in closed form, term by term (what `Gpt.paramCount()` must equal):
 *
 *   V·C (token embedding) + T·C (learned positions)
 *   + L · [ LN 2C + QKV C·(C + 2·Ckv) + O C·C + LN 2C + MLP 2·r·C² (+ biases) ]
 *   + final LN 2C + LM head V·C (unless tied)
 *
 * with C = nEmbd, Ckv = nKvHead · C / nHead, r = mlpRatio. LayerNorm biases and linear biases
 * drop out when `bias` is false, every LayerNorm when `layerNorm` is false. RMSNorm has a gain and
 * no bias; SwiGLU's MLP is 3·C·H (+ biases 2H + C) with H = `mlpHidden`. Each block holds ≈ 12·C² weights with MHA and r = 4, which is
 * why "parameters ≈ 12 · layers · width²" is the rule of thumb.
 */
export function gptParamCount(config: GptConfig): number {
  const { vocabSize: V, blockSize: T, nLayer: L, nHead, nKvHead, nEmbd: C, mlpRatio: r, bias } = config;
  const ckv = (nKvHead * C) / nHead;
  const b = bias ? 1 : 0;
  const ln = config.layerNorm ? C + (config.norm === "rmsnorm" ? 0 : b * C) : 0;
  const attn = C * (C + 2 * ckv) + b * (C + 2 * ckv) + C * C + b * C;
  const H = mlpHidden(config);
  const mlp = r === 0 ? 0 : config.activation === "swiglu" ? 3 * C * H + b * (2 * H + C) : 2 * r * C * C + b * (r * C + C);
  const block = ln + attn + (r > 0 ? ln + mlp : 0);
  const embed = V * C + (config.positions === "learned" ? T * C : 0);
  const head = config.tieWeights ? 0 : V * C;
  return embed + L * block + ln + head;
}
