/**
 * The optimizer side of training: AdamW, global-norm gradient clipping and the warmup + cosine
 * learning-rate schedule — the recipe nanoGPT (and most LLM pretraining) uses.
 */
import * as tf from "@tensorflow/tfjs";
import { adamwUpdate, sumOfSquares } from "../tf/ops";

/** Hyperparameters of AdamW. */
export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay λ: each step multiplies decayed weights by (1 − lr·λ). */
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

/** One parameter as AdamW sees it. */
export interface OptimParam {
  name: string;
  variable: tf.Variable;
  decay: boolean;
}

/**
 * AdamW (Loshchilov & Hutter): Adam's per-parameter step m̂ / (√v̂ + ε), plus a weight decay that
 * is *decoupled* from the gradient — the weights shrink by lr·λ·w directly instead of λ·w being
 * added to the gradient (where Adam's normalisation would undo it). Decay applies only to
 * parameters with `decay` set (matrices: linear weights and embeddings, as in nanoGPT); biases
 * and LayerNorm gains are left alone.
 */
export class AdamW {
  readonly options: AdamWOptions;
  /** Number of updates applied so far (the t of the bias correction). */
  step = 0;
  private readonly params: OptimParam[];
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(params: OptimParam[], options: Partial<AdamWOptions> = {}) {
    this.options = { ...ADAMW_DEFAULTS, ...options };
    const o = this.options;
    if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${o.beta1}`);
    if (!(o.beta2 >= 0 && o.beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${o.beta2}`);
    if (!(o.eps > 0)) throw new RangeError(`eps must be > 0, got ${o.eps}`);
    if (!(o.weightDecay >= 0)) throw new RangeError(`weightDecay must be >= 0, got ${o.weightDecay}`);
    this.params = params;
    // tidy frees the zeros each variable starts from; the variables keep their data.
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
  }

  /**
   * Apply one update with learning rate `lr`; `grads[i]` belongs to `params[i]`, and every
   * gradient is multiplied by `gradScale` first (global-norm clipping's coefficient, applied
   * inside the update instead of as a tensor op per gradient).
   */
  apply(grads: tf.Tensor[], lr: number, gradScale = 1): void {
    if (grads.length !== this.params.length) throw new RangeError(`expected ${this.params.length} gradients, got ${grads.length}`);
    if (!(lr >= 0 && Number.isFinite(lr))) throw new RangeError(`learning rate must be a finite number >= 0, got ${lr}`);
    if (!(gradScale >= 0 && Number.isFinite(gradScale))) throw new RangeError(`gradScale must be a finite number >= 0, got ${gradScale}`);
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const c1 = 1 - Math.pow(beta1, this.step);
    const c2 = 1 - Math.pow(beta2, this.step);
    const stepSize = lr / c1;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const decay = p.decay && weightDecay > 0 ? 1 - lr * weightDecay : 1;
        p.variable.assign(adamwUpdate(p.variable, grads[i], this.m[i], this.v[i], { beta1, beta2, eps, stepSize, c2, decay, gradScale }));
      });
    });
  }

  /** The moment estimates, named `<param>.exp_avg` / `<param>.exp_avg_sq` (PyTorch's names). */
  state(): { name: string; tensor: tf.Variable }[] {
    return this.params.flatMap((p, i) => [
      { name: `${p.name}.exp_avg`, tensor: this.m[i] },
      { name: `${p.name}.exp_avg_sq`, tensor: this.v[i] },
    ]);
  }

  /** Free the moment estimates. */
  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

/**
 * Global-norm clipping: if ‖g‖ over *all* gradients together exceeds `maxNorm`, scale every
 * gradient by maxNorm / ‖g‖ (direction kept, step length capped — one bad batch cannot throw the
 * weights far). Returns the clipped gradients and the norm before clipping (a scalar tensor).
 * `maxNorm` 0 disables clipping.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    if (!(maxNorm > 0)) return { grads: grads.map((g) => tf.clone(g)), norm };
    // Same as PyTorch (and clipCoefficient): coef = maxNorm / (norm + 1e-6), clamped to at most 1.
    const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    return { grads: grads.map((g) => tf.mul(g, coef)), norm };
  });
}

/** PyTorch's clipping coefficient: maxNorm / (norm + 1e-6), at most 1; 1 when `maxNorm` is 0 (no clipping). */
export function clipCoefficient(norm: number, maxNorm: number): number {
  return maxNorm > 0 ? Math.min(maxNorm / (norm + 1e-6), 1) : 1;
}

/**
 * One clipped optimizer step on `lossFn` (a scalar built from `vars`): the gradients (zeros for a
 * variable the loss does not reach), global-norm clipping at `maxNorm` (0 = off), then
 * `optimizer.apply` at `lr`. Returns the loss and the gradient norm before clipping; when either is
 * NaN/Inf the weights are left untouched and `applied` is false. The `Trainer` and post-training's
 * `FineTuner` both step through it. What `clipByGlobalNorm` computes, without its tensor ops per
 * gradient: the norm is one `sumOfSquares` over all gradients, and the clipping coefficient goes
 * to the update (`gradScale`).
 */
export function clippedStep(
  optimizer: AdamW,
  vars: tf.Variable[],
  lossFn: () => tf.Scalar,
  lr: number,
  maxNorm: number,
): { loss: number; gradNorm: number; applied: boolean } {
  const { value, grads } = tf.variableGrads(lossFn, vars);
  const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  const squared = sumOfSquares(ordered);
  const [loss, gradNorm] = [value.dataSync()[0], Math.sqrt(squared.dataSync()[0])];
  const applied = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (applied) optimizer.apply(ordered, lr, clipCoefficient(gradNorm, maxNorm));
  tf.dispose([value, squared, ...Object.values(grads), ...ordered.filter((g, i) => g !== grads[vars[i].name])]);
  return { loss, gradNorm, applied };
}

/** The learning-rate schedule's settings. */
export interface ScheduleOptions {
  /** Peak learning rate, reached at the end of warmup. */
  learningRate: number;
  /** Floor the cosine decays to. */
  minLr: number;
  /** Linear warmup steps. */
  warmupIters: number;
  /** Step where the cosine reaches minLr (usually maxIters). */
  decayIters: number;
}

/**
 * Learning rate at step `it` (0-based), nanoGPT's `get_lr`: a linear warmup (large steps on
 * random weights blow up Adam's early, noisy moment estimates), then a half cosine from
 * learningRate down to minLr at decayIters, then minLr.
 */
export function learningRateAt(it: number, s: ScheduleOptions): number {
  if (it < s.warmupIters) return (s.learningRate * (it + 1)) / (s.warmupIters + 1);
  if (it >= s.decayIters) return s.minLr;
  const ratio = (it - s.warmupIters) / Math.max(1, s.decayIters - s.warmupIters);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio));
  return s.minLr + coeff * (s.learningRate - s.minLr);
}
