import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { gptParamCount, makeConfig, mlpHidden } from "../../../kernel-lib/src/gpt/config";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { useWasm } from "./backend";

beforeAll(useWasm);

describe("config validation", () => {
  const base = { vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };
  it("names the bad field and its value", () => {
    expect(() => makeConfig({ ...base, nEmbd: 10, nHead: 4 })).toThrow(/nEmbd must be divisible by nHead: nEmbd=10, nHead=4/);
    expect(() => makeConfig({ ...base, nHead: 4, nKvHead: 3 })).toThrow(/nHead must be divisible by nKvHead: nHead=4, nKvHead=3/);
    expect(() => makeConfig({ ...base, blockSize: 0 })).toThrow(/blockSize must be an integer >= 1, got 0/);
    expect(() => makeConfig({ ...base, dropout: 1 })).toThrow(/dropout must be a number in \[0, 1\), got 1/);
    expect(() => makeConfig({ ...base, positions: "sinusoid" as never })).toThrow(/positions must be/);
    expect(() => makeConfig({ ...base, nEmbd: 6, nHead: 2, positions: "rope" })).toThrow(/even head size/);
  });
  it("nKvHead defaults to nHead", () => {
    expect(makeConfig(base).nKvHead).toBe(2);
  });
});

describe("parameter count", () => {
  it("nanoGPT's baby config: 4 layers, 128 wide, vocab 65 → 0.80 M", () => {
    const c = makeConfig({ vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 });
    // 12·L·C² + biases/LN + V·C + T·C: nanoGPT prints 0.80M (it leaves out wpe: 801 664 + 8 192).
    expect(gptParamCount(c)).toBe(4 * (12 * 128 * 128 + 13 * 128) + 2 * 128 + 65 * 128 + 64 * 128);
    expect(gptParamCount(c) - 64 * 128).toBe(801_664);
  });
  it("SwiGLU's hidden width 2/3 · 4C keeps the MLP's weights within 1 % of GELU's; RMSNorm drops LayerNorm's biases", () => {
    const base = { vocabSize: 99, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 64 };
    expect(mlpHidden(makeConfig({ ...base, activation: "swiglu" }))).toBe(171);
    expect(mlpHidden(makeConfig(base))).toBe(256);
    const gelu = gptParamCount(makeConfig(base));
    const swiglu = gptParamCount(makeConfig({ ...base, activation: "swiglu" }));
    // per block 3·64·171 + 2·171 + 64 against 2·4·64² + 4·64 + 64
    expect(swiglu - gelu).toBe(2 * (3 * 64 * 171 + 2 * 171 + 64 - (8 * 64 * 64 + 5 * 64)));
    expect(Math.abs(swiglu - gelu) / gelu).toBeLessThan(0.01);
    // 2 norms per block + the final one, 64 biases each
    expect(gelu - gptParamCount(makeConfig({ ...base, norm: "rmsnorm" }))).toBe((2 * 2 + 1) * 64);
  });
  it("rejects an unknown norm or activation, naming the field", () => {
    const base = { vocabSize: 9, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 };
    expect(() => makeConfig({ ...base, norm: "batchnorm" as never })).toThrow(/norm must be "layernorm" or "rmsnorm"/);
    expect(() => makeConfig({ ...base, activation: "tanh" as never })).toThrow(/activation must be "gelu", "relu" or "swiglu"/);
    expect(() => makeConfig({ ...base, postNorm: 1 as never })).toThrow(/postNorm must be true or false/);
  });
  it("the built model matches the closed form for random shapes", () => {
    fc.assert(
      fc.property(
        fc.record({
          vocabSize: fc.integer({ min: 2, max: 20 }),
          blockSize: fc.integer({ min: 1, max: 9 }),
          nLayer: fc.integer({ min: 0, max: 2 }),
          heads: fc.constantFrom([1, 1], [2, 1], [2, 2], [4, 2], [4, 1]),
          headSize: fc.constantFrom(2, 4),
          tieWeights: fc.boolean(),
          bias: fc.boolean(),
          mlpRatio: fc.constantFrom(0, 1, 4),
          positions: fc.constantFrom("learned" as const, "rope" as const, "none" as const),
          activation: fc.constantFrom("gelu" as const, "swiglu" as const),
          norm: fc.constantFrom("layernorm" as const, "rmsnorm" as const),
        }),
        (r) => {
          const cfg = {
            vocabSize: r.vocabSize,
            blockSize: r.blockSize,
            nLayer: r.nLayer,
            nHead: r.heads[0],
            nKvHead: r.heads[1],
            nEmbd: r.heads[0] * r.headSize,
            tieWeights: r.tieWeights,
            bias: r.bias,
            mlpRatio: r.mlpRatio,
            positions: r.positions,
            activation: r.activation,
            norm: r.norm,
          };
          const m = createGpt(cfg);
          const n = m.paramCount();
          m.dispose();
          return n === gptParamCount(makeConfig(cfg));
        },
      ),
      { seed: 4, numRuns: 40 },
    );
  });
});

describe("forward pass", () => {
  it("is causal: changing a later token leaves earlier logits unchanged (learned, rope, GQA)", () => {
    for (const extra of [{}, { positions: "rope" as const }, { nHead: 4, nKvHead: 2 }]) {
      const m = createGpt({ vocabSize: 7, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8, ...extra }, { seed: 3 });
      const a = Int32Array.from([1, 2, 3, 4, 5, 6]);
      const b = Int32Array.from([1, 2, 3, 4, 0, 0]);
      const la = m.logits(a, 1, 6).arraySync() as number[][];
      const lb = m.logits(b, 1, 6).arraySync() as number[][];
      for (let t = 0; t < 4; t++) for (let v = 0; v < 7; v++) expect(lb[t][v]).toBeCloseTo(la[t][v], 5);
      expect(Math.abs(lb[5][0] - la[5][0]) + Math.abs(lb[4][1] - la[4][1])).toBeGreaterThan(1e-6);
      m.dispose();
    }
  });
  it("starts near the uniform loss ln(vocab)", () => {
    const m = createGpt({ vocabSize: 50, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 }, { seed: 1 });
    const x = Int32Array.from({ length: 16 }, (_, i) => (i * 7) % 50);
    const y = Int32Array.from({ length: 16 }, (_, i) => (i * 3) % 50);
    const loss = m.loss(x, y, 2, 8).dataSync()[0];
    expect(Math.abs(loss - Math.log(50))).toBeLessThan(0.05);
    m.dispose();
  });
  it("same seed → same weights; different seed → different", () => {
    const cfg = { vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 };
    const [a, b, c] = [createGpt(cfg, { seed: 1 }), createGpt(cfg, { seed: 1 }), createGpt(cfg, { seed: 2 })];
    const w = (m: typeof a) => Array.from(m.param("transformer.wte.weight").dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
  });
  it("rejects a sequence longer than blockSize and out-of-vocabulary ids, leaking no tensor", () => {
    const before = tf.memory().numTensors;
    const m = createGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 });
    expect(() => m.logits(new Int32Array(5), 1, 5)).toThrow(/sequence length 5 exceeds blockSize 4/);
    expect(() => m.logits(Int32Array.from([0, 9]), 1, 2)).toThrow(/token id 9/);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
