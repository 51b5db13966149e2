/**
 * The few tensor operations a GPT is made of, each with a hand-written gradient where the
 * automatic one would be slow or missing on the wasm backend:
 *
 * - `linear`: on wasm only a plain (untransposed, unbatched) matMul reaches XNNPACK's fast path
 *   (≈ 15 GFLOP/s); `matMul(a, b, true, false)` falls back to a naive loop ≈ 10× slower. The
 *   backward pass therefore transposes explicitly and multiplies plainly — unless the matMuls run
 *   on native BLAS (tf/blas.ts), which takes transposed operands at full speed.
 * - `embedding`: the gradient of `gather` is `UnsortedSegmentSum`, which wasm lacks; a scatter-add
 *   on the CPU side is one short loop.
 * - `crossEntropy`: sparse (gathers the target's log-probability) instead of building one-hot
 *   targets, with the textbook gradient softmax − onehot.
 * - `gelu`: exact (erf) GELU, like PyTorch's `nn.GELU()`, with its closed-form derivative.
 */
import * as tf from "@tensorflow/tfjs";
import { blasActive } from "../tf/blas";
import { geluSimd } from "./gelu-simd";
import { heapKernels, offsetOf } from "./heap-kernels";

// tfjs types customGrad's callback loosely (inputs and the save function share one rest array).
type CustomFn = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.Tensor[] };
function custom(f: CustomFn): (...args: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (...args: tf.Tensor[]) => tf.Tensor;
}

/** Backends whose transposed matMul is slow and whose data lives on the CPU side. */
function cpuSide(): boolean {
  const b = tf.getBackend();
  return b === "wasm" || b === "cpu";
}

/** Backends whose matMul with a transposed operand is slow (wasm's XNNPACK path, cpu); native BLAS is not. */
function slowTransposedMatMul(): boolean {
  return cpuSide() && !blasActive();
}

/** y = x·W (+ b) for x `[n, in]`, W `[in, out]`, b `[out]`. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (x.shape[1] !== w.shape[0]) throw new RangeError(`linear: x has ${x.shape[1]} features but W expects ${w.shape[0]}`);
  const slow = slowTransposedMatMul();
  if (b) {
    const f = custom((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
      save([xi, wi]);
      // One fused kernel (XNNPACK adds the bias in the same pass on wasm).
      const value = tf.fused.matMul({ a: xi as tf.Tensor2D, b: wi as tf.Tensor2D, bias: bi });
      return {
        value,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = dy as tf.Tensor2D;
          const [xs, ws] = saved as tf.Tensor2D[];
          return [...linearGrads(g, xs, ws, slow), biasGrad(g, cpuSide())];
        },
      };
    });
    return f(x, w, b) as tf.Tensor2D;
  }
  const f = custom((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    return {
      value: tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ws] = saved as tf.Tensor2D[];
        return linearGrads(dy as tf.Tensor2D, xs, ws, slow);
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

/**
 * Σ over rows of dy `[n, out]`: the bias gradient. On wasm, `sum(dy, 0)` transposes and then
 * reduces (≈ 1.9 ms for 768 × 512); the same sum as a product 1ᵀ·dy takes the fast matMul path
 * (≈ 0.1 ms).
 */
function biasGrad(dy: tf.Tensor2D, dataOnCpu: boolean): tf.Tensor1D {
  if (!dataOnCpu) return tf.sum(dy, 0);
  return tf.tidy(() => tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]));
}

function linearGrads(dy: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D, slow: boolean): tf.Tensor2D[] {
  if (slow) return [tf.matMul(dy, tf.transpose(w)), tf.matMul(tf.transpose(x), dy)];
  return [tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false)];
}

/**
 * Rows of `table` `[vocab, dim]` for each id: `[ids.length, dim]`. The gradient adds each
 * output row's gradient into the row of its id (a scatter-add).
 */
export function embedding(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const [vocab, dim] = table.shape;
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i] >= 0 && ids[i] < vocab)) throw new RangeError(`token id ${ids[i]} at position ${i} is outside the vocabulary [0, ${vocab})`);
  }
  const f = custom((t: tf.Tensor) => {
    let value: tf.Tensor;
    if (cpuSide()) {
      // Copying rows on the JS side is faster here than the backend's gather for small tables.
      const src = t.dataSync() as Float32Array;
      const out = new Float32Array(ids.length * dim);
      for (let i = 0; i < ids.length; i++) out.set(src.subarray(ids[i] * dim, ids[i] * dim + dim), i * dim);
      value = tf.tensor2d(out, [ids.length, dim]);
    } else {
      const idx = tf.tensor1d(ids, "int32");
      value = tf.gather(t, idx);
      idx.dispose();
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = dy as tf.Tensor2D;
        if (!cpuSide()) {
          return [tf.unsortedSegmentSum(g, tf.tensor1d(ids, "int32"), vocab)];
        }
        const src = g.dataSync() as Float32Array;
        const out = new Float32Array(vocab * dim);
        for (let i = 0; i < ids.length; i++) {
          const o = ids[i] * dim;
          const s = i * dim;
          for (let j = 0; j < dim; j++) out[o + j] += src[s + j];
        }
        return [tf.tensor2d(out, [vocab, dim])];
      },
    };
  });
  return f(table) as tf.Tensor2D;
}

/**
 * Mean cross-entropy −log p(target) of `logits` `[n, vocab]` against integer `targets` (length n).
 * Forward: logsumexp(row) − row[target]. Backward: (softmax(row) − onehot(target)) / n.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  const [n, vocab] = logits.shape;
  if (targets.length !== n) throw new RangeError(`crossEntropy: ${n} rows of logits but ${targets.length} targets`);
  const flatIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!(targets[i] >= 0 && targets[i] < vocab)) throw new RangeError(`target id ${targets[i]} at position ${i} is outside [0, ${vocab})`);
    flatIdx[i] = i * vocab + targets[i];
  }
  const f = custom((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(z as tf.Tensor2D);
    save([logp]);
    const idx = tf.tensor1d(flatIdx, "int32");
    const picked = tf.gather(tf.reshape(logp, [-1]), idx);
    const value = tf.neg(tf.mean(picked));
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const p = tf.exp(saved[0]);
        // int32 one-hot then cast: wasm's float32 OneHot writes the integer bit pattern (tfjs 4.22).
        const onehot = tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), vocab), "float32");
        return [tf.mul(tf.sub(p, onehot), tf.div(dy as tf.Tensor, n))];
      },
    };
  });
  return f(logits) as tf.Scalar;
}

/**
 * LayerNorm of each `dim`-long row of `x` into `y`, keeping x̂ and 1/σ per row for the gradient.
 * (Top-level functions, not closures inside the op: V8 then compiles these loops once, fully.)
 */
function layerNormRows(x: Float32Array, gamma: Float32Array, beta: Float32Array | null, dim: number, eps: number, xhat: Float32Array, rstd: Float32Array, y: Float32Array): void {
  const n = rstd.length;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    let mean = 0;
    for (let j = 0; j < dim; j++) mean += x[o + j];
    mean /= dim;
    let v = 0;
    for (let j = 0; j < dim; j++) {
      const d = x[o + j] - mean;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / dim + eps);
    rstd[r] = rs;
    for (let j = 0; j < dim; j++) {
      const h = (x[o + j] - mean) * rs;
      xhat[o + j] = h;
      y[o + j] = h * gamma[j];
    }
    if (beta !== null) for (let j = 0; j < dim; j++) y[o + j] += beta[j];
  }
}

/** LayerNorm's gradient from dy and the saved x̂, 1/σ: writes dx and adds into dgamma, dbeta. */
function layerNormRowsGrad(dy: Float32Array, xhat: Float32Array, rstd: Float32Array, gamma: Float32Array, dim: number, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array): void {
  const n = rstd.length;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < dim; j++) {
      const g = dy[o + j] * gamma[j];
      m1 += g;
      m2 += g * xhat[o + j];
      dgamma[j] += dy[o + j] * xhat[o + j];
      dbeta[j] += dy[o + j];
    }
    m1 /= dim;
    m2 /= dim;
    const rs = rstd[r];
    for (let j = 0; j < dim; j++) dx[o + j] = rs * (dy[o + j] * gamma[j] - m1 - xhat[o + j] * m2);
  }
}

/**
 * LayerNorm over the last axis of `[n, dim]`: (x − mean) / √(var + eps) · gamma (+ beta).
 * On CPU-side backends one loop per row computes it and its gradient (≈ 20 tfjs ops otherwise):
 * with x̂ the normalised row and r = 1/√(var + eps),
 *   dx = r · (g − mean(g) − x̂ · mean(g · x̂)),  g = dy · gamma;  dgamma = Σ dy · x̂;  dbeta = Σ dy.
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta?: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  if (!cpuSide()) {
    const { mean, variance } = tf.moments(x, 1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    const scaled = tf.mul(normed, gamma);
    return (beta ? tf.add(scaled, beta) : scaled) as tf.Tensor2D;
  }
  const [n, dim] = x.shape;
  const heap = dim % 4 === 0 ? heapKernels() : null;
  if (heap !== null) return layerNormHeap(heap, x, gamma, beta, eps);
  const f = custom(((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor | tf.GradSaveFunc, maybeSave?: tf.GradSaveFunc) => {
    const save = (beta ? maybeSave : bi) as tf.GradSaveFunc;
    const xhat = new Float32Array(n * dim);
    const rstd = new Float32Array(n);
    const y = new Float32Array(n * dim);
    const bv = beta ? ((bi as tf.Tensor).dataSync() as Float32Array) : null;
    layerNormRows(xi.dataSync() as Float32Array, gi.dataSync() as Float32Array, bv, dim, eps, xhat, rstd, y);
    save([tf.tensor2d(xhat, [n, dim]), tf.tensor1d(rstd), gi]);
    return {
      value: tf.tensor2d(y, [n, dim]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], s: tf.Tensor[]) => {
        const dx = new Float32Array(n * dim);
        const dg = new Float32Array(dim);
        const db = new Float32Array(dim);
        const [xh, rs, gam] = s.map((t) => t.dataSync() as Float32Array);
        layerNormRowsGrad((dy as tf.Tensor).dataSync() as Float32Array, xh, rs, gam, dim, dx, dg, db);
        const grads = [tf.tensor2d(dx, [n, dim]), tf.tensor1d(dg)];
        if (beta) grads.push(tf.tensor1d(db));
        return grads;
      },
    };
  }) as unknown as CustomFn);
  return (beta ? f(x, gamma, beta) : f(x, gamma)) as tf.Tensor2D;
}

/** `layerNorm` on the wasm backend's memory with the SIMD kernels of heap-kernels.ts (dim % 4 = 0). */
function layerNormHeap(heap: NonNullable<ReturnType<typeof heapKernels>>, x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D | undefined, eps: number): tf.Tensor2D {
  const { kernels, backend } = heap;
  const [n, dim] = x.shape;
  const off = (t: tf.TensorInfo) => offsetOf(backend, t);
  const make = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info);
  const f = custom(((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor | tf.GradSaveFunc, maybeSave?: tf.GradSaveFunc) => {
    const save = (beta ? maybeSave : bi) as tf.GradSaveFunc;
    const zeros = beta ? null : tf.zeros([dim]);
    const xhat = backend.makeOutput([n, dim], "float32");
    const rstd = backend.makeOutput([n], "float32");
    const y = backend.makeOutput([n, dim], "float32");
    kernels.ln_fwd(off(xi), off(gi), off(beta ? (bi as tf.Tensor) : zeros!), off(xhat), off(rstd), off(y), n, dim, 1 / dim, eps);
    zeros?.dispose();
    save([make(xhat), make(rstd), gi]);
    return {
      value: make(y),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], s: tf.Tensor[]) => {
        const dx = backend.makeOutput([n, dim], "float32");
        const dg = backend.makeOutput([dim], "float32");
        const db = backend.makeOutput([dim], "float32");
        // The kernel adds into dgamma and dbeta: start them at 0 (views after the last allocation).
        backend.typedArrayFromHeap(dg).fill(0);
        backend.typedArrayFromHeap(db).fill(0);
        kernels.ln_bwd(off(dy as tf.Tensor), off(s[0]), off(s[1]), off(s[2]), off(dg), off(db), off(dx), n, dim, 1 / dim);
        const grads = [make(dx), make(dg)];
        if (beta) grads.push(make(db));
        else backend.disposeData(db.dataId);
        return grads;
      },
    };
  }) as unknown as CustomFn);
  return (beta ? f(x, gamma, beta) : f(x, gamma)) as tf.Tensor2D;
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf(x) to ≈ 1.5e-7 (Abramowitz & Stegun 7.1.26). */
export function erfApprox(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** GELU values and derivatives of `xv`, one element at a time (gelu-simd.ts does four). */
function geluLoop(xv: Float32Array): { y: Float32Array; d: Float32Array } {
  const y = new Float32Array(xv.length);
  const d = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    // erf(v/√2) by A&S 7.1.26; its exp(−v²/2) is also the normal pdf's, so one exp per element.
    const v = xv[i];
    const a = Math.abs(v) * INV_SQRT2;
    const t = 1 / (1 + 0.3275911 * a);
    const e = Math.exp(-a * a);
    const erfAbs = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * e;
    const cdf = 0.5 * (1 + (v < 0 ? -erfAbs : erfAbs));
    y[i] = v * cdf;
    d[i] = cdf + v * INV_SQRT_2PI * e;
  }
  return { y, d };
}

/**
 * Exact GELU: x · Φ(x), Φ the standard normal CDF. Derivative Φ(x) + x · φ(x). On CPU-side
 * backends one loop computes the value and the derivative together (the backward pass is then a
 * single multiply); where WebAssembly SIMD is available the same loop runs four lanes at a time
 * (gelu-simd.ts, ≈ 3× faster).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  const heap = x.size % 4 === 0 ? heapKernels() : null;
  if (heap !== null) {
    // In place on the wasm backend's memory: no copies.
    const { kernels, backend } = heap;
    const f = custom(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = backend.makeOutput(xi.shape, "float32");
      const d = backend.makeOutput(xi.shape, "float32");
      kernels.gelu(offsetOf(backend, xi), offsetOf(backend, y), offsetOf(backend, d), xi.size);
      save([tf.engine().makeTensorFromTensorInfo(d)]);
      return { value: tf.engine().makeTensorFromTensorInfo(y), gradFunc: (dy: tf.Tensor | tf.Tensor[], s: tf.Tensor[]) => [tf.mul(dy as tf.Tensor, s[0])] };
    }) as unknown as CustomFn);
    return f(x);
  }
  if (cpuSide()) {
    const f = custom(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
      const xv = xi.dataSync() as Float32Array;
      // The SIMD kernel where it runs (length a multiple of 4), else the reference loop.
      const { y, d } = geluSimd(xv) ?? geluLoop(xv);
      save([tf.tensor(d, xi.shape)]);
      return { value: tf.tensor(y, xi.shape), gradFunc: (dy: tf.Tensor | tf.Tensor[], s: tf.Tensor[]) => [tf.mul(dy as tf.Tensor, s[0])] };
    }) as unknown as CustomFn);
    return f(x);
  }
  const f = custom((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(xi, INV_SQRT2)), 1), 0.5);
    save([xi, cdf]);
    return {
      value: tf.mul(xi, cdf),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, c] = saved;
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(xs), -0.5)), INV_SQRT_2PI);
        return [tf.mul(dy as tf.Tensor, tf.add(c, tf.mul(xs, pdf)))];
      },
    };
  });
  return f(x);
}
