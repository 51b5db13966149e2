/**
 * `llm-lessons bench gpt`: training throughput of nanoGPT's CPU "baby" configuration (4 layers,
 * 4 heads, 128 wide, block 64, batch 12, characters) on the default backend, next to the PyTorch
 * peer (scripts/peers/torch_gpt.py, on as many threads as our backend, and on one) on the same
 * data in the same run. The full run
 * also trains both for the same number of steps with the same schedule and compares val loss.
 *
 * It runs on the backend `initTf` picks (LLM_LESSONS_BACKEND forces one, e.g. webgpu) and reports
 * it, with the WebGPU adapter. GPT_BENCH_SPEED_ITERS sets the timed steps (default 60, 20 with
 * --quick); GPT_BENCH_SHAPE=gpu times nanoGPT's GPU model (6 × 384, block 256, batch 64) instead.
 * The speed is measured in GPT_BENCH_ROUNDS rounds (default 3, 1 with --quick), each ours then the
 * peer's: the machine's speed drifts between runs, so each round's ratio compares neighbours, and
 * the figures are the medians over the rounds. Each run leaves its first GPT_BENCH_UNTIMED steps
 * (default 10, both sides) out of the clock: V8 compiles our JavaScript and WebAssembly hot paths
 * over the first ≈ 15 steps, which run ≈ 20 % slower than the rest.
 *
 * `--profile` times GPT_BENCH_PROFILE_STEPS training steps (default 20, 5 with --quick; after
 * GPT_BENCH_UNTIMED untimed ones) kernel by kernel instead (no peer, no quality run): calls,
 * milliseconds and share of the step per kernel, and the time spent outside kernels (tfjs's
 * dispatch, the gradient tape, the ops' JavaScript).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchResult } from "./types";
import {
  findProjectFile,
  loadCorpusText,
  initTf,
  blasStatus,
  wasmThreadCount,
  prepareCharData,
  createGpt,
  Trainer,
  profileKernels,
  formatKernelProfile,
  type KernelProfile,
} from "kernel-lib";
import { median } from "./stats";

/** nanoGPT's CPU "baby" model. */
export const BABY_CONFIG = { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 };
/** nanoGPT's GPU Shakespeare model (without its dropout, so that the peer's loss compares). */
export const GPU_CONFIG = { blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, dropout: 0 };
const SHAPES = { baby: { config: BABY_CONFIG, batch: 12 }, gpu: { config: GPU_CONFIG, batch: 64 } };

/** The model the bench times: GPT_BENCH_SHAPE = "baby" (default) or "gpu". */
function benchShape(env: Record<string, string | undefined>): { name: keyof typeof SHAPES; config: typeof BABY_CONFIG; batch: number } {
  const name = (env.GPT_BENCH_SHAPE ?? "baby").trim() || "baby";
  if (name !== "baby" && name !== "gpu") throw new Error(`GPT_BENCH_SHAPE must be "baby" or "gpu"; got "${name}"`);
  return { name, ...SHAPES[name] };
}

/** A whole number ≥ 1 from the environment, or `fallback`. */
function envCount(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1; got "${raw}"`);
  return n;
}

const PYTHON = "/usr/bin/python3";

/** scripts/peers/torch_gpt.py, looked for above this file and above the working directory. */
function peerScript(): string {
  const rel = path.join("scripts", "peers", "torch_gpt.py");
  return findProjectFile(rel) ?? path.resolve(__dirname, "../../..", rel);
}

interface PeerResult {
  tokens_per_s?: number;
  val_loss?: number;
  params?: number;
  unavailable?: string;
}

function runPeer(config: Record<string, unknown>, dir: string): PeerResult {
  const file = path.join(dir, `peer-${config.seed}-${config.max_iters}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  try {
    const out = execFileSync(PYTHON, [peerScript(), file], { encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out.trim().split("\n").pop()!) as PeerResult;
  } catch (e) {
    return { unavailable: `${PYTHON} ${path.basename(peerScript())} failed: ${(e as Error).message.split("\n")[0]}` };
  }
}

type Shape = ReturnType<typeof benchShape>;

/** The model and trainer of one timed run (bench's schedule, no evaluation until the end). */
function setUp(
  shape: Shape,
  data: ReturnType<typeof prepareCharData>,
  iters: number,
  seed: number,
  evalIters: number,
): { model: ReturnType<typeof createGpt>; trainer: Trainer } {
  const { config: CONFIG, batch: BATCH } = shape;
  const model = createGpt({ ...CONFIG, vocabSize: data.tokenizer.vocabSize }, { seed });
  const trainer = new Trainer(model, data, {
    maxIters: iters,
    batchSize: BATCH,
    learningRate: 1e-3,
    minLr: 1e-4,
    warmupIters: Math.min(100, Math.floor(iters / 10)),
    evalInterval: iters * 10,
    evalIters,
    seed,
  });
  return { model, trainer };
}

/**
 * Train `shape` for `iters` steps; returns tokens/s and the final val loss. Like the peer's, the
 * clock runs over the training steps after `untimed` warm-up ones (each `trainStep`: the batch,
 * forward, gradient, clipping, AdamW, the loss read back), the figure lesson 04's `Trainer` records
 * as `tokensPerSecond`; the evaluation at the end is not timed.
 */
async function ours(
  shape: Shape,
  data: ReturnType<typeof prepareCharData>,
  iters: number,
  seed: number,
  evalIters: number,
  untimed = 3,
): Promise<{ tokensPerSecond: number; val: number; params: number }> {
  const { config: CONFIG, batch: BATCH } = shape;
  const { model, trainer } = setUp(shape, data, iters, seed, evalIters);
  await trainer.run({ until: Math.min(untimed, iters) });
  const before = trainer.step;
  let seconds = 0;
  while (trainer.step < iters) {
    const t0 = performance.now();
    if (trainer.trainStep() === null) throw new Error(`bench gpt: the loss became NaN/Inf at step ${trainer.step + 1}`);
    seconds += (performance.now() - t0) / 1000;
  }
  const tokensPerSecond = ((trainer.step - before) * BATCH * CONFIG.blockSize) / seconds;
  const val = trainer.evaluate("val");
  const params = model.paramCount();
  trainer.dispose();
  model.dispose();
  return { tokensPerSecond, val, params };
}

/**
 * The per-kernel profile of `steps` training steps of `shape` (after `untimed` ones, which
 * compile the kernel modules, create AdamW's moments and let V8 optimise the hot paths).
 */
export function profileTraining(
  shape: Shape,
  data: { train: Int32Array; val: Int32Array; tokenizer: { vocabSize: number } },
  steps: number,
  untimed = 3,
): KernelProfile {
  const { model, trainer } = setUp(shape, data as ReturnType<typeof prepareCharData>, steps + untimed, 1, 1);
  try {
    for (let i = 0; i < untimed; i++) trainer.trainStep();
    return profileKernels(() => void trainer.trainStep(), steps);
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** `bench gpt --profile`: the table of `profileTraining` and its totals as figures. */
function profileBench(shape: Shape, data: ReturnType<typeof prepareCharData>, steps: number, untimed: number, backend: string): BenchResult {
  const p = profileTraining(shape, data, steps, untimed);
  const { config: CONFIG, batch: BATCH } = shape;
  const round = (v: number) => Number(v.toFixed(3));
  return {
    name: "gpt",
    figures: {
      backend,
      shape: shape.name,
      profiled_steps: steps,
      step_ms: round(p.stepMs),
      kernel_ms: round(p.kernelMs),
      outside_kernels_ms: round(p.outsideMs),
      kernel_calls_per_step: Math.round(p.calls),
      tokens_per_s_profiled: Math.round((BATCH * CONFIG.blockSize * 1000) / p.stepMs),
    },
    tables: [formatKernelProfile(p)],
    detail: { profile: p },
    notes: [
      `per training step (forward, gradient, clipping, AdamW), mean of ${steps} steps after ${untimed} untimed ones; "dispatch" is the time outside kernels just before each kernel's calls`,
      "timings on a shared machine: read the shares, not the milliseconds, across runs",
    ],
  };
}

export async function bench(opts: { quick: boolean; profile?: boolean }): Promise<BenchResult> {
  const info = await initTf({ quiet: true });
  const shape = benchShape(process.env);
  const { config: CONFIG, batch: BATCH } = shape;
  const text = loadCorpusText("sotu").slice(-1_000_000);
  const data = prepareCharData(text);
  const untimed = envCount(process.env, "GPT_BENCH_UNTIMED", 10);
  if (opts.profile) return profileBench(shape, data, envCount(process.env, "GPT_BENCH_PROFILE_STEPS", opts.quick ? 5 : 20), untimed, info.backend);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpt-bench-"));
  fs.writeFileSync(path.join(dir, "train.i32"), Buffer.from(data.train.buffer));
  fs.writeFileSync(path.join(dir, "val.i32"), Buffer.from(data.val.buffer));
  const speedIters = envCount(process.env, "GPT_BENCH_SPEED_ITERS", opts.quick ? 20 : 60);
  // Full run: nanoGPT's 2 000 steps × 3 seeds take ≈ 20 min here (both trainers), so the
  // default is 300 steps; GPT_BENCH_QUALITY_ITERS / GPT_BENCH_SEEDS change it.
  const qualityIters = opts.quick ? 0 : Number(process.env.GPT_BENCH_QUALITY_ITERS ?? 300);
  const seeds = (process.env.GPT_BENCH_SEEDS ?? "1,2,3").split(",").map(Number);
  const peerBase = {
    train: path.join(dir, "train.i32"),
    val: path.join(dir, "val.i32"),
    vocab_size: data.tokenizer.vocabSize,
    n_layer: CONFIG.nLayer,
    n_head: CONFIG.nHead,
    n_embd: CONFIG.nEmbd,
    block_size: CONFIG.blockSize,
    batch_size: BATCH,
    lr: 1e-3,
    min_lr: 1e-4,
    weight_decay: 0.1,
    beta2: 0.99,
    grad_clip: 1.0,
    eval_iters: 20,
  };
  const notes: string[] = [
    `backend ${info.backend}${info.adapter ? ` on ${info.adapter}` : ""}; model "${shape.name}" (${CONFIG.nLayer} × ${CONFIG.nEmbd}, block ${CONFIG.blockSize}, batch ${BATCH}); data: the last 1 000 000 characters of the SOTU corpus (vocab ${data.tokenizer.vocabSize}), 90/10 split`,
    "timings on a shared machine: compare the two figures of the same run, not across runs",
  ];
  // Threads the backend computes on: native BLAS's (the matMuls) or the wasm build's pool, else 1
  // (tfjs-node manages its own).
  const blas = blasStatus();
  const threads = info.backend === "wasm" ? (blas?.available ? Math.max(blas.threads, wasmThreadCount()) : wasmThreadCount()) : 1;
  // Rounds of: ours, the peer on as many threads as our backend uses, and the peer on one.
  const rounds = envCount(process.env, "GPT_BENCH_ROUNDS", opts.quick ? 1 : 3);
  const ourRuns: number[] = [];
  const peerRuns: PeerResult[] = [];
  const peer1Runs: PeerResult[] = [];
  let params = 0;
  for (let r = 0; r < rounds; r++) {
    const run = await ours(shape, data, speedIters + untimed, 1, 1, untimed);
    ourRuns.push(run.tokensPerSecond);
    params = run.params;
    const p = runPeer({ ...peerBase, max_iters: speedIters + untimed, warmup: 2, seed: 1, threads, untimed }, dir);
    peerRuns.push(p);
    peer1Runs.push(threads > 1 && !p.unavailable ? runPeer({ ...peerBase, max_iters: speedIters + untimed, warmup: 2, seed: 1, threads: 1, untimed }, dir) : p);
  }
  // A peer run that failed (on either thread count) makes the peer unavailable for the whole comparison.
  const failed = [...peerRuns, ...peer1Runs].find((p) => p.unavailable);
  const peer: PeerResult = failed ?? { tokens_per_s: median(peerRuns.map((p) => p.tokens_per_s!)) };
  const peer1: PeerResult = failed ?? { tokens_per_s: median(peer1Runs.map((p) => p.tokens_per_s!)) };
  const speed = { tokensPerSecond: median(ourRuns), params };
  if (info.backend === "webgpu" && !info.gpu) notes.push("a software WebGPU adapter: the GPU code path computed by the CPU, not a GPU figure");
  const figures: Record<string, number | string> = {
    backend: info.backend,
    ...(info.adapter ? { adapter: info.adapter } : {}),
    gpu: info.gpu ? "yes" : "no",
    shape: shape.name,
    speed_iters: speedIters,
    speed_rounds: rounds,
    untimed_steps: untimed,
    native_blas: info.backend === "wasm" && blas?.available ? "on" : "off",
    threads,
    params: speed.params,
    tokens_per_s: Math.round(speed.tokensPerSecond),
  };
  if (peer.unavailable) notes.push(`PyTorch peer unavailable: ${peer.unavailable}`);
  else {
    // Each round's ratio against the peer run next to it; the figure is their median.
    const ratios = (peers: PeerResult[]) => ourRuns.map((t, i) => t / peers[i].tokens_per_s!);
    figures.torch_tokens_per_s = Math.round(peer.tokens_per_s!);
    figures.ratio_vs_torch = Number(median(ratios(peerRuns)).toFixed(3));
    figures.torch_1_thread_tokens_per_s = Math.round(peer1.tokens_per_s!);
    figures.ratio_vs_torch_1_thread = Number(median(ratios(peer1Runs)).toFixed(3));
    if (rounds > 1) {
      notes.push(
        `speed: ${rounds} rounds (ours, then the peer); per round, tokens/s ours ${ourRuns.map(Math.round).join(", ")}, ` +
          `peer ${peerRuns.map((p) => Math.round(p.tokens_per_s!)).join(", ")}` +
          (threads > 1 ? `, peer on 1 thread ${peer1Runs.map((p) => Math.round(p.tokens_per_s!)).join(", ")}` : "") +
          `; ratios ${ratios(peerRuns)
            .map((x) => x.toFixed(3))
            .join(", ")}${
            threads > 1
              ? ` (to its 1 thread: ${ratios(peer1Runs)
                  .map((x) => x.toFixed(3))
                  .join(", ")})`
              : ""
          }; figures are medians`,
      );
    }
  }
  if (qualityIters > 0) {
    const ourVals: number[] = [];
    const torchVals: number[] = [];
    const warmup = Math.floor(qualityIters / 10);
    for (const seed of seeds) {
      ourVals.push((await ours(shape, data, qualityIters, seed, 20)).val);
      if (!peer.unavailable) {
        const pq = runPeer({ ...peerBase, max_iters: qualityIters, warmup, seed }, dir);
        if (pq.val_loss !== undefined) torchVals.push(pq.val_loss);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    figures.quality_iters = qualityIters;
    figures.quality_seeds = seeds.length;
    figures.val_loss = Number(mean(ourVals).toFixed(4));
    if (torchVals.length === seeds.length) {
      figures.torch_val_loss = Number(mean(torchVals).toFixed(4));
      figures.val_loss_gap = Number((mean(ourVals) - mean(torchVals)).toFixed(4));
    }
    notes.push(
      `quality: ${qualityIters} steps × seeds ${seeds.join(", ")}, lr 1e-3 → 1e-4 cosine, warmup ${warmup}, clip 1, AdamW(0.9, 0.99, wd 0.1); val loss = mean over 20 batches, then over seeds`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { name: "gpt", figures, notes };
}
