/**
 * The GPT's forward pass written with plain tfjs ops and tfjs's own gradients — no custom
 * gradients, no kernels of kernel-lib's own. It reads like lesson 04's notebook cells and is
 * what model.ts (ops.ts, the ops of ../tf/ops and their kernels) is tested against: same logits,
 * same gradients.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "./model";

/** Logits `[batch·seq, vocab]` of `model` for `idx` (`[batch, seq]` row-major), the slow readable way. */
export function referenceLogits(model: Gpt, idx: Int32Array, batch: number, seq: number): tf.Tensor2D {
  const c = model.config;
  if (c.positions === "rope" || c.nKvHead !== c.nHead) throw new RangeError("referenceLogits covers learned/no positions and multi-head attention only");
  const w = (name: string) => model.param(name);
  const b = (name: string) => (c.bias ? w(name) : tf.scalar(0));
  const linear = (x: tf.Tensor, name: string) => tf.add(tf.matMul(x as tf.Tensor2D, w(name + ".weight") as tf.Tensor2D), b(name + ".bias"));
  const norm = (x: tf.Tensor, name: string) => {
    if (!c.layerNorm) return x;
    if (c.norm === "rmsnorm") return tf.mul(tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-5))), w(name + ".weight"));
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), w(name + ".weight")), b(name + ".bias"));
  };
  // Pre-LN: x + f(norm(x)); post-LN: norm(x + f(x)).
  const sublayer = (x: tf.Tensor, name: string, f: (h: tf.Tensor) => tf.Tensor) => {
    const out = f(c.postNorm ? x : norm(x, name));
    const sum = c.residual ? tf.add(x, out) : out;
    return c.postNorm ? norm(sum, name) : sum;
  };
  const activation = (h: tf.Tensor, p: string) => {
    const up = linear(h, p + "mlp.c_fc");
    if (c.activation === "gelu") return tf.mul(tf.mul(up, 0.5), tf.add(1, tf.erf(tf.div(up, Math.SQRT2))));
    if (c.activation === "relu") return tf.relu(up);
    return tf.mul(tf.mul(up, tf.sigmoid(up)), linear(h, p + "mlp.c_up")); // SwiGLU: SiLU(x·W1) ⊙ x·W3
  };
  const C = c.nEmbd;
  const d = C / c.nHead;
  const toHeads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, seq, c.nHead, d]), [0, 2, 1, 3]);
  const future = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0)), -1e9);
  let x: tf.Tensor = tf.gather(w("transformer.wte.weight"), tf.tensor1d(idx, "int32"));
  if (c.positions === "learned")
    x = tf.reshape(tf.add(tf.reshape(x, [batch, seq, C]), tf.slice(w("transformer.wpe.weight"), [0, 0], [seq, C])), [batch * seq, C]);
  for (let l = 0; l < c.nLayer; l++) {
    const p = `transformer.h.${l}.`;
    x = sublayer(x, p + "ln_1", (h) => {
      const [q, k, v] = tf.split(linear(h, p + "attn.c_attn"), 3, 1).map(toHeads);
      const att = tf.softmax(tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)), future));
      const y = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [batch * seq, C]);
      return linear(y, p + "attn.c_proj");
    });
    if (c.mlpRatio > 0) x = sublayer(x, p + "ln_2", (h) => linear(activation(h, p), p + "mlp.c_proj"));
  }
  x = norm(x, "transformer.ln_f");
  const head = c.tieWeights ? tf.transpose(w("transformer.wte.weight")) : w("lm_head.weight");
  return tf.matMul(x as tf.Tensor2D, head as tf.Tensor2D);
}
