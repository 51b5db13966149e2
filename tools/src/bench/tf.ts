import { execFileSync } from "child_process";
import * as os from "os";
import { performance } from "perf_hooks";
import * as tf from "@tensorflow/tfjs";
import type { BenchResult } from "./types";
import { makeRng, initTf, BLAS_ENV, blasStatus, registerMissingKernels, seededNormal, seededVariable, WASM_THREADS_ENV, wasmThreadCount } from "kernel-lib";
import { median } from "./stats";

/** To two decimals, for the figures. */
const round = (x: number) => Math.round(x * 100) / 100;

/** Median GFLOP/s of an n×n by n×n matMul (2n³ floating-point operations), after one warm-up. */
export function matmulGflops(n: number, runs: number): number {
  const rng = makeRng(n);
  const a = seededNormal([n, n], 1, rng);
  const b = seededNormal([n, n], 1, rng);
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const dt = performance.now() - t0;
    c.dispose();
    if (r > 0) times.push(dt);
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (median(times) / 1000) / 1e9;
}

/**
 * Median milliseconds of one Adam step of a small language-model head: embedding lookup (gather),
 * tanh, a dense layer to the vocabulary and softmax cross-entropy, over `tokens` tokens.
 */
export function trainStepMs(steps: number, opts: { vocab?: number; dim?: number; tokens?: number } = {}): number {
  const V = opts.vocab ?? 256;
  const D = opts.dim ?? 128;
  const N = opts.tokens ?? 256;
  const rng = makeRng(1);
  const emb = seededVariable([V, D], rng);
  const w = seededVariable([D, V], rng);
  const opt = tf.train.adam(1e-3);
  const times: number[] = [];
  for (let s = 0; s <= steps + 1; s++) {
    const x = Array.from({ length: N }, () => rng.int(V));
    const ids = tf.tensor1d(x, "int32");
    const labels = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          x.map((t) => (t * 7 + 1) % V),
          "int32",
        ),
        V,
      ),
    );
    const t0 = performance.now();
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, tf.tanh(tf.gather(emb, ids)).matMul(w)) as tf.Scalar, true);
    loss?.dataSync();
    const dt = performance.now() - t0;
    tf.dispose([ids, labels, loss as tf.Tensor]);
    if (s > 1) times.push(dt);
  }
  opt.dispose();
  tf.dispose([emb, w]);
  return median(times);
}

/** wasm matMul GFLOP/s at n² in a fresh process with extra environment variables, or null if it fails. */
function childWasmGflops(n: number, runs: number, extraEnv: Record<string, string>): number | null {
  const script =
    `const b = require(${JSON.stringify(require.resolve("kernel-lib"))});` +
    `const m = require(${JSON.stringify(__filename)});` +
    `b.initTf({ quiet: true, backend: "wasm" }).then(() => process.stdout.write(String(m.matmulGflops(${n}, ${runs}))));`;
  try {
    const out = execFileSync(process.execPath, ["-e", script], { env: { ...process.env, ...extraEnv }, encoding: "utf8", timeout: 120_000 });
    return Number(out);
  } catch {
    return null;
  }
}

/**
 * `llm-lessons bench backends`: matMul GFLOP/s (256² and 512²) and the step time of a small
 * embedding + matMul training step on every tfjs backend that loads here; for wasm with native
 * BLAS, also the wasm build's own (XNNPACK) matMul, else its speed-up from threads.
 */
export async function bench(opts: { quick: boolean }): Promise<BenchResult> {
  const info = await initTf({ quiet: true });
  const notes: string[] = [
    `default backend: ${info.backend} (${info.reason})`,
    `medians of ${opts.quick ? 3 : 7} runs after a warm-up; load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores` +
      " (timings on a shared, loaded machine vary)",
  ];
  const backends = ["cpu", "wasm"];
  if (tf.findBackendFactory("tensorflow") != null) backends.unshift("tensorflow");
  else notes.push("tensorflow backend: @tensorflow/tfjs-node is not installed (see README, Backends)");
  const runs = opts.quick ? 3 : 7;
  const figures: Record<string, number | string> = { default_backend: info.backend, gpu: String(info.gpu) };
  for (const name of backends) {
    if (!(await tf.setBackend(name).catch(() => false))) {
      notes.push(`${name}: failed to start`);
      continue;
    }
    registerMissingKernels();
    figures[`${name}_matmul256_gflops`] = round(matmulGflops(256, runs));
    figures[`${name}_matmul512_gflops`] = round(matmulGflops(512, name === "cpu" && opts.quick ? 1 : runs));
    figures[`${name}_train_step_ms`] = round(trainStepMs(name === "cpu" ? Math.min(runs, 3) : runs));
  }
  if (figures.wasm_matmul512_gflops != null) {
    const blas = blasStatus();
    figures.wasm_native_blas = blas?.available ? `on, ${blas.threads} thread${blas.threads === 1 ? "" : "s"}` : "off";
    if (blas?.available) {
      // The same product on the wasm build itself (XNNPACK), on its default threads and on one.
      const xnn = childWasmGflops(512, runs, { [BLAS_ENV]: "0" });
      const xnn1 = childWasmGflops(512, runs, { [BLAS_ENV]: "0", [WASM_THREADS_ENV]: "1" });
      if (xnn != null) figures.wasm_xnnpack_matmul512_gflops = round(xnn);
      if (xnn1 != null) figures.wasm_xnnpack_1_thread_matmul512_gflops = round(xnn1);
      if (xnn != null) figures.native_blas_speedup_matmul512 = round((figures.wasm_matmul512_gflops as number) / xnn);
    } else {
      const wasmThreads = wasmThreadCount();
      figures.wasm_threads = wasmThreads;
      const single = wasmThreads > 1 ? childWasmGflops(512, runs, { [WASM_THREADS_ENV]: "1" }) : null;
      if (single != null) {
        figures.wasm_1_thread_matmul512_gflops = round(single);
        figures.wasm_thread_speedup_matmul512 = round((figures.wasm_matmul512_gflops as number) / single);
      }
    }
  }
  await tf.setBackend(info.backend);
  notes.push("train step: vocab 256, dim 128, 256 tokens, gather + tanh + matMul + softmax cross-entropy + Adam");
  return { name: "backends", figures, notes };
}
