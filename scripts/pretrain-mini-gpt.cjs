#!/usr/bin/env node
/*
 * Reproduces checkpoints/mini-gpt-sotu.safetensors, the small pre-trained GPT that lesson 04
 * samples from right away: nanoGPT's CPU "baby" shape (4 layers, 4 heads, 128 wide, block 64),
 * characters, trained on all State of the Union addresses, exported in float16 (< 2 MiB).
 *
 *   npm run build && node scripts/pretrain-mini-gpt.cjs [--iters 2000] [--out checkpoints/mini-gpt-sotu.safetensors]
 *
 * Deterministic for a given backend (seed 1). A resumable training checkpoint is kept at
 * OUT.ckpt while it runs (Ctrl-C stops cleanly; run again to continue).
 */
const fs = require("node:fs");
const path = require("node:path");
const lib = require("../kernel-lib/dist");

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const iters = Number(arg("iters", "2000"));
  const out = path.resolve(arg("out", path.join(__dirname, "..", "checkpoints", "mini-gpt-sotu.safetensors")));
  const ckpt = `${out}.ckpt`;
  await lib.initTf();
  const data = lib.prepareCharData(lib.loadCorpusText("sotu"));
  let trainer;
  if (fs.existsSync(ckpt)) {
    trainer = lib.loadCheckpoint(ckpt, data, { vocabSize: data.tokenizer.vocabSize }).trainer;
    console.error(`resuming from ${ckpt} at step ${trainer.step}`);
  } else {
    const model = lib.createGpt({ vocabSize: data.tokenizer.vocabSize, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 }, { seed: 1 });
    trainer = new lib.Trainer(model, data, {
      maxIters: iters,
      batchSize: 12,
      learningRate: 1e-3,
      minLr: 1e-4,
      warmupIters: 100,
      evalInterval: 250,
      evalIters: 20,
      seed: 1,
    });
  }
  /** @param {import("../kernel-lib/dist").Trainer} t */
  const save = (t) => {
    lib.saveCheckpoint(t, ckpt, { tokenizer: data.tokenizer });
  };
  const r = await lib.trainWithProgress(trainer, { chart: false, title: "pretraining", onCheckpoint: save, checkpointEvery: 100 });
  const bytes = lib.exportWeights(trainer.model, out, { dtype: "F16", tokenizer: data.tokenizer });
  const last = r.evals[r.evals.length - 1];
  console.error(
    `${r.message}; val loss ${last ? last.val.toFixed(3) : "?"}; wrote ${out} (${lib.formatBytes(bytes)}, ${trainer.model.paramCount()} parameters)`,
  );
  if (r.reason === "done") fs.rmSync(ckpt, { force: true });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
