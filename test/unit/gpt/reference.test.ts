import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { crossEntropy } from "../../../kernel-lib/src/gpt/ops";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { referenceLogits } from "../../../kernel-lib/src/gpt/reference";
import type { GptConfigInput } from "../../../kernel-lib/src/gpt/config";
import { initTf } from "../../../kernel-lib/src/tf/backend";
import { useWasm } from "./backend";

// initTf registers the kernels wasm lacks (the gradient of gather) and the fast paths the notebook runs on.
beforeAll(async () => {
  await initTf({ backend: "wasm", quiet: true });
  await useWasm(); // initTf runs once per process; an earlier file in this worker may have left another backend
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe("the fast path equals the plain-tfjs reference", () => {
  const base: GptConfigInput = { vocabSize: 23, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
  it.each([
    ["a GPT (tied, learned positions)", base],
    ["untied, ReLU", { ...base, tieWeights: false, activation: "relu" as const }],
    ["no residuals", { ...base, residual: false }],
    ["no LayerNorm", { ...base, layerNorm: false }],
    ["attention only, no positions", { ...base, mlpRatio: 0, positions: "none" as const }],
    ["bigram", { ...base, nLayer: 0, positions: "none" as const, layerNorm: false, tieWeights: false }],
    ["RMSNorm", { ...base, norm: "rmsnorm" as const }],
    ["SwiGLU", { ...base, activation: "swiglu" as const }],
    ["RMSNorm + SwiGLU, untied (Llama's block)", { ...base, norm: "rmsnorm" as const, activation: "swiglu" as const, tieWeights: false }],
    ["post-LN", { ...base, postNorm: true }],
    ["post-LN, RMSNorm + SwiGLU, no biases", { ...base, postNorm: true, norm: "rmsnorm" as const, activation: "swiglu" as const, bias: false }],
  ])("%s: logits and gradients", (_name, cfg) => {
    const m = createGpt(cfg, { seed: 5 });
    const idx = Int32Array.from({ length: 16 }, (_, i) => (i * 5 + 3) % 23);
    const targets = Int32Array.from({ length: 16 }, (_, i) => (i * 7 + 1) % 23);
    expect(maxDiff(m.logits(idx, 2, 8), referenceLogits(m, idx, 2, 8))).toBeLessThan(1e-5);
    const vars = m.variables();
    const fast = tf.variableGrads(() => m.loss(idx, targets, 2, 8), vars);
    const ref = tf.variableGrads(() => crossEntropy(referenceLogits(m, idx, 2, 8), targets), vars);
    for (const v of vars) expect(maxDiff(fast.grads[v.name], ref.grads[v.name]), v.name).toBeLessThan(1e-5);
    tf.dispose([fast, ref]);
    m.dispose();
  });
});
