/**
 * Full-batch training of the grokking MLP: every step sees all training pairs (one step = one
 * epoch), AdamW with decoupled weight decay on every parameter, and an evaluation at log-spaced
 * early steps and every `evalEvery` steps: train and validation loss and accuracy, the total
 * weight norm and the Fourier concentration (Gini) of the embedding.
 */
import * as tf from "@tensorflow/tfjs";
import { AdamW } from "../gpt/optim";
import type { ModularSplit } from "./data";
import { fourierConcentration } from "./fourier";
import type { OptimParam } from "../gpt/optim";
import { type ModMlpParams, embeddingMatrix, modMlpEvaluate, modMlpLoss, modMlpOptimParams, weightNorm } from "./mlp";
import {
  type ModTransformerConfig,
  type ModTransformerParams,
  modTransformerEvaluate,
  modTransformerLoss,
  modTransformerOptimParams,
  transformerNumberEmbedding,
} from "./transformer";
import type { ModularSet } from "./data";

/** What the training loop needs of a model: its parameters, its loss, its evaluation and its number embedding. */
export interface GrokModel {
  params: OptimParam[];
  loss(set: ModularSet): tf.Scalar;
  evaluate(set: ModularSet): { loss: number; accuracy: number };
  /** The embedding of the p numbers, row-major `[p, width]`. */
  numberEmbedding(): Float32Array;
  width: number;
}

/** The MLP as a GrokModel. */
export function mlpGrokModel(w: ModMlpParams): GrokModel {
  return {
    params: modMlpOptimParams(w),
    loss: (s) => modMlpLoss(w, s),
    evaluate: (s) => modMlpEvaluate(w, s),
    numberEmbedding: () => embeddingMatrix(w),
    width: w.E.shape[1] as number,
  };
}

/** The transformer as a GrokModel. */
export function transformerGrokModel(w: ModTransformerParams, c: ModTransformerConfig): GrokModel {
  return {
    params: modTransformerOptimParams(w),
    loss: (s) => modTransformerLoss(w, c, s),
    evaluate: (s) => modTransformerEvaluate(w, c, s),
    numberEmbedding: () => transformerNumberEmbedding(w, c),
    width: c.dModel,
  };
}

/** Optimiser and schedule of a grokking run. */
export interface GrokTrainOptions {
  steps: number;
  learningRate: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  /** Linear warmup: the learning rate at step t is lr·min(t / warmup, 1) (Nanda et al.: 10). Default 0: none. */
  warmup?: number;
  /** Evaluate every this many steps (and at steps 0, 1, 2, 4, … below it). */
  evalEvery: number;
  /** Stop early once validation accuracy has stayed ≥ this for `patience` evaluations (default: never). */
  stopAtValAcc?: number;
  patience?: number;
  /** Called after every evaluation (a live chart, a progress bar). */
  onEval?: (e: GrokEval) => void;
  /** Checked before every step: once aborted, the run ends. */
  signal?: AbortSignal;
}

/** One evaluation. */
export interface GrokEval {
  step: number;
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
  weightNorm: number;
  /** Gini coefficient of the embedding's Fourier power (DC dropped). */
  gini: number;
  /** Share of the 5 strongest frequencies. */
  top5: number;
}

/** What a run returns. */
export interface GrokRun {
  evals: GrokEval[];
  steps: number;
  seconds: number;
  /** Seconds per training step (evaluations excluded). */
  secondsPerStep: number;
}

/** Whether step `s` is evaluated: 0, powers of two below `every`, then every multiple of `every`. */
export function isEvalStep(s: number, every: number): boolean {
  if (s % every === 0) return true;
  return s < every && (s & (s - 1)) === 0;
}

/** One evaluation of the current weights. */
export function evaluateGrok(model: GrokModel, split: ModularSplit, step: number): GrokEval {
  const tr = model.evaluate(split.train);
  const va = model.evaluate(split.val);
  const c = fourierConcentration(model.numberEmbedding(), split.p, model.width);
  const norm = weightNorm(model.params.map((q) => q.variable));
  return { step, trainLoss: tr.loss, trainAcc: tr.accuracy, valLoss: va.loss, valAcc: va.accuracy, weightNorm: norm, gini: c.gini, top5: c.top5 };
}

/**
 * Train a model on `split.train`, full batch, with kernel-lib's AdamW; returns every evaluation.
 * `model` is the MLP's parameters (`initModMlp`) or any GrokModel (`transformerGrokModel`).
 */
export async function trainGrok(w: ModMlpParams | GrokModel, split: ModularSplit, o: GrokTrainOptions): Promise<GrokRun> {
  const model = "params" in w ? w : mlpGrokModel(w);
  if (!(Number.isInteger(o.steps) && o.steps >= 0)) throw new RangeError(`steps must be an integer >= 0, got ${o.steps}`);
  if (!(Number.isInteger(o.evalEvery) && o.evalEvery >= 1)) throw new RangeError(`evalEvery must be an integer >= 1, got ${o.evalEvery}`);
  const params = model.params;
  const vars = params.map((q) => q.variable);
  const opt = new AdamW(params, { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  const evals: GrokEval[] = [];
  let stepSeconds = 0;
  let good = 0;
  const t0 = performance.now();
  let step = 0;
  try {
    for (; ; step++) {
      if (isEvalStep(step, o.evalEvery) || step === o.steps) {
        const e = evaluateGrok(model, split, step);
        evals.push(e);
        o.onEval?.(e);
        good = o.stopAtValAcc !== undefined && e.valAcc >= o.stopAtValAcc ? good + 1 : 0;
        if (o.stopAtValAcc !== undefined && good >= (o.patience ?? 1)) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (step >= o.steps || o.signal?.aborted) break;
      const ts = performance.now();
      const { value, grads } = tf.variableGrads(() => model.loss(split.train), vars);
      const lr = o.warmup ? o.learningRate * Math.min(step / o.warmup, 1) : o.learningRate;
      opt.apply(
        vars.map((v) => grads[v.name]),
        lr,
      );
      tf.dispose([value, grads]);
      stepSeconds += (performance.now() - ts) / 1000;
    }
  } finally {
    opt.dispose();
  }
  return { evals, steps: step, seconds: (performance.now() - t0) / 1000, secondsPerStep: stepSeconds / Math.max(1, step) };
}
