import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prepareData } from "../../../kernel-lib/src/gpt/data";
import { formatBytes } from "../../../kernel-lib/src/gpt/live";
import {
  backendStatement,
  bitsPerToken,
  defaultShape,
  GPT_PRESETS,
  GPT_RULES,
  GPU_SHAPE,
  gptPresetsFor,
  gzipBitsPerChar,
  LLAMA2_70B_PARAMS,
  modelFileBytes,
  novelFraction,
} from "../../../kernel-lib/src/lessons/04-mini-gpt/lesson";
import { MODES, resolveParams } from "../../../kernel-lib/src/runtime/params";
import { checkTyingSavings } from "../../../kernel-lib/src/lessons/04-mini-gpt/exercises";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { filteredDistribution, generate, sampleIndex } from "../../../kernel-lib/src/gpt/sample";
import { Trainer } from "../../../kernel-lib/src/gpt/train";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { tinyText, useWasm } from "./backend";

beforeAll(useWasm);

describe("sampling", () => {
  it("top-k and top-p keep the right tokens; temperature sharpens", () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
    const k2 = Array.from(filteredDistribution(logits, { topK: 2 }));
    expect(k2.map((v) => +v.toFixed(4))).toEqual([0.625, 0.375, 0, 0]);
    const p = Array.from(filteredDistribution(logits, { topP: 0.75 }));
    expect(p.filter((v) => v > 0).length).toBe(2);
    const p90 = Array.from(filteredDistribution(logits, { topP: 0.9 }));
    expect(p90.filter((v) => v > 0).length).toBe(3);
    const cold = filteredDistribution(logits, { temperature: 0.5 });
    expect(cold[0]).toBeGreaterThan(0.5);
    const rng = makeRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[sampleIndex([0.5, 0.3, 0.15, 0.05], rng)]++;
    expect(counts[0] / 4000).toBeGreaterThan(0.46);
    expect(counts[0] / 4000).toBeLessThan(0.54);
  });
  it("greedy is deterministic, sampling is seeded, options are validated", async () => {
    const m = createGpt({ vocabSize: 12, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, { seed: 3 });
    const a = await generate(m, [1, 2], { maxNewTokens: 12, greedy: true });
    expect(await generate(m, [1, 2], { maxNewTokens: 12, greedy: true })).toEqual(a);
    const s1 = await generate(m, [1], { maxNewTokens: 20, seed: 4 });
    expect(await generate(m, [1], { maxNewTokens: 20, seed: 4 })).toEqual(s1);
    expect(await generate(m, [1], { maxNewTokens: 20, seed: 5 })).not.toEqual(s1);
    const streamed: number[] = [];
    await generate(m, [1], { maxNewTokens: 5, seed: 4, onToken: (id) => streamed.push(id) });
    expect(streamed).toEqual(s1.slice(0, 5));
    await expect(generate(m, [1], { maxNewTokens: 3, temperature: 0 })).rejects.toThrow(/temperature must be a number > 0, got 0/);
    await expect(generate(m, [1], { maxNewTokens: 3, topP: 1.5 })).rejects.toThrow(/topP must be in \(0, 1\]/);
    m.dispose();
  });
});

describe("lesson functions", () => {
  it("presets carry exactly the notebook's parameters", () => {
    expect(Object.keys(GPT_PRESETS.workshop).sort()).toEqual(
      [
        "batchSize",
        "blockSize",
        "dataset",
        "shape",
        "dropout",
        "evalInterval",
        "learningRate",
        "maxIters",
        "nEmbd",
        "nHead",
        "nKvHead",
        "nLayer",
        "seed",
        "ladderSteps",
        "seeds",
      ].sort(),
    );
  });
  it("file-size arithmetic: Llama 2 70B in 16-bit is 140 GB", () => {
    // (and the GPU shape's parameter count the lesson quotes: 10.8 M on SOTU's 99 characters)
    const C = GPU_SHAPE.nEmbd;
    expect(GPU_SHAPE.nLayer * (12 * C * C + 13 * C) + 2 * C + 99 * C + GPU_SHAPE.blockSize * C).toBe(10_783_872);
    expect(formatBytes(modelFileBytes(LLAMA2_70B_PARAMS, 2))).toBe("140 GB");
    expect(formatBytes(modelFileBytes(813_056, 2))).toBe("1.63 MB");
    expect(bitsPerToken(Math.LN2 * 3)).toBeCloseTo(3);
  });
  it("gzip and novelty measures", () => {
    const t = tinyText(200);
    expect(gzipBitsPerChar(t)).toBeLessThan(1); // very repetitive text compresses well
    expect(novelFraction("the cat sat on the mat.", t, 10)).toBe(0);
    expect(novelFraction("zzzzzzzzzzzzzzz", t, 10)).toBe(1);
  });
  it("residual and LayerNorm switches: parameter count and forward pass", async () => {
    const cfg = { vocabSize: 20, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };
    const idx = Int32Array.from({ length: 16 }, (_, i) => (i * 7) % 20);
    const full = createGpt(cfg, { seed: 2 });
    const noLn = createGpt({ ...cfg, layerNorm: false }, { seed: 2 });
    const noRes = createGpt({ ...cfg, residual: false }, { seed: 2 });
    // Without LayerNorm: 2 per block (ln_1, ln_2) + ln_f, each gain and bias of width 8.
    expect(full.paramCount() - noLn.paramCount()).toBe((2 * 2 + 1) * 2 * 8);
    expect(noLn.has("transformer.ln_f.weight")).toBe(false);
    expect(noRes.paramCount()).toBe(full.paramCount());
    const logits = [full, noLn, noRes].map((m) => m.logits(idx, 2, 8).arraySync() as number[][]);
    expect(logits[1]).not.toEqual(logits[0]);
    expect(logits[2]).not.toEqual(logits[0]);
    // The bigram model without LayerNorm is just embedding · head.
    const bigram = createGpt({ ...cfg, nLayer: 0, positions: "none", layerNorm: false, tieWeights: false }, { seed: 3 });
    const want = tf.tidy(() => tf.matMul(tf.gather(bigram.param("transformer.wte.weight"), tf.tensor1d(idx, "int32")), bigram.param("lm_head.weight")));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(bigram.logits(idx, 2, 8), want))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    expect(() => createGpt({ ...cfg, residual: "yes" as unknown as boolean })).toThrow(/residual must be true or false/);
    for (const m of [full, noLn, noRes, bigram]) m.dispose();
    want.dispose();
  });
  it("a BPE tokenizer works end to end", async () => {
    const data = prepareData(tinyText(), { tokenizer: "bpe", bpeVocabSize: 280 });
    expect(data.tokenizer.vocabSize).toBeLessThanOrEqual(280);
    expect(data.tokenizer.decode(Array.from(data.train.slice(0, 30)))).toBe(
      tinyText().slice(0, data.tokenizer.decode(Array.from(data.train.slice(0, 30))).length),
    );
    const m = createGpt({ vocabSize: data.tokenizer.vocabSize, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 });
    const t = new Trainer(m, data, { maxIters: 2, batchSize: 2, learningRate: 1e-3, evalInterval: 2, evalIters: 1, seed: 1 });
    const r = await t.run();
    expect(r.reason).toBe("done");
    t.dispose();
    m.dispose();
  });
});

describe("exercise checkers", () => {
  it("weight tying: accepts the right saving, rejects a wrong one", () => {
    const cfg = { vocabSize: 20, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };
    const untied = createGpt({ ...cfg, tieWeights: false });
    const tied = createGpt({ ...cfg, tieWeights: true });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(checkTyingSavings({ untied: untied.paramCount(), tied: tied.paramCount(), vocabSize: 20, nEmbd: 8 })).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ tying removes the LM head's 20 × 8 = 160/));
    log.mockRestore();
    expect(() => checkTyingSavings({ untied: tied.paramCount(), tied: untied.paramCount(), vocabSize: 20, nEmbd: 8 })).toThrow(/tied model should be smaller/);
    expect(() => checkTyingSavings({ untied: untied.paramCount(), tied: tied.paramCount() - 1, vocabSize: 20, nEmbd: 8 })).toThrow(
      /removes one 20 × 8 matrix = 160/,
    );
    untied.dispose();
    tied.dispose();
  });
});

describe("the model shape for the backend (lesson 04)", () => {
  const hardwareWebgpu = { backend: "webgpu", gpu: true, adapter: "adapter nvidia, ampere, NVIDIA GeForce RTX 3060" };
  const softwareWebgpu = { backend: "webgpu", gpu: false, adapter: "adapter mesa, software, llvmpipe" };
  const cuda = { backend: "tensorflow", gpu: true };
  const tfCpu = { backend: "tensorflow", gpu: false };
  const wasmBlas = { backend: "wasm", gpu: false, nativeBlas: true };
  const wasm = { backend: "wasm", gpu: false, nativeBlas: false };
  const cpu = { backend: "cpu", gpu: false };

  it("is the GPU model only in full mode on a GPU (WebGPU on hardware, or CUDA)", () => {
    expect(defaultShape("full", hardwareWebgpu)).toBe("gpu");
    expect(defaultShape("full", cuda)).toBe("gpu");
    for (const b of [softwareWebgpu, tfCpu, wasmBlas, wasm, cpu]) expect(defaultShape("full", b)).toBe("cpu");
    for (const mode of ["fast", "workshop"]) expect(defaultShape(mode, hardwareWebgpu)).toBe("cpu");
  });

  it("keeps each mode's presets (and its meaning) unless the shape is gpu", () => {
    for (const b of [softwareWebgpu, wasmBlas, cpu]) expect(gptPresetsFor(null, b)).toEqual(GPT_PRESETS);
    const onGpu = gptPresetsFor(null, hardwareWebgpu);
    expect(onGpu.fast).toEqual(GPT_PRESETS.fast);
    expect(onGpu.workshop).toEqual(GPT_PRESETS.workshop);
    expect(onGpu.full).toEqual({ ...GPT_PRESETS.full, ...GPU_SHAPE, shape: "gpu" });
    expect(onGpu.full.maxIters).toBe(GPT_PRESETS.full.maxIters);
  });

  it("an explicit shape wins over the backend, and an explicit size over the shape", () => {
    const P = resolveParams("fast", { shape: "gpu" }, gptPresetsFor("gpu", wasmBlas), { print: false }, GPT_RULES);
    expect(P).toMatchObject({ shape: "gpu", nLayer: 6, nHead: 6, nEmbd: 384, blockSize: 256, batchSize: 64, maxIters: GPT_PRESETS.fast.maxIters });
    const baby = resolveParams("full", { shape: "cpu" }, gptPresetsFor("cpu", hardwareWebgpu), { print: false }, GPT_RULES);
    expect(baby).toEqual({ ...GPT_PRESETS.full, mode: "full" });
    const wider = resolveParams("full", { nEmbd: 768, nHead: 12, nKvHead: 12 }, gptPresetsFor(null, hardwareWebgpu), { print: false }, GPT_RULES);
    expect(wider).toMatchObject({ shape: "gpu", nLayer: 6, nEmbd: 768, nHead: 12, blockSize: 256 });
    for (const mode of MODES) expect(() => resolveParams(mode, {}, gptPresetsFor("gpu", cpu), { print: false }, GPT_RULES)).not.toThrow();
  });

  it("says which path runs and quotes no GPU figure", () => {
    const gpu = backendStatement(hardwareWebgpu);
    expect(gpu.path).toContain("WebGPU on a GPU (adapter nvidia, ampere, NVIDIA GeForce RTX 3060)");
    expect(gpu.expect).toContain("not been measured");
    expect(gpu.expect).toContain("LLM_LESSONS_BACKEND=webgpu npx llm-lessons bench gpt --json");
    expect(gpu.expect).not.toMatch(/tokens\/s/);
    expect(backendStatement(cuda).expect).toContain("not measured");
    expect(backendStatement(tfCpu).expect).toContain("not measured");
    expect(backendStatement(softwareWebgpu).path).toContain("software adapter (adapter mesa, software, llvmpipe)");
    expect(backendStatement(wasmBlas).expect).toContain("10 000–13 000 tokens/s");
    expect(backendStatement(wasm).expect).toContain("≈ 5 000 tokens/s");
    expect(backendStatement(cpu).path).toContain("plain JavaScript");
  });
});
