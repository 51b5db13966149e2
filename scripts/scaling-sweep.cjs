#!/usr/bin/env node
/*
 * Trains the scaling-law sweep of lesson 05 and writes datasets/scaling/<name>.json: six tiny
 * character-level GPTs (3.3 k – 336 k non-embedding parameters) × three token budgets on the State
 * of the Union addresses, each with its own warmup + cosine schedule (SCALING_GRID in
 * kernel-lib/src/lessons/05-scaling-laws/presets.ts).
 *
 *   npm run build && node scripts/scaling-sweep.cjs [--out datasets/scaling/sotu-char-v1.json] [--only ID,ID]
 *
 * With --grid isoflop it trains the IsoFLOP sweep instead (ISOFLOP_BUDGETS: a few model sizes at
 * each of three fixed compute budgets, C = 6·N·D) into datasets/scaling/sotu-char-isoflop-v1.json.
 *
 * Resumable: finished runs are kept in the results file after each run; run the same command again
 * after an interruption (Ctrl-C stops between runs) and it trains only what is missing.
 */
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
  const name = arg("grid", "scaling") === "isoflop" ? lib.ISOFLOP_SWEEP_NAME : lib.SCALING_SWEEP_NAME;
  const out = path.resolve(arg("out", path.join(__dirname, "..", "datasets", "scaling", `${name}.json`)));
  const only = arg("only", "");
  const tf = await lib.initTf();
  const data = lib.prepareCharData(lib.loadCorpusText("sotu"));
  const isoflop = arg("grid", "scaling") === "isoflop";
  let runs = isoflop
    ? lib.buildIsoFlopGrid({ ...lib.SCALING_GRID, budgets: lib.ISOFLOP_BUDGETS, vocabSize: data.tokenizer.vocabSize })
    : lib.buildScalingGrid({ ...lib.SCALING_GRID, vocabSize: data.tokenizer.vocabSize });
  if (only) runs = runs.filter((r) => only.split(",").includes(r.id));
  const stop = new AbortController();
  process.on("SIGINT", () => {
    console.error("stopping after the current run…");
    stop.abort();
  });
  const t0 = Date.now();
  const sweep = await lib.runSweep(runs, (config) => lib.trainScalingRun(config, data), {
    path: out,
    name: name,
    backend: tf.backend,
    notes:
      "N = non-embedding parameters (token and position tables excluded; head tied). D = steps × 16 × 32 tokens. " +
      "valLoss = mean cross-entropy (nats/char) on 256 fixed, evenly spaced 32-char windows of the held-out last 10% of the SOTU text. " +
      "AdamW lr 3e-3, warmup 10% of steps, cosine to 3e-4 at the last step, weight decay 0.1, clip 1, seed 1." +
      (isoflop ? " IsoFLOP layout: config.budget = C; steps = round(C / (6 · N · 512)), so 6·N·D is within rounding of C." : ""),
    signal: stop.signal,
    onRun: (r, status, i, total) =>
      console.error(
        `[${i + 1}/${total}] ${r.id} ${status}: N=${r.N} D=${r.D} val=${r.valLoss.toFixed(4)} (${r.seconds.toFixed(1)} s, ${Math.round(Number(r.tokensPerSecond ?? 0))} tok/s) t=${((Date.now() - t0) / 1000).toFixed(0)} s`,
      ),
  });
  console.error(`${sweep.runs.length} runs in ${out}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
