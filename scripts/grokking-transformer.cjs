#!/usr/bin/env node
/*
 * Trains Nanda et al.'s one-layer transformer on a + b mod 113 (lesson 07's full-mode model) and
 * writes its curves to datasets/grokking/<name>.json: train/val loss and accuracy, the weight norm
 * and the Fourier power of the number embedding at every evaluation.
 *
 *   npm run build && node scripts/grokking-transformer.cjs [--steps 14000] [--eval-every 100] [--seed 0] [--out FILE]
 *
 * Full batch (3 831 training pairs, 30 %), AdamW lr 1e-3 with a 10-step linear warmup, λ = 1.0,
 * betas 0.9/0.98. The results file is rewritten after every evaluation, so an interrupted run
 * (Ctrl-C stops after the current step) keeps every evaluation it reached, and says how far it got.
 */
const fs = require("node:fs");
const os = require("node:os");
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

/** @param {number} x */
const round = (x) => Number(x.toPrecision(5));

async function main() {
  const steps = Number(arg("steps", "14000"));
  const evalEvery = Number(arg("eval-every", "100"));
  const seed = Number(arg("seed", "0"));
  const out = path.resolve(arg("out", path.join(__dirname, "..", "datasets", "grokking", lib.GROK_TRANSFORMER_RESULTS + ".json")));
  const tf = await lib.initTf();
  const config = lib.NANDA_TRANSFORMER;
  const train = { trainFraction: 0.3, learningRate: 1e-3, weightDecay: 1.0, beta1: 0.9, beta2: 0.98, warmup: 10, steps, evalEvery, seed };
  const split = lib.makeModularSplit(config.p, train.trainFraction, seed);
  const w = lib.initModTransformer(config, seed);
  const model = lib.transformerGrokModel(w, config);
  const stop = new AbortController();
  process.on("SIGINT", () => {
    console.error("stopping after the current step…");
    stop.abort();
  });
  const createdAt = new Date().toISOString();
  const t0 = Date.now();
  /** @type {Record<string, number | number[]>[]} */
  const evals = [];
  const write = (/** @type {boolean} */ done) => {
    const doc = {
      version: 1,
      name: lib.GROK_TRANSFORMER_RESULTS,
      model:
        "Nanda et al. (2023) one-layer transformer: tokens 'a b =', d_model 128, 4 heads, ReLU MLP 512, no LayerNorm, no attention biases; unembedding at '='",
      config,
      train,
      machine: { cpus: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, platform: `${os.platform()} ${os.arch()}`, node: process.version },
      backend: tf.backend,
      createdAt,
      updatedAt: new Date().toISOString(),
      finished: done,
      stepsDone: evals.length ? evals[evals.length - 1].step : 0,
      seconds: round((Date.now() - t0) / 1000),
      evals,
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out + ".tmp", JSON.stringify(doc, null, 1) + "\n");
    fs.renameSync(out + ".tmp", out);
  };
  const run = await lib.trainGrok(model, split, {
    ...train,
    signal: stop.signal,
    onEval: (e) => {
      const power = lib.fourierPower(model.numberEmbedding(), config.p, config.dModel);
      evals.push({
        step: e.step,
        trainLoss: round(e.trainLoss),
        trainAcc: round(e.trainAcc),
        valLoss: round(e.valLoss),
        valAcc: round(e.valAcc),
        weightNorm: round(e.weightNorm),
        gini: round(e.gini),
        top5: round(e.top5),
        power: power.map(round),
      });
      write(false);
      console.error(
        `step ${e.step}: train ${e.trainAcc.toFixed(3)} (${e.trainLoss.toExponential(2)}), val ${e.valAcc.toFixed(3)} (${e.valLoss.toExponential(2)}), norm ${e.weightNorm.toFixed(1)}, gini ${e.gini.toFixed(3)}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    },
  });
  write(run.steps >= steps);
  console.error(`${run.steps} steps in ${run.seconds.toFixed(0)} s (${run.secondsPerStep.toFixed(3)} s a step): ${out}`);
  lib.disposeModTransformer(w);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
