import { checkClassIds } from "./labels";
import { CsrMatrix } from "./sparse";

/**
 * Multinomial logistic regression (softmax regression) on sparse features, trained by full-batch
 * gradient descent with Nesterov momentum.
 *
 * Model: score_c(x) = w_c · x + b_c, P(c | x) = exp(score_c) / Σ_k exp(score_k).
 * Objective: mean cross-entropy + (l2 / 2) · ||W||² (the bias is not penalised). This is
 * scikit-learn's LogisticRegression(multi_class="multinomial") with C = 1 / (l2 · nTrain).
 * The objective is convex and training starts from zero weights on the whole batch, so the
 * result is deterministic: no seed is needed (the randomness of the lesson is in the split).
 */
export interface SoftmaxOptions {
  /** L2 penalty strength (default 1e-4). Larger = simpler model, smaller weights. */
  l2?: number;
  /** Maximum number of gradient steps (default 2000). */
  maxIter?: number;
  /** Stop when the largest gradient entry is below this (default 1e-4, as scikit-learn). */
  tol?: number;
  /** Step size; default 1 / L with L the Lipschitz bound 0.5 · max‖[x, 1]‖² + l2 (always stable). */
  learningRate?: number;
  /** Called after every step with the objective value (for live loss charts). */
  onStep?: (step: number, loss: number) => void;
  /** Checked before every step: once aborted, training ends and returns the model so far. */
  signal?: AbortSignal;
}

/** A trained softmax-regression classifier. */
export class SoftmaxRegression {
  constructor(
    /** Number of input features (vocabulary size). */
    readonly nFeatures: number,
    /** Number of classes. */
    readonly nClasses: number,
    /** Weights, feature-major: weights[j * nClasses + c] is feature j's weight for class c. */
    readonly weights: Float64Array,
    /** Bias per class. */
    readonly bias: Float64Array,
    /** Objective value after each step. */
    readonly lossHistory: number[],
    /** Whether the gradient tolerance was reached. */
    readonly converged: boolean,
  ) {}

  /** Class scores (logits) of every row of X, row-major nRows × nClasses. */
  scores(X: CsrMatrix): Float64Array {
    if (X.nCols !== this.nFeatures) throw new RangeError(`X has ${X.nCols} columns but the model has ${this.nFeatures} features`);
    return logits(X, this.weights, this.bias, this.nClasses);
  }

  /** Class probabilities of every row, as one Float64Array per row. */
  predictProba(X: CsrMatrix): Float64Array[] {
    const z = this.scores(X);
    const K = this.nClasses;
    const out: Float64Array[] = [];
    for (let i = 0; i < X.nRows; i++) {
      const p = z.slice(i * K, i * K + K);
      softmaxInPlace(p);
      out.push(p);
    }
    return out;
  }

  /** The most probable class id of every row. */
  predict(X: CsrMatrix): Int32Array {
    const z = this.scores(X);
    const K = this.nClasses;
    const out = new Int32Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (z[i * K + c] > z[i * K + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The weights of class c over all features (a new array). */
  classWeights(c: number): Float64Array {
    if (!Number.isInteger(c) || c < 0 || c >= this.nClasses) throw new RangeError(`class must be an integer in [0, ${this.nClasses}), got ${c}`);
    const out = new Float64Array(this.nFeatures);
    for (let j = 0; j < this.nFeatures; j++) out[j] = this.weights[j * this.nClasses + c];
    return out;
  }
}

/** Train a softmax-regression classifier on rows of X with class ids y in [0, nClasses). */
export async function trainSoftmaxRegression(X: CsrMatrix, y: ArrayLike<number>, nClasses: number, options: SoftmaxOptions = {}): Promise<SoftmaxRegression> {
  if (X.nRows === 0) throw new RangeError("X has no rows: nothing to train on");
  if (y.length !== X.nRows) throw new RangeError(`y has ${y.length} labels but X has ${X.nRows} rows`);
  checkClassIds(y, nClasses, "y");
  if (nClasses < 2) throw new RangeError(`nClasses must be >= 2, got ${nClasses}`);
  const l2 = options.l2 ?? 1e-4;
  const maxIter = options.maxIter ?? 2000;
  const tol = options.tol ?? 1e-4;
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new RangeError(`l2 must be a finite number >= 0, got ${l2}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new RangeError(`maxIter must be an integer >= 1, got ${maxIter}`);
  if (!(tol > 0)) throw new RangeError(`tol must be > 0, got ${tol}`);
  let maxSq = 0;
  for (let i = 0; i < X.nRows; i++) {
    let s = 1;
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) s += X.data[k] * X.data[k];
    maxSq = Math.max(maxSq, s);
  }
  const lr = options.learningRate ?? 1 / (0.5 * maxSq + l2);
  if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`learningRate must be a finite number > 0, got ${lr}`);

  const K = nClasses;
  const P = X.nCols * K;
  // Parameters are [weights (feature-major), bias] in one vector θ; v is the look-ahead point.
  const theta = new Float64Array(P + K);
  const prev = new Float64Array(P + K);
  const v = new Float64Array(P + K);
  const grad = new Float64Array(P + K);
  const history: number[] = [];
  let converged = false;
  let momentumStep = 0;
  let lastYield = Date.now();
  for (let step = 1; step <= maxIter; step++) {
    if (options.signal?.aborted) break;
    // Look-ahead point v = θ + β (θ − θ_prev), β = (k − 1) / (k + 2) (Nesterov).
    const beta = momentumStep === 0 ? 0 : (momentumStep - 1) / (momentumStep + 2);
    for (let p = 0; p < v.length; p++) v[p] = theta[p] + beta * (theta[p] - prev[p]);
    const loss = lossAndGradient(X, y, K, v, l2, grad);
    let gmax = 0;
    for (let p = 0; p < grad.length; p++) gmax = Math.max(gmax, Math.abs(grad[p]));
    // Step from v; restart momentum when it points uphill (O'Donoghue & Candès, 2015).
    let uphill = 0;
    for (let p = 0; p < theta.length; p++) {
      const next = v[p] - lr * grad[p];
      uphill += grad[p] * (next - theta[p]);
      prev[p] = theta[p];
      theta[p] = next;
    }
    momentumStep = uphill > 0 ? 0 : momentumStep + 1;
    if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${step} (loss ${loss}); lower learningRate`);
    history.push(loss);
    options.onStep?.(step, loss);
    if (gmax < tol) {
      converged = true;
      break;
    }
    if (Date.now() - lastYield > 100) {
      await new Promise((r) => setImmediate(r));
      lastYield = Date.now();
    }
  }
  return new SoftmaxRegression(X.nCols, K, theta.slice(0, P), theta.slice(P), history, converged);
}

/** The result of one gradient step: new parameters and the objective at the old ones. */
export interface SoftmaxStepResult {
  /** Weights after the step, feature-major like `SoftmaxRegression.weights` (nFeatures × nClasses). */
  weights: Float64Array;
  /** Bias after the step (nClasses). */
  bias: Float64Array;
  /** Objective (mean cross-entropy + l2/2 ‖W‖²) at the parameters before the step. */
  loss: number;
}

/**
 * One plain gradient-descent step of softmax regression from (weights, bias):
 * θ ← θ − learningRate · ∇(mean cross-entropy + l2/2 ‖W‖²). This is the step
 * `trainSoftmaxRegression` takes from its Nesterov look-ahead point (from zero weights, its first
 * step is exactly this one). Weights are feature-major: weights[j * nClasses + c].
 */
export function softmaxStep(
  X: CsrMatrix,
  y: ArrayLike<number>,
  nClasses: number,
  params: { weights: ArrayLike<number>; bias: ArrayLike<number> },
  options: { l2?: number; learningRate: number },
): SoftmaxStepResult {
  if (y.length !== X.nRows) throw new RangeError(`y has ${y.length} labels but X has ${X.nRows} rows`);
  checkClassIds(y, nClasses, "y");
  const K = nClasses;
  const P = X.nCols * K;
  if (params.weights.length !== P) throw new RangeError(`weights must have nFeatures × nClasses = ${P} entries, got ${params.weights.length}`);
  if (params.bias.length !== K) throw new RangeError(`bias must have nClasses = ${K} entries, got ${params.bias.length}`);
  const l2 = options.l2 ?? 1e-4;
  const lr = options.learningRate;
  if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`learningRate must be a finite number > 0, got ${lr}`);
  const theta = new Float64Array(P + K);
  theta.set(params.weights);
  theta.set(params.bias, P);
  const grad = new Float64Array(P + K);
  const loss = lossAndGradient(X, y, K, theta, l2, grad);
  for (let p = 0; p < theta.length; p++) theta[p] -= lr * grad[p];
  return { weights: theta.slice(0, P), bias: theta.slice(P), loss };
}

/** Objective at θ (mean cross-entropy + l2/2 ‖W‖²); writes its gradient into `grad`. */
export function lossAndGradient(X: CsrMatrix, y: ArrayLike<number>, K: number, theta: Float64Array, l2: number, grad: Float64Array): number {
  const P = X.nCols * K;
  const n = X.nRows;
  grad.fill(0);
  const z = new Float64Array(K);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) z[c] = theta[P + c];
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) {
      const base = X.indices[k] * K;
      const x = X.data[k];
      for (let c = 0; c < K; c++) z[c] += theta[base + c] * x;
    }
    const logZ = logSumExp(z);
    loss += logZ - z[y[i]];
    // d(cross-entropy)/d(score_c) = p_c − [c = y_i]
    for (let c = 0; c < K; c++) z[c] = (Math.exp(z[c] - logZ) - (c === y[i] ? 1 : 0)) / n;
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) {
      const base = X.indices[k] * K;
      const x = X.data[k];
      for (let c = 0; c < K; c++) grad[base + c] += z[c] * x;
    }
    for (let c = 0; c < K; c++) grad[P + c] += z[c];
  }
  let penalty = 0;
  for (let p = 0; p < P; p++) {
    penalty += theta[p] * theta[p];
    grad[p] += l2 * theta[p];
  }
  return loss / n + 0.5 * l2 * penalty;
}

function logits(X: CsrMatrix, weights: Float64Array, bias: Float64Array, K: number): Float64Array {
  const out = new Float64Array(X.nRows * K);
  for (let i = 0; i < X.nRows; i++) {
    for (let c = 0; c < K; c++) out[i * K + c] = bias[c];
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) {
      const base = X.indices[k] * K;
      for (let c = 0; c < K; c++) out[i * K + c] += weights[base + c] * X.data[k];
    }
  }
  return out;
}

function logSumExp(z: Float64Array): number {
  let m = -Infinity;
  for (let c = 0; c < z.length; c++) m = Math.max(m, z[c]);
  let s = 0;
  for (let c = 0; c < z.length; c++) s += Math.exp(z[c] - m);
  return m + Math.log(s);
}

function softmaxInPlace(z: Float64Array): void {
  const l = logSumExp(z);
  for (let c = 0; c < z.length; c++) z[c] = Math.exp(z[c] - l);
}

/**
 * The `k` features with the largest weight for each class: the words that push a document
 * towards that class. (With an L2 penalty, each feature's weights sum to zero over classes, so
 * a large weight means "more typical of this class than of the others".)
 */
export function topFeaturesPerClass(model: SoftmaxRegression, vocabulary: string[], k = 10): { term: string; weight: number }[][] {
  if (vocabulary.length !== model.nFeatures) throw new RangeError(`vocabulary has ${vocabulary.length} terms but the model has ${model.nFeatures} features`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  const out: { term: string; weight: number }[][] = [];
  for (let c = 0; c < model.nClasses; c++) {
    const w = model.classWeights(c);
    const order = Array.from(w.keys()).sort((a, b) => w[b] - w[a] || a - b);
    out.push(order.slice(0, k).map((j) => ({ term: vocabulary[j], weight: w[j] })));
  }
  return out;
}
