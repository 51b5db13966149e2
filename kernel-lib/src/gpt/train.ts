/**
 * The training loop: sample a batch, compute the loss and its gradient, clip, take an AdamW step,
 * repeat — with the safety rails a long run needs: hyperparameters checked before the first
 * step, a NaN/Inf loss stops the run *before* it can poison the weights, a stop flag checked
 * every step (a notebook interrupt leaves a usable model), and a seeded random stream that a
 * checkpoint saves, so a resumed run continues exactly where it stopped.
 */
import { makeRng, Rng } from "../util/random";
import { Batch, getBatch } from "./data";
import type { Gpt } from "./model";
import { AdamW, clippedStep, learningRateAt, ScheduleOptions } from "./optim";

/** Hyperparameters of a training run. */
export interface TrainConfig {
  /** Optimizer steps in total. */
  maxIters: number;
  /** Sequences per step. */
  batchSize: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Final learning rate of the cosine; default learningRate / 10. */
  minLr?: number;
  /** Linear warmup steps; default min(100, maxIters / 10). */
  warmupIters?: number;
  /** Step where the cosine ends; default maxIters. */
  decayIters?: number;
  /** AdamW's decoupled weight decay; default 0.1. */
  weightDecay?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.99 (nanoGPT's choice for small models). */
  beta2?: number;
  /** Clip the global gradient norm to this; 0 = off. Default 1. */
  gradClip?: number;
  /** Evaluate every this many steps (and at the end). */
  evalInterval: number;
  /** Batches per evaluation of each split; default 20. */
  evalIters?: number;
  /** Seed of batch sampling and dropout. */
  seed: number;
}

/** The resolved config: every optional field filled. */
export type FullTrainConfig = Required<TrainConfig>;

function num(value: unknown, field: string, ok: (v: number) => boolean, rule: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`${field} must be ${rule}, got ${JSON.stringify(value)}`);
  }
}
const isInt = (min: number) => (v: number) => Number.isInteger(v) && v >= min;

/**
 * Fill the defaults and check every field against the model and data: messages name the field
 * and its value, e.g. `learningRate must be a number > 0, got -1`.
 */
export function resolveTrainConfig(c: TrainConfig, data?: { train: Int32Array; val: Int32Array }, blockSize?: number): FullTrainConfig {
  num(c.maxIters, "maxIters", isInt(1), "an integer >= 1");
  num(c.batchSize, "batchSize", isInt(1), "an integer >= 1");
  num(c.learningRate, "learningRate", (v) => v > 0 && v <= 10, "a number > 0 (and ≤ 10)");
  num(c.evalInterval, "evalInterval", isInt(1), "an integer >= 1");
  num(c.seed, "seed", Number.isInteger, "an integer");
  const full: FullTrainConfig = {
    minLr: c.learningRate / 10,
    warmupIters: Math.min(100, Math.floor(c.maxIters / 10)),
    decayIters: c.maxIters,
    weightDecay: 0.1,
    beta1: 0.9,
    beta2: 0.99,
    gradClip: 1,
    evalIters: 20,
    ...c,
  };
  num(full.minLr, "minLr", (v) => v >= 0 && v <= c.learningRate, `a number in [0, learningRate=${c.learningRate}]`);
  num(full.warmupIters, "warmupIters", isInt(0), "an integer >= 0");
  num(full.decayIters, "decayIters", isInt(1), "an integer >= 1");
  num(full.weightDecay, "weightDecay", (v) => v >= 0, "a number >= 0");
  num(full.beta1, "beta1", (v) => v >= 0 && v < 1, "a number in [0, 1)");
  num(full.beta2, "beta2", (v) => v >= 0 && v < 1, "a number in [0, 1)");
  num(full.gradClip, "gradClip", (v) => v >= 0, "a number >= 0 (0 = no clipping)");
  num(full.evalIters, "evalIters", isInt(1), "an integer >= 1");
  if (data && blockSize !== undefined) {
    for (const split of ["train", "val"] as const) {
      if (data[split].length < blockSize + 1) {
        throw new RangeError(
          `blockSize=${blockSize} needs at least ${blockSize + 1} tokens in the ${split} split, but it has ${data[split].length}; use a smaller blockSize or more text`,
        );
      }
    }
  }
  return full;
}

/** What `onStep` receives after every optimizer step. */
export interface StepInfo {
  /** Steps completed (1 after the first). */
  step: number;
  maxIters: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Training throughput so far (evaluation time excluded). */
  tokensPerSecond: number;
}

/** One evaluation: mean loss over `evalIters` random batches of each split. */
export interface EvalInfo {
  step: number;
  train: number;
  val: number;
}

/** Why `run` returned. */
export type StopReason = "done" | "stopped" | "nan";

/** What `run` returns. */
export interface RunResult {
  reason: StopReason;
  /** Human-readable account, e.g. "loss became NaN at step 41; kept the weights of step 40". */
  message: string;
  step: number;
  /** Train loss of every step of this run and the ones before it (index = step − 1). */
  losses: number[];
  evals: EvalInfo[];
  tokensPerSecond: number;
  seconds: number;
}

/** Options of `Trainer.run`. */
export interface RunOptions {
  /** Checked before every step: once aborted, the run ends after the current step (reason "stopped"). */
  signal?: AbortSignal;
  /** Stop after this many total steps (default maxIters). */
  until?: number;
  onStep?: (s: StepInfo) => void;
  onEval?: (e: EvalInfo) => void;
  /** Give the event loop a turn this often (ms) so a notebook can interrupt and redraw; default 100. */
  yieldMs?: number;
  /** Called with the trainer every `checkpointEvery` steps and when the run ends (save a checkpoint there). */
  onCheckpoint?: (t: Trainer) => void | Promise<void>;
  checkpointEvery?: number;
}

/** The mutable state a checkpoint must hold to resume exactly. */
export interface TrainerState {
  step: number;
  rngState: number;
  losses: number[];
  evals: EvalInfo[];
}

/** Owns a model, its AdamW state and the random stream; `run` trains until done or stopped. */
export class Trainer {
  readonly model: Gpt;
  readonly config: FullTrainConfig;
  readonly optimizer: AdamW;
  readonly data: { train: Int32Array; val: Int32Array };
  step = 0;
  losses: number[] = [];
  evals: EvalInfo[] = [];
  private readonly rng: Rng;
  private readonly schedule: ScheduleOptions;
  private trainSeconds = 0;
  private trainTokens = 0;

  constructor(model: Gpt, data: { train: Int32Array; val: Int32Array }, config: TrainConfig) {
    this.model = model;
    this.config = resolveTrainConfig(config, data, model.config.blockSize);
    this.data = data;
    for (const split of [data.train, data.val]) {
      for (let i = 0; i < split.length; i++) {
        if (!(split[i] >= 0 && split[i] < model.config.vocabSize)) {
          throw new RangeError(`data holds token id ${split[i]} at position ${i}, outside the model's vocabSize ${model.config.vocabSize}`);
        }
      }
    }
    this.optimizer = new AdamW(model.params, { beta1: this.config.beta1, beta2: this.config.beta2, weightDecay: this.config.weightDecay });
    this.rng = makeRng(this.config.seed);
    this.schedule = {
      learningRate: this.config.learningRate,
      minLr: this.config.minLr,
      warmupIters: this.config.warmupIters,
      decayIters: this.config.decayIters,
    };
  }

  /** Learning rate of the next step. */
  currentLr(): number {
    return learningRateAt(this.step, this.schedule);
  }

  /** Everything besides tensors that a checkpoint needs. */
  getState(): TrainerState {
    return { step: this.step, rngState: this.rng.getState(), losses: [...this.losses], evals: this.evals.map((e) => ({ ...e })) };
  }

  /** Restore `getState()`'s output (the tensors are restored by the checkpoint loader). */
  setState(s: TrainerState): void {
    this.step = s.step;
    this.optimizer.step = s.step;
    this.rng.setState(s.rngState);
    this.losses = [...s.losses];
    this.evals = s.evals.map((e) => ({ ...e }));
  }

  /** Mean loss over `evalIters` batches of `split`, no dropout; its own seeded stream (training's is untouched). */
  evaluate(split: "train" | "val", iters = this.config.evalIters): number {
    const rng = makeRng(this.config.seed * 7919 + this.step * 104729 + (split === "val" ? 1 : 0));
    const T = this.model.config.blockSize;
    let sum = 0;
    for (let i = 0; i < iters; i++) {
      const b = getBatch(this.data[split], this.config.batchSize, T, rng);
      const loss = this.model.loss(b.x, b.y, b.batch, b.seq);
      sum += loss.dataSync()[0];
      loss.dispose();
    }
    return sum / iters;
  }

  /**
   * One optimizer step. Returns the loss and gradient norm, or `null` (weights untouched) when
   * either is NaN/Inf.
   */
  trainStep(): { loss: number; gradNorm: number; lr: number } | null {
    const dropoutSeed = this.rng.int(2 ** 31);
    const batch: Batch = getBatch(this.data.train, this.config.batchSize, this.model.config.blockSize, this.rng);
    const lr = this.currentLr();
    const lossFn = () => this.model.loss(batch.x, batch.y, batch.batch, batch.seq, { training: true, dropoutSeed });
    const { loss, gradNorm, applied } = clippedStep(this.optimizer, this.model.variables(), lossFn, lr, this.config.gradClip);
    if (!applied) return null;
    this.step++;
    this.losses.push(loss);
    return { loss, gradNorm, lr };
  }

  private recordEval(onEval?: (e: EvalInfo) => void): void {
    if (this.evals.length > 0 && this.evals[this.evals.length - 1].step === this.step) return;
    const e = { step: this.step, train: this.evaluate("train"), val: this.evaluate("val") };
    this.evals.push(e);
    onEval?.(e);
  }

  /** Train until `until` (default maxIters) steps, a stop signal, or a NaN loss. */
  async run(options: RunOptions = {}): Promise<RunResult> {
    const until = Math.min(options.until ?? this.config.maxIters, this.config.maxIters);
    const yieldMs = options.yieldMs ?? 100;
    const started = performance.now();
    let lastYield = started;
    let reason: StopReason = "done";
    let message = "";
    if (this.step % this.config.evalInterval === 0) this.recordEval(options.onEval);
    while (this.step < until) {
      if (options.signal?.aborted) {
        reason = "stopped";
        message = `stopped at step ${this.step} of ${this.config.maxIters}; the model keeps the weights of step ${this.step}`;
        break;
      }
      const t0 = performance.now();
      const r = this.trainStep();
      if (r === null) {
        reason = "nan";
        message = `loss became NaN/Inf at step ${this.step + 1}; training stopped and kept the weights of step ${this.step} (try a lower learningRate or gradClip)`;
        break;
      }
      this.trainSeconds += (performance.now() - t0) / 1000;
      this.trainTokens += this.config.batchSize * this.model.config.blockSize;
      options.onStep?.({
        step: this.step,
        maxIters: this.config.maxIters,
        loss: r.loss,
        lr: r.lr,
        gradNorm: r.gradNorm,
        tokensPerSecond: this.tokensPerSecond(),
      });
      if (this.step % this.config.evalInterval === 0 || this.step === this.config.maxIters) this.recordEval(options.onEval);
      if (options.onCheckpoint && options.checkpointEvery && this.step % options.checkpointEvery === 0) await options.onCheckpoint(this);
      if (performance.now() - lastYield > yieldMs) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    if (reason === "done") message = `trained ${this.step} steps`;
    if (options.onCheckpoint) await options.onCheckpoint(this);
    return {
      reason,
      message,
      step: this.step,
      losses: [...this.losses],
      evals: this.evals.map((e) => ({ ...e })),
      tokensPerSecond: this.tokensPerSecond(),
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Training tokens per second of compute so far in this process. */
  tokensPerSecond(): number {
    return this.trainSeconds > 0 ? this.trainTokens / this.trainSeconds : 0;
  }

  /** Free the optimizer state (the model stays). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
