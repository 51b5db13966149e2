/**
 * The table of every op the attention lesson and a GPT training step use, with how to run a row
 * on a backend (forward, and the gradient of a weighted sum) and how to compare two results. The
 * wasm and webgpu backends are each checked against the cpu backend (the reference of tfjs).
 */
import { expect } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../../kernel-lib/src/util/random";

type Input = { shape: number[]; kind?: "normal" | "positive" | "int"; max?: number; values?: number[] };
export type Case = {
  name: string;
  inputs: Input[];
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** Check the gradient with respect to the float inputs (default true). */
  grad?: boolean;
  tol?: number;
};

const f32 = (shape: number[], kind: Input["kind"] = "normal"): Input => ({ shape, kind });
const ints = (shape: number[], max: number): Input => ({ shape, kind: "int", max });
const given = (shape: number[], values: number[]): Input => ({ shape, kind: "int", values });

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const geluTanh = (x: tf.Tensor) => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI)).add(1));
const geluErf = (x: tf.Tensor) => x.mul(0.5).mul(tf.erf(x.div(Math.SQRT2)).add(1));
const causal = (n: number) => tf.linalg.bandPart(tf.ones([n, n]), -1, 0).cast("bool");
/** `tf.unsortedSegmentSum` declares 1-D segment ids; its kernels take ids of any shape that is a prefix of x's. */
export const segmentSum = tf.unsortedSegmentSum as (x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number) => tf.Tensor;

export const CASES: Case[] = [
  { name: "matMul", inputs: [f32([4, 6]), f32([6, 5])], f: (a, b) => tf.matMul(a, b) },
  { name: "matMul transposeA", inputs: [f32([6, 4]), f32([6, 5])], f: (a, b) => tf.matMul(a, b, true, false) },
  { name: "matMul transposeB", inputs: [f32([4, 6]), f32([5, 6])], f: (a, b) => tf.matMul(a, b, false, true) },
  { name: "batchMatMul q·kᵀ (4-D)", inputs: [f32([2, 3, 5, 4]), f32([2, 3, 5, 4])], f: (q, k) => tf.matMul(q, k, false, true) },
  { name: "batchMatMul transposeA (3-D)", inputs: [f32([2, 5, 4]), f32([2, 5, 3])], f: (a, b) => tf.matMul(a, b, true, false) },
  // tfjs-core's BatchMatMul gradient does not reduce broadcast batch dims (any backend): forward only.
  { name: "batchMatMul broadcast batch (forward)", inputs: [f32([2, 5, 4]), f32([1, 4, 3])], f: (a, b) => tf.matMul(a, b), grad: false },
  { name: "matMul of flattened tokens [b·t, d]·[d, n]", inputs: [f32([2, 5, 4]), f32([4, 3])], f: (a, w) => a.reshape([10, 4]).matMul(w).reshape([2, 5, 3]) },
  { name: "gather (embedding, 2-D ids)", inputs: [f32([7, 4]), given([2, 5], [0, 3, 3, 6, 1, 2, 0, 0, 5, 3])], f: (e, ids) => tf.gather(e, ids) },
  { name: "gather rows of 20 (slice copies on wasm)", inputs: [f32([9, 20]), given([2, 5], [0, 8, 8, 3, 1, 2, 0, 7, 5, 3])], f: (e, ids) => tf.gather(e, ids) },
  { name: "gather axis 1, slices of 16", inputs: [f32([2, 5, 16]), given([3], [4, 0, 4])], f: (x, ids) => tf.gather(x, ids, 1) },
  { name: "gather axis 1", inputs: [f32([3, 6, 2]), given([4], [5, 0, 5, 2])], f: (x, ids) => tf.gather(x, ids, 1) },
  { name: "gather batchDims 1", inputs: [f32([2, 5, 3]), given([2, 4], [0, 4, 4, 1, 2, 2, 3, 0])], f: (x, ids) => tf.gather(x, ids, 1, 1) },
  { name: "softmax", inputs: [f32([2, 3, 5])], f: (x) => tf.softmax(x) },
  { name: "logSoftmax", inputs: [f32([2, 3, 5])], f: (x) => tf.logSoftmax(x) },
  {
    name: "softmaxCrossEntropy (oneHot labels)",
    inputs: [f32([6, 7]), ints([6], 7)],
    f: (logits, y) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 7), logits),
  },
  {
    name: "sparse cross-entropy via logSoftmax + gather",
    inputs: [f32([6, 7]), ints([6], 7)],
    f: (logits, y) => {
      const logp = tf.logSoftmax(logits).reshape([-1]);
      const flat = tf.range(0, 6, 1, "int32").mul(tf.scalar(7, "int32")).add(y);
      return tf.gather(logp, flat).mean().neg();
    },
  },
  { name: "sum / mean / max / min", inputs: [f32([3, 4, 5])], f: (x) => [x.sum(-1), x.mean([0, 2]), x.max(1), x.min(-1, true)] },
  { name: "add / sub / mul / div (broadcast)", inputs: [f32([3, 4]), f32([4]), f32([3, 1], "positive")], f: (a, b, c) => a.add(b).sub(c).mul(b).div(c) },
  { name: "square / sqrt / rsqrt", inputs: [f32([3, 4]), f32([3, 4], "positive")], f: (a, p) => [a.square(), p.sqrt(), p.rsqrt()] },
  { name: "pow", inputs: [f32([3, 4], "positive"), f32([3, 4])], f: (p, e) => [p.pow(e), p.pow(1.7), e.pow(tf.scalar(3, "int32"))] },
  { name: "exp / log / tanh / erf", inputs: [f32([3, 4]), f32([3, 4], "positive")], f: (a, p) => [a.exp(), p.log(), a.tanh(), a.erf()] },
  { name: "gelu (tanh approximation)", inputs: [f32([3, 8])], f: geluTanh },
  { name: "gelu (erf, exact)", inputs: [f32([3, 8])], f: geluErf },
  { name: "relu / leakyRelu / sigmoid / softplus", inputs: [f32([3, 8])], f: (x) => [tf.relu(x), tf.leakyRelu(x, 0.1), tf.sigmoid(x), tf.softplus(x)] },
  { name: "transpose", inputs: [f32([2, 3, 4, 5])], f: (x) => x.transpose([0, 2, 1, 3]) },
  // Transposes of the last two axes (wasm: 4 × 4 blocks plus the rows and columns left over).
  { name: "transpose 2-D [8, 12] (whole 4 × 4 blocks)", inputs: [f32([8, 12])], f: (x) => x.transpose() },
  { name: "transpose 2-D [7, 9] (rows and columns left over)", inputs: [f32([7, 9])], f: (x) => x.transpose() },
  { name: "transpose 2-D [1, 5] and [3, 1]", inputs: [f32([1, 5]), f32([3, 1])], f: (a, b) => [a.transpose(), b.transpose()] },
  { name: "transpose of the last two axes [2, 3, 6, 5]", inputs: [f32([2, 3, 6, 5])], f: (x) => x.transpose([0, 1, 3, 2]) },
  { name: "transpose int32 [5, 6]", inputs: [ints([5, 6], 100)], f: (x) => x.transpose(), grad: false },
  { name: "reshape (split heads)", inputs: [f32([2, 5, 12])], f: (x) => x.reshape([2, 5, 3, 4]).transpose([0, 2, 1, 3]) },
  { name: "concat", inputs: [f32([2, 3, 4]), f32([2, 3, 2])], f: (a, b) => tf.concat([a, b], -1) },
  { name: "slice", inputs: [f32([4, 6, 3])], f: (x) => x.slice([1, 2, 0], [2, 3, -1]) },
  {
    name: "stridedSlice (forward; tfjs has no gradient)",
    inputs: [f32([4, 6, 3])],
    f: (x) => tf.stridedSlice(x, [0, 1, 0], [4, 6, 3], [2, 2, 1]),
    grad: false,
  },
  { name: "split (q, k, v)", inputs: [f32([2, 5, 12])], f: (x) => tf.split(x, 3, -1) },
  { name: "split sizes", inputs: [f32([2, 9])], f: (x) => tf.split(x, [2, 3, 4], 1) },
  { name: "stack / unstack", inputs: [f32([3, 4]), f32([3, 4])], f: (a, b) => [tf.stack([a, b], 1), ...tf.unstack(a, 1)] },
  { name: "tile", inputs: [f32([2, 1, 3])], f: (x) => tf.tile(x, [2, 4, 1]) },
  { name: "where + bandPart causal mask + softmax", inputs: [f32([2, 5, 5])], f: (s) => tf.softmax(tf.where(causal(5), s, tf.fill([2, 5, 5], -1e9))) },
  {
    name: "greater / less / equal / logicalAnd / notEqual",
    inputs: [f32([3, 4]), f32([3, 4])],
    f: (a, b) => [tf.greater(a, b), tf.less(a, 0), tf.equal(a.round(), b.round()), tf.logicalAnd(tf.greater(a, 0), tf.less(b, 0)), tf.notEqual(a, b)],
    grad: false,
  },
  { name: "where with a mask computed from x (relu by hand)", inputs: [f32([3, 5])], f: (x) => tf.where(x.greater(0), x, tf.zerosLike(x)) },
  { name: "bandPart", inputs: [f32([2, 4, 4])], f: (x) => tf.linalg.bandPart(x, -1, 0) },
  { name: "range / linspace", inputs: [], f: () => [tf.range(0, 10, 2), tf.range(3, 0, -1, "int32"), tf.linspace(0, 1, 5)], grad: false },
  { name: "sin / cos (RoPE)", inputs: [f32([4, 6])], f: (x) => [tf.sin(x), tf.cos(x)] },
  { name: "clipByValue", inputs: [f32([4, 6])], f: (x) => tf.clipByValue(x, -0.5, 0.7) },
  { name: "minimum / maximum", inputs: [f32([4, 6]), f32([4, 6])], f: (a, b) => [tf.minimum(a, b), tf.maximum(a, 0.1), tf.maximum(a, b)] },
  {
    name: "cast to bool (non-zero is true) and back",
    inputs: [f32([4, 6]), given([5], [0, 3, -2, 1, 0])],
    f: (x, i) => [x.cast("bool"), x.mul(0.3).cast("bool").cast("float32"), i.cast("bool"), i.cast("bool").cast("int32")],
    grad: false,
  },
  { name: "cast", inputs: [f32([4, 6]), ints([4, 6], 9)], f: (x, i) => [x.mul(3).cast("int32"), i.cast("float32").mul(x)] },
  { name: "dropout (seeded)", inputs: [f32([4, 6])], f: (x) => tf.dropout(x, 0.3, undefined, 7) },
  { name: "randomUniform + step (seeded mask)", inputs: [f32([4, 6])], f: (x) => x.mul(tf.step(tf.randomUniform([4, 6], 0, 1, "float32", 3).sub(0.5))) },
  {
    name: "cumsum (last axis, exclusive, reverse)",
    inputs: [f32([3, 5])],
    f: (x) => [tf.cumsum(x, 1), tf.cumsum(x, 1, true, false), tf.cumsum(x, 1, false, true)],
  },
  { name: "argMax / argMin", inputs: [f32([3, 5])], f: (x) => [tf.argMax(x, -1), tf.argMin(x, 0)], grad: false },
  {
    name: "topk",
    inputs: [f32([3, 7])],
    f: (x) => {
      const r = tf.topk(x, 3);
      return [r.values, r.indices];
    },
    grad: false,
  },
  { name: "einsum ij,jk->ik", inputs: [f32([4, 6]), f32([6, 5])], f: (a, b) => tf.einsum("ij,jk->ik", a, b) },
  { name: "einsum bhqd,bhkd->bhqk", inputs: [f32([2, 3, 5, 4]), f32([2, 3, 5, 4])], f: (q, k) => tf.einsum("bhqd,bhkd->bhqk", q, k) },
  { name: "einsum bhqk,bhkd->bhqd", inputs: [f32([2, 3, 5, 5]), f32([2, 3, 5, 4])], f: (w, v) => tf.einsum("bhqk,bhkd->bhqd", w, v) },
  {
    name: "einsum ij->ji, ij->i, i,j->ij, ij,ij->i",
    inputs: [f32([3, 4]), f32([3]), f32([4]), f32([3, 4])],
    f: (a, u, v, b) => [tf.einsum("ij->ji", a), tf.einsum("ij->i", a), tf.einsum("i,j->ij", u, v), tf.einsum("ij,ij->i", a, b)],
  },
  { name: "addN", inputs: [f32([3, 4]), f32([3, 4]), f32([3, 4])], f: (a, b, c) => tf.addN([a, b, c, a]) },
  {
    name: "addN of 53 tensors (a global gradient norm)",
    inputs: [f32([3, 4]), f32([5])],
    f: (a, b) => tf.addN(Array.from({ length: 53 }, (_, i) => (i % 2 ? a.sum() : b.mul(i).sum()))),
  },
  {
    name: "layer norm (moments, rsqrt)",
    inputs: [f32([2, 5, 8]), f32([8]), f32([8])],
    f: (x, g, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return x.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(g).add(b);
    },
  },
  { name: "norm / logSumExp", inputs: [f32([3, 5])], f: (x) => [tf.norm(x), tf.norm(x, "euclidean", -1), tf.logSumExp(x, -1)] },
  { name: "unsortedSegmentSum", inputs: [f32([6, 3]), given([6], [2, 0, 2, 4, 1, 2])], f: (x, s) => segmentSum(x, s, 5) },
  // tfjs-core's UnsortedSegmentSum gradient only handles 1-D ids (any backend): forward only.
  { name: "unsortedSegmentSum 2-D ids (forward)", inputs: [f32([2, 3, 2]), given([2, 3], [1, 1, 0, 3, 1, 0])], f: (x, s) => segmentSum(x, s, 4), grad: false },
  {
    name: "squaredDifference / abs / neg / reciprocal",
    inputs: [f32([3, 4]), f32([3, 4], "positive")],
    f: (a, p) => [tf.squaredDifference(a, p), a.abs(), a.neg(), p.reciprocal()],
  },
  { name: "expandDims / squeeze", inputs: [f32([3, 4])], f: (a) => [a.expandDims(1).mul(tf.ones([1, 2, 1])), a.reshape([3, 1, 4]).squeeze([1])] },
  { name: "oneHot", inputs: [ints([6], 5)], f: (i) => tf.oneHot(i, 5), grad: false },
  {
    name: "oneHot float32 (label smoothing values, out-of-range id)",
    inputs: [given([5], [0, 3, 4, 9, -1])],
    f: (i) => [tf.oneHot(i, 5, 1, 0, "float32"), tf.oneHot(i, 5, 0.92, 0.02, "float32")],
    grad: false,
  },
  {
    name: "softmaxCrossEntropy with a float32 oneHot target",
    inputs: [f32([6, 7]), ints([6], 7)],
    f: (logits, y) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 7, 1, 0, "float32"), logits),
  },
  {
    name: "int32 tensors through gather / sum / add / max / concat / transpose / tile / where",
    inputs: [ints([3, 4], 50), ints([3, 4], 50)],
    f: (a, b) => [
      tf.gather(a, tf.tensor1d([2, 0], "int32")),
      a.sum(1),
      a.add(b),
      tf.max(a, 0),
      tf.concat([a, b], 1),
      a.transpose(),
      tf.tile(a, [2, 1]),
      tf.where(tf.greater(a, b), a, b),
      tf.cumsum(a, 1),
    ],
    grad: false,
  },
];

export type Values = { shape: number[]; dtype: string; data: number[] };
export type Result = { forward: Values[]; grads: Values[] };

function materialise(spec: Input, rng: ReturnType<typeof makeRng>): { shape: number[]; int: boolean; data: number[] } {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.kind === "int") return { shape: spec.shape, int: true, data: spec.values ?? Array.from({ length: n }, () => rng.int(spec.max ?? 2)) };
  const data = Array.from({ length: n }, () => (spec.kind === "positive" ? 0.2 + 1.8 * rng.next() : rng.normal()));
  return { shape: spec.shape, int: false, data };
}

const asList = (r: tf.Tensor | tf.Tensor[]) => (Array.isArray(r) ? r : [r]);
export const valuesOf = (t: tf.Tensor): Values => ({ shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) });

export async function compute(backend: string, c: Case, index: number): Promise<Result> {
  await tf.setBackend(backend);
  const rng = makeRng(1000 + index);
  const raw = c.inputs.map((s) => materialise(s, rng));
  return tf.tidy(() => {
    const xs = raw.map((r) => tf.tensor(r.data, r.shape, r.int ? "int32" : "float32"));
    const outs = asList(c.f(...xs));
    const forward = outs.map(valuesOf);
    let grads: Values[] = [];
    const floatIdx = raw.map((r, i) => (r.int ? -1 : i)).filter((i) => i >= 0);
    if (c.grad !== false && floatIdx.length > 0) {
      // Weight each output element differently so a wrong gradient cannot hide in a plain sum.
      const weights = outs.map((o) =>
        tf.tensor(
          Array.from({ length: o.size }, (_, k) => Math.sin(1 + k * 0.7)),
          o.shape,
          "float32",
        ),
      );
      const loss = (...fs: tf.Tensor[]) => {
        const all = xs.slice();
        floatIdx.forEach((i, j) => (all[i] = fs[j]));
        return tf.addN(asList(c.f(...all)).map((o, k) => o.cast("float32").mul(weights[k]).sum())) as tf.Scalar;
      };
      grads = tf
        .grads(loss)(floatIdx.map((i) => xs[i]))
        .map(valuesOf);
    }
    return { forward, grads };
  });
}

export function expectClose(got: Values[], want: Values[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.shape, `${what}[${i}] shape`).toEqual(want[i].shape);
    expect(g.dtype, `${what}[${i}] dtype`).toBe(want[i].dtype);
    let worst = 0;
    for (let k = 0; k < g.data.length; k++) {
      const a = g.data[k];
      const b = want[i].data[k];
      if (!Number.isFinite(b)) {
        expect(a, `${what}[${i}][${k}]`).toBe(b);
        continue;
      }
      worst = Math.max(worst, Math.abs(a - b) / (1 + Math.abs(b)));
    }
    expect(worst, `${what}[${i}] worst relative error`).toBeLessThanOrEqual(tol);
  });
}
