/**
 * The optimizer side of post-training, reusing the GPT's machinery (AdamW, global-norm clipping,
 * warmup + cosine): `FineTuner` takes any loss of the parameters it owns and applies one step.
 * `cloneGpt` makes the frozen reference model — a separate copy of the weights that no optimizer
 * ever sees.
 */
import * as tf from "@tensorflow/tfjs";
import { createGpt, Gpt, NamedParam } from "../gpt/model";
import { AdamW, clippedStep, learningRateAt } from "../gpt/optim";

/** An independent copy of `model` (same config, same weights, its own variables). */
export function cloneGpt(model: Gpt): Gpt {
  const copy = createGpt(model.config);
  copy.params.forEach((p, i) => p.variable.assign(model.params[i].variable));
  return copy;
}

/** Settings of a fine-tuning run. */
export interface FineTuneOptions {
  learningRate: number;
  /** Optimizer steps in total (the schedule's length). */
  steps: number;
  /** Linear warmup steps; default 0. */
  warmupSteps?: number;
  /** Final learning rate of the cosine; default = learningRate (constant after warmup). */
  minLr?: number;
  /** AdamW's decoupled weight decay; default 0 (fine-tuning keeps the weights where they are). */
  weightDecay?: number;
  /** Clip the global gradient norm; 0 = off. Default 1. */
  gradClip?: number;
}

/** What one step returns. */
export interface FineTuneStep {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
}

/** AdamW + clipping + schedule over a fixed list of parameters; `step(lossFn)` trains on one loss. */
export class FineTuner {
  readonly params: NamedParam[];
  readonly optimizer: AdamW;
  readonly options: Required<FineTuneOptions>;
  stepCount = 0;

  constructor(params: NamedParam[], options: FineTuneOptions) {
    if (!(options.learningRate > 0)) throw new RangeError(`learningRate must be > 0, got ${options.learningRate}`);
    if (!(Number.isInteger(options.steps) && options.steps >= 1)) throw new RangeError(`steps must be an integer >= 1, got ${options.steps}`);
    this.options = { warmupSteps: 0, minLr: options.learningRate, weightDecay: 0, gradClip: 1, ...options };
    this.params = params;
    this.optimizer = new AdamW(params, { weightDecay: this.options.weightDecay });
  }

  /** Learning rate of the next step. */
  currentLr(): number {
    const o = this.options;
    return learningRateAt(this.stepCount, { learningRate: o.learningRate, minLr: o.minLr, warmupIters: o.warmupSteps, decayIters: o.steps });
  }

  /**
   * One step on `lossFn()` (a scalar built from the owned parameters). Throws, with the weights
   * untouched, when the loss or gradient is NaN/Inf.
   */
  step(lossFn: () => tf.Scalar): FineTuneStep {
    const lr = this.currentLr();
    const { loss, gradNorm, applied } = clippedStep(
      this.optimizer,
      this.params.map((p) => p.variable),
      lossFn,
      lr,
      this.options.gradClip,
    );
    if (!applied)
      throw new Error(`step ${this.stepCount + 1}: loss ${loss}, gradient norm ${gradNorm}; the weights were left unchanged (try a lower learningRate)`);
    this.stepCount++;
    return { step: this.stepCount, loss, gradNorm, lr };
  }

  /** Free the optimizer's moments (the parameters stay). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
