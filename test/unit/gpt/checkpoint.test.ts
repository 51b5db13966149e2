import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { exportWeights, importWeights, loadCheckpoint, saveCheckpoint } from "../../../kernel-lib/src/gpt/checkpoint";
import { prepareCharData } from "../../../kernel-lib/src/gpt/data";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { decodeSafetensors, encodeSafetensors, float16BitsToFloat32, float32ToFloat16Bits } from "../../../kernel-lib/src/gpt/safetensors";
import { Trainer } from "../../../kernel-lib/src/gpt/train";
import { tinyText, useWasm } from "./backend";

beforeAll(useWasm);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpt-ckpt-"));
const data = prepareCharData(tinyText());
const cfg = { vocabSize: data.tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0.1 };
const tcfg = { maxIters: 24, batchSize: 4, learningRate: 3e-3, evalInterval: 8, evalIters: 2, seed: 9 };
const python = "/usr/bin/python3";

describe("safetensors", () => {
  it("float16 conversion rounds to nearest and keeps specials", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.1035156e-5, 5.96e-8]) expect(float16BitsToFloat32(float32ToFloat16Bits(v))).toBeCloseTo(v, 6);
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float16BitsToFloat32(float32ToFloat16Bits(1e6))).toBe(Infinity);
    expect(Math.abs(float16BitsToFloat32(float32ToFloat16Bits(0.1)) - 0.1)).toBeLessThan(1e-4);
  });
  it("round-trips and rejects damaged buffers with a reason", () => {
    const buf = encodeSafetensors(
      { a: { dtype: "F32", shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }, b: { dtype: "I32", shape: [1], data: Int32Array.from([7]) } },
      { k: "v" },
    );
    expect((8 + Number(buf.readBigUInt64LE(0))) % 8).toBe(0);
    const back = decodeSafetensors(buf);
    expect(Array.from(back.tensors.get("a")!.data)).toEqual([1, 2, 3, 4]);
    expect(back.metadata).toEqual({ k: "v" });
    expect(() => decodeSafetensors(buf.subarray(0, buf.length - 4), "x.safetensors")).toThrow(/x.safetensors is not a valid safetensors file: .*truncated/);
    expect(() => decodeSafetensors(Buffer.from([1, 2, 3]))).toThrow(/only 3 bytes/);
  });
  it("an exported model is readable by Python (header parsed by hand) in PyTorch layout", () => {
    const m = createGpt({ ...cfg, dropout: 0 }, { seed: 2 });
    const file = path.join(dir, "model.safetensors");
    const bytes = exportWeights(m, file, { tokenizer: data.tokenizer });
    expect(bytes).toBe(fs.statSync(file).size);
    expect(bytes).toBeGreaterThan(m.paramCount() * 4);
    expect(bytes).toBeLessThan(m.paramCount() * 4 + 4096);
    let out: string;
    try {
      out = execFileSync(python, ["scripts/fixtures/read_safetensors.py", file], { encoding: "utf8" });
    } catch {
      console.warn("python3 with numpy is unavailable; skipping the Python check");
      return;
    }
    const report = JSON.parse(out);
    const w = m.param("transformer.h.0.attn.c_attn.weight"); // [in 16, out 48] here
    expect(report.tensors["transformer.h.0.attn.c_attn.weight"].shape).toEqual([48, 16]); // torch: [out, in]
    const sum = Array.from(w.dataSync()).reduce((a, b) => a + b, 0);
    expect(report.tensors["transformer.h.0.attn.c_attn.weight"].sum).toBeCloseTo(sum, 4);
    const wd = w.dataSync();
    expect(report.tensors["transformer.h.0.attn.c_attn.weight"].first[1]).toBeCloseTo(wd[48], 6); // row 0 of torch = column 0 here
    expect(JSON.parse(report.metadata.config).nEmbd).toBe(16);
    const { model: back, tokenizer } = importWeights(file);
    expect(Array.from(back.param("transformer.h.0.attn.c_attn.weight").dataSync())).toEqual(Array.from(wd));
    expect(tokenizer!.decode(tokenizer!.encode("the cat"))).toBe("the cat");
    expect(tokenizer!.vocabSize).toBe(data.tokenizer.vocabSize);
    const f16 = path.join(dir, "model16.safetensors");
    const half = exportWeights(m, f16, { dtype: "F16" });
    expect(half).toBeLessThan(bytes / 2 + 4096);
    m.dispose();
    back.dispose();
  });
});

describe("checkpoints", () => {
  it("resuming reproduces the uninterrupted run's losses", async () => {
    const full = new Trainer(createGpt(cfg, { seed: 1 }), data, tcfg);
    const ref = await full.run();
    const first = new Trainer(createGpt(cfg, { seed: 1 }), data, tcfg);
    await first.run({ until: 10 });
    const file = path.join(dir, "run.ckpt");
    saveCheckpoint(first, file, { tokenizer: data.tokenizer });
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    const { trainer, tokenizer } = loadCheckpoint(file, data, { vocabSize: data.tokenizer.vocabSize });
    expect(trainer.step).toBe(10);
    expect(tokenizer!.vocabSize).toBe(data.tokenizer.vocabSize);
    const resumed = await trainer.run();
    expect(resumed.losses.length).toBe(24);
    for (let i = 0; i < 24; i++) expect(Math.abs(resumed.losses[i] - ref.losses[i])).toBeLessThanOrEqual(1e-5);
    expect(resumed.evals.map((e) => e.val)).toEqual(ref.evals.map((e) => e.val));
    for (const t of [full, first, trainer]) {
      t.dispose();
      t.model.dispose();
    }
  });
  it("a corrupt, foreign or mismatched checkpoint is a clear error", async () => {
    const t = new Trainer(createGpt(cfg, { seed: 1 }), data, tcfg);
    await t.run({ until: 2 });
    const file = path.join(dir, "c.ckpt");
    saveCheckpoint(t, file);
    const buf = fs.readFileSync(file);
    buf[buf.length - 10] ^= 0xff;
    fs.writeFileSync(path.join(dir, "flip.ckpt"), buf);
    expect(() => loadCheckpoint(path.join(dir, "flip.ckpt"), data)).toThrow(/is corrupt: the SHA-256/);
    fs.writeFileSync(path.join(dir, "short.ckpt"), buf.subarray(0, 1000));
    expect(() => loadCheckpoint(path.join(dir, "short.ckpt"), data)).toThrow(/not a valid safetensors file/);
    expect(() => loadCheckpoint(file, data, { config: { nLayer: 2 } })).toThrow(/saved with nLayer=1, but 2 was requested/);
    expect(() => loadCheckpoint(file, data, { vocabSize: 99 })).toThrow(/vocabSize=\d+, the data's tokenizer has 99/);
    expect(() => loadCheckpoint(path.join(dir, "model.safetensors"), data)).toThrow(/expected "llm-lessons-gpt-checkpoint"/);
    expect(() => loadCheckpoint(path.join(dir, "missing.ckpt"), data)).toThrow(/no such file/);
    t.dispose();
    t.model.dispose();
  });
});

describe("tensor memory", () => {
  it("a model, its trainer, a saved and a resumed checkpoint free every tensor they made when disposed", async () => {
    const before = tf.memory().numTensors;
    const model = createGpt(cfg, { seed: 4 });
    const trainer = new Trainer(model, data, { ...tcfg, maxIters: 3, evalInterval: 3 });
    await trainer.run();
    const file = path.join(dir, "memory.ckpt");
    saveCheckpoint(trainer, file);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const loaded = loadCheckpoint(file, data);
    loaded.trainer.dispose();
    loaded.trainer.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
