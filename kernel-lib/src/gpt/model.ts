/**
 * A decoder-only transformer (GPT-2 shape) in TensorFlow.js:
 *
 *   tokens → token embedding (+ learned positions) → dropout
 *          → nLayer × [ x += Attention(LN(x));  x += MLP(LN(x)) ]   (pre-LayerNorm blocks)
 *          → final LayerNorm → LM head (optionally the embedding matrix itself) → logits
 *
 * Options (config.ts) swap in Llama's RMSNorm and SwiGLU MLP, or move the norm after the residual
 * add (post-LN, the original Transformer: x = LN(x + Attention(x))).
 *
 * Attention is the attention module's (`scaledDotProductAttention`, `applyRope`); this file only
 * adds the projections around it. Parameters carry nanoGPT's names
 * (`transformer.h.0.attn.c_attn.weight` …) so exported weights load into PyTorch code unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import { applyRope } from "../attention";
import { causalSelfAttention } from "./attention";
import { mergeHeads, splitHeads } from "../tf/ops";
import { makeRng } from "../util/random";
import { GptConfig, GptConfigInput, gptParamCount, makeConfig, mlpHidden } from "./config";
import { crossEntropy, embedding, gelu, layerNorm, linear, rmsNorm, swiGlu } from "./ops";

/** One named parameter: its tensor and whether AdamW applies weight decay to it. */
export interface NamedParam {
  name: string;
  variable: tf.Variable;
  /** nanoGPT's rule: matrices (≥ 2-D: linear weights and embeddings) decay; biases and LayerNorm gains do not. */
  decay: boolean;
}

/** Options of one forward pass. */
export interface ForwardOptions {
  /** Apply dropout (training). Default false. */
  training?: boolean;
  /** Seed of this step's dropout masks, for reproducible training. */
  dropoutSeed?: number;
}

/** A GPT: named variables plus the forward pass. Create with `createGpt`. */
export class Gpt {
  readonly config: GptConfig;
  readonly params: NamedParam[];
  private readonly byName = new Map<string, tf.Variable>();

  constructor(config: GptConfig, params: NamedParam[]) {
    this.config = config;
    this.params = params;
    for (const p of params) this.byName.set(p.name, p.variable);
  }

  /** The variable called `name`; throws listing the known names when it does not exist. */
  param(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (!v) throw new RangeError(`no parameter named "${name}"; known: ${[...this.byName.keys()].join(", ")}`);
    return v;
  }

  /** Whether a parameter called `name` exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Total number of scalar parameters (equals `gptParamCount(config)`). */
  paramCount(): number {
    return this.params.reduce((s, p) => s + p.variable.size, 0);
  }

  /** The variables, in a fixed order (for optimizers and gradients). */
  variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }

  /** Free every variable. */
  dispose(): void {
    for (const p of this.params) p.variable.dispose();
  }

  /**
   * Final hidden states `[batch·seq, nEmbd]` (after the final LayerNorm) for token ids `idx`
   * laid out row-major as `[batch, seq]`.
   */
  hidden(idx: Int32Array, batch: number, seq: number, options: ForwardOptions = {}): tf.Tensor2D {
    const c = this.config;
    if (idx.length !== batch * seq) throw new RangeError(`idx has ${idx.length} ids, expected batch·seq = ${batch}·${seq}`);
    if (seq > c.blockSize) throw new RangeError(`sequence length ${seq} exceeds blockSize ${c.blockSize}`);
    const training = options.training ?? false;
    const rate = training ? c.dropout : 0;
    let seedCounter = options.dropoutSeed ?? 0;
    const drop = (t: tf.Tensor): tf.Tensor => (rate > 0 ? tf.dropout(t, rate, undefined, seedCounter++) : t);
    const C = c.nEmbd;
    const n = batch * seq;
    const b = (name: string) => (c.bias ? (this.param(name) as tf.Tensor1D) : undefined);

    // The two ingredients lesson 04's ladder can switch off (both on in every real GPT).
    const norm = (t: tf.Tensor2D, name: string): tf.Tensor2D => {
      if (!c.layerNorm) return t;
      const gamma = this.param(name + ".weight") as tf.Tensor1D;
      return c.norm === "rmsnorm" ? rmsNorm(t, gamma) : layerNorm(t, gamma, b(name + ".bias"));
    };
    // Pre-LN: the branch reads norm(x) and x + branch goes on; post-LN: the branch reads x and norm(x + branch) goes on.
    const pre = (t: tf.Tensor2D, name: string): tf.Tensor2D => (c.postNorm ? t : norm(t, name));
    const addTo = (stream: tf.Tensor2D, branch: tf.Tensor2D, name: string): tf.Tensor2D => {
      const sum = c.residual ? (tf.add(stream, branch) as tf.Tensor2D) : branch;
      return c.postNorm ? norm(sum, name) : sum;
    };

    let x: tf.Tensor2D = embedding(this.param("transformer.wte.weight") as tf.Tensor2D, idx);
    if (c.positions === "learned") {
      const wpe = this.param("transformer.wpe.weight");
      const pos = seq === c.blockSize ? wpe : tf.slice(wpe, [0, 0], [seq, C]);
      x = tf.reshape(tf.add(tf.reshape(x, [batch, seq, C]), pos), [n, C]);
    }
    x = drop(x) as tf.Tensor2D;
    for (let l = 0; l < c.nLayer; l++) {
      const p = `transformer.h.${l}.`;
      const h = pre(x, p + "ln_1");
      const qkv = linear(h, this.param(p + "attn.c_attn.weight") as tf.Tensor2D, b(p + "attn.c_attn.bias"));
      // q | k | v columns → [batch, heads, seq, hd] each.
      const heads = splitHeads(qkv, batch, seq, c.nHead, c.nKvHead);
      const v = heads[2];
      const [q, k] = c.positions === "rope" ? [applyRope(heads[0]), applyRope(heads[1])] : [heads[0], heads[1]];
      const att = causalSelfAttention(q, k, v, { dropout: rate, dropoutSeed: rate > 0 ? seedCounter++ : undefined });
      const y = mergeHeads(att);
      x = addTo(x, drop(linear(y, this.param(p + "attn.c_proj.weight") as tf.Tensor2D, b(p + "attn.c_proj.bias"))) as tf.Tensor2D, p + "ln_1");
      if (c.mlpRatio > 0) {
        const h2 = pre(x, p + "ln_2");
        const up = linear(h2, this.param(p + "mlp.c_fc.weight") as tf.Tensor2D, b(p + "mlp.c_fc.bias"));
        const act = (
          c.activation === "gelu"
            ? gelu(up)
            : c.activation === "relu"
              ? tf.relu(up)
              : swiGlu(up, linear(h2, this.param(p + "mlp.c_up.weight") as tf.Tensor2D, b(p + "mlp.c_up.bias")))
        ) as tf.Tensor2D;
        x = addTo(x, drop(linear(act, this.param(p + "mlp.c_proj.weight") as tf.Tensor2D, b(p + "mlp.c_proj.bias"))) as tf.Tensor2D, p + "ln_2");
      }
    }
    return norm(x, "transformer.ln_f");
  }

  /** Logits `[rows, vocab]` from hidden states `[rows, nEmbd]`. */
  head(h: tf.Tensor2D): tf.Tensor2D {
    const w = this.config.tieWeights ? tf.transpose(this.param("transformer.wte.weight")) : this.param("lm_head.weight");
    return linear(h, w as tf.Tensor2D);
  }

  /** Logits `[batch·seq, vocab]` for every position of `idx` (`[batch, seq]` row-major). */
  logits(idx: Int32Array, batch: number, seq: number, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() => this.head(this.hidden(idx, batch, seq, options)));
  }

  /** Mean next-token cross-entropy (nats) of predicting `targets` from `idx`, both `[batch, seq]`. */
  loss(idx: Int32Array, targets: Int32Array, batch: number, seq: number, options: ForwardOptions = {}): tf.Scalar {
    return tf.tidy(() => crossEntropy(this.head(this.hidden(idx, batch, seq, options)), targets));
  }
}

/** Options of `createGpt`. */
export interface CreateOptions {
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * A freshly initialised GPT. GPT-2's initialisation: every weight matrix ~ N(0, 0.02²), the two
 * projections that write into the residual stream scaled by 1/√(2·nLayer) (so the stream's
 * variance does not grow with depth), biases 0, LayerNorm gains 1. SwiGLU's extra matrix W3
 * (`mlp.c_up`) is drawn right after W1 (`mlp.c_fc`).
 */
export function createGpt(input: GptConfigInput, options: CreateOptions = {}): Gpt {
  const c = makeConfig(input);
  const rng = makeRng(options.seed ?? 0);
  const C = c.nEmbd;
  const kvDim = (c.nKvHead * C) / c.nHead;
  const params: NamedParam[] = [];
  const add = (name: string, shape: number[], init: "normal" | "zeros" | "ones", std = 0.02): void => {
    const size = shape.reduce((a, d) => a * d, 1);
    const data = new Float32Array(size);
    if (init === "normal") for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    else if (init === "ones") data.fill(1);
    // tidy frees the initial tensor; the variable keeps its data.
    params.push({ name, variable: tf.tidy(() => tf.variable(tf.tensor(data, shape), true)), decay: shape.length >= 2 });
  };
  // A norm's gain (1) and, for LayerNorm with biases, its bias (0); nothing when the model has no norms.
  const addNorm = (name: string): void => {
    if (!c.layerNorm) return;
    add(name + ".weight", [C], "ones");
    if (c.bias && c.norm === "layernorm") add(name + ".bias", [C], "zeros");
  };
  const H = mlpHidden(c);
  const projStd = 0.02 / Math.sqrt(2 * Math.max(1, c.nLayer));
  add("transformer.wte.weight", [c.vocabSize, C], "normal");
  if (c.positions === "learned") add("transformer.wpe.weight", [c.blockSize, C], "normal");
  for (let l = 0; l < c.nLayer; l++) {
    const p = `transformer.h.${l}.`;
    addNorm(p + "ln_1");
    add(p + "attn.c_attn.weight", [C, C + 2 * kvDim], "normal");
    if (c.bias) add(p + "attn.c_attn.bias", [C + 2 * kvDim], "zeros");
    add(p + "attn.c_proj.weight", [C, C], "normal", projStd);
    if (c.bias) add(p + "attn.c_proj.bias", [C], "zeros");
    if (c.mlpRatio > 0) {
      addNorm(p + "ln_2");
      add(p + "mlp.c_fc.weight", [C, H], "normal");
      if (c.bias) add(p + "mlp.c_fc.bias", [H], "zeros");
      if (c.activation === "swiglu") {
        // SwiGLU's second input matrix W3 (c_fc is W1, the gate's; c_proj is W2).
        add(p + "mlp.c_up.weight", [C, H], "normal");
        if (c.bias) add(p + "mlp.c_up.bias", [H], "zeros");
      }
      add(p + "mlp.c_proj.weight", [H, C], "normal", projStd);
      if (c.bias) add(p + "mlp.c_proj.bias", [C], "zeros");
    }
  }
  addNorm("transformer.ln_f");
  if (!c.tieWeights) add("lm_head.weight", [C, c.vocabSize], "normal");
  const model = new Gpt(c, params);
  const expected = gptParamCount(c);
  if (model.paramCount() !== expected) throw new Error(`internal: built ${model.paramCount()} parameters, formula says ${expected}`);
  return model;
}
