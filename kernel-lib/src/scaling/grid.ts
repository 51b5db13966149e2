/**
 * The scaling sweep's grid and its trainer: tiny character-level GPTs of several sizes, each
 * trained for several token budgets with the same data and the same schedule rule (linear warmup
 * over the first 10 % of its steps, then a cosine down to lr/10 exactly at its last step — a run
 * "matched to its length", as Chinchilla does, rather than one long run cut short).
 *
 * N is counted as *non-embedding* parameters (Kaplan et al. 2020's convention): everything except
 * the token and position tables. With tied input/output embeddings the LM head adds nothing. For
 * tiny models the embedding tables are a large share of all weights, and counting them bends the
 * small-model end of the curve.
 */
import { createGpt, type Gpt } from "../gpt/model";
import { gptParamCount, makeConfig, type GptConfig } from "../gpt/config";
import { Trainer, type StepInfo } from "../gpt/train";
import type { TokenData } from "../gpt/data";
import type { SweepOutcome, SweepRunSpec, SweepFile } from "./sweep";
import type { ScalingPoint } from "./validate";

/** One model size of the grid. */
export interface ScalingModelShape {
  nLayer: number;
  nEmbd: number;
  nHead: number;
  /** Extra step counts for this shape only (e.g. a longer budget the small models can afford). */
  extraSteps?: readonly number[];
}

/** Everything one sweep run needs (stored with its result in the sweep file). */
export interface ScalingRunConfig extends ScalingModelShape {
  vocabSize: number;
  blockSize: number;
  batchSize: number;
  /** Optimizer steps; tokens seen D = steps · batchSize · blockSize. */
  steps: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Seed of the weights and of batch sampling. */
  seed: number;
  /** Fixed validation windows for the final loss (same windows for every run). */
  evalWindows: number;
}

/** What `buildScalingGrid` takes. */
export interface ScalingGridOptions {
  shapes: readonly ScalingModelShape[];
  /** Step counts (token budgets) every shape trains for. */
  steps: readonly number[];
  vocabSize: number;
  blockSize: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  evalWindows?: number;
}

/** Non-embedding parameters of a GPT config: the total minus token and position tables (and an untied head). */
export function nonEmbeddingParams(config: GptConfig): number {
  const C = config.nEmbd;
  const tables = config.vocabSize * C + (config.positions === "learned" ? config.blockSize * C : 0) + (config.tieWeights ? 0 : config.vocabSize * C);
  return gptParamCount(config) - tables;
}

/** The GPT config of a sweep run (library defaults: GELU, learned positions, tied head, no dropout). */
export function scalingGptConfig(c: Pick<ScalingRunConfig, "vocabSize" | "blockSize" | "nLayer" | "nEmbd" | "nHead">): GptConfig {
  return makeConfig({ vocabSize: c.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd, dropout: 0 });
}

/** Tokens a run trains on: steps · batchSize · blockSize. */
export function runTokens(c: Pick<ScalingRunConfig, "steps" | "batchSize" | "blockSize">): number {
  return c.steps * c.batchSize * c.blockSize;
}

/** A run's id, e.g. "L2-C48-S180": layers, width, steps. */
export function scalingRunId(c: Pick<ScalingRunConfig, "nLayer" | "nEmbd" | "steps">): string {
  return `L${c.nLayer}-C${c.nEmbd}-S${c.steps}`;
}

/** The schedule rule shared by every run: warmup over 10 % of the steps, cosine to lr/10 at the last step. */
export function scalingSchedule(steps: number, learningRate: number): { warmupIters: number; decayIters: number; minLr: number } {
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  return { warmupIters: Math.max(1, Math.round(steps / 10)), decayIters: steps, minLr: learningRate / 10 };
}

/** One run's settings: a shape trained for `steps` with the grid's shared options (evalWindows 256 by default). */
export function scalingRunConfig(shape: ScalingModelShape, steps: number, o: Omit<ScalingGridOptions, "shapes" | "steps">): ScalingRunConfig {
  return {
    nLayer: shape.nLayer,
    nEmbd: shape.nEmbd,
    nHead: shape.nHead,
    vocabSize: o.vocabSize,
    blockSize: o.blockSize,
    batchSize: o.batchSize,
    steps,
    learningRate: o.learningRate,
    seed: o.seed,
    evalWindows: o.evalWindows ?? 256,
  };
}

/**
 * Every (shape, steps) pair as sweep run specs, cheapest first (cost ∝ N·D), so an interrupted
 * sweep has the most finished runs and the results file fills from the small end.
 */
export function buildScalingGrid(o: ScalingGridOptions): SweepRunSpec<ScalingRunConfig>[] {
  if (o.shapes.length === 0) throw new RangeError("shapes must hold at least one model shape, got 0");
  if (o.steps.length === 0) throw new RangeError("steps must hold at least one step count, got 0");
  const runs: { spec: SweepRunSpec<ScalingRunConfig>; cost: number }[] = [];
  for (const shape of o.shapes) {
    const gpt = scalingGptConfig({ ...shape, vocabSize: o.vocabSize, blockSize: o.blockSize }); // validates the shape
    for (const steps of [...o.steps, ...(shape.extraSteps ?? [])]) {
      if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be integers >= 1, got ${steps}`);
      const config = scalingRunConfig(shape, steps, o);
      runs.push({ spec: { id: scalingRunId(config), config }, cost: gptParamCount(gpt) * runTokens(config) });
    }
  }
  return runs.sort((a, b) => a.cost - b.cost).map((r) => r.spec);
}

/**
 * Mean next-token loss over `windows` fixed, evenly spaced windows of `val` — the same text for
 * every run, so differences between runs are the models', not the evaluation batches'.
 */
export function fixedWindowLoss(model: Gpt, val: Int32Array, windows: number, batch = 32): number {
  const T = model.config.blockSize;
  if (val.length < T + 1) throw new RangeError(`val holds ${val.length} tokens, fewer than blockSize + 1 = ${T + 1}`);
  if (!(Number.isInteger(windows) && windows >= 1)) throw new RangeError(`windows must be an integer >= 1, got ${windows}`);
  const span = val.length - T - 1;
  let sum = 0;
  for (let start = 0; start < windows; start += batch) {
    const b = Math.min(batch, windows - start);
    const x = new Int32Array(b * T);
    const y = new Int32Array(b * T);
    for (let i = 0; i < b; i++) {
      const at = windows === 1 ? 0 : Math.floor(((start + i) * span) / (windows - 1));
      x.set(val.subarray(at, at + T), i * T);
      y.set(val.subarray(at + 1, at + T + 1), i * T);
    }
    const loss = model.loss(x, y, b, T);
    sum += loss.dataSync()[0] * b;
    loss.dispose();
  }
  const mean = sum / windows;
  if (!Number.isFinite(mean)) throw new Error(`validation loss is ${mean}: the model diverged`);
  return mean;
}

/** Options of `trainScalingRun`. */
export interface ScalingTrainOptions {
  /** Checked before every step: once aborted, the run ends after the current step and is not recorded (throws). */
  signal?: AbortSignal;
  onStep?: (s: StepInfo) => void;
}

/** What one sweep run records. */
export interface ScalingOutcome extends SweepOutcome {
  /** All parameters, embeddings included. */
  totalParams: number;
  tokensPerSecond: number;
  steps: number;
}

/**
 * Train one run of the grid with the gpt module and return (N, D, final val loss). Throws when
 * the run is stopped or diverges, so a sweep never records a half-trained run as finished.
 */
export async function trainScalingRun(config: ScalingRunConfig, data: TokenData, options: ScalingTrainOptions = {}): Promise<ScalingOutcome> {
  if (data.tokenizer.vocabSize !== config.vocabSize) {
    throw new RangeError(`config.vocabSize is ${config.vocabSize} but the data's tokenizer has ${data.tokenizer.vocabSize} symbols`);
  }
  const gpt = scalingGptConfig(config);
  const model = createGpt(gpt, { seed: config.seed });
  const trainer = new Trainer(model, data, {
    maxIters: config.steps,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    ...scalingSchedule(config.steps, config.learningRate),
    evalInterval: config.steps + 1, // no periodic evaluation: only the fixed-window one below
    evalIters: 1,
    seed: config.seed,
  });
  try {
    const r = await trainer.run({ signal: options.signal, onStep: options.onStep });
    if (r.reason !== "done") throw new Error(`run ${scalingRunId(config)} did not finish: ${r.message}`);
    const window = Math.max(1, Math.min(50, Math.round(r.losses.length / 10)));
    const tail = r.losses.slice(-window);
    return {
      N: nonEmbeddingParams(gpt),
      D: runTokens(config),
      valLoss: fixedWindowLoss(model, data.val, config.evalWindows),
      trainLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
      totalParams: gptParamCount(gpt),
      tokensPerSecond: r.tokensPerSecond,
      steps: r.step,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** A sweep file's runs as (N, D, loss) points for the fits, optionally filtered. */
export function sweepPoints<C>(
  sweep: Pick<SweepFile<C>, "runs">,
  keep: (r: SweepFile<C>["runs"][number]) => boolean = () => true,
): (ScalingPoint & { id: string })[] {
  return sweep.runs.filter(keep).map((r) => ({ id: r.id, N: r.N, D: r.D, loss: r.valLoss }));
}
