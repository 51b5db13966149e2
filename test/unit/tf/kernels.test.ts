/**
 * The kernels behind kernel-lib's ops (tf/ops: LayerNorm, Gelu, AdamWUpdate, the head moves) and
 * the batched/transposed matMul fix, each against its reference — the same op written with plain
 * tfjs ops — on the wasm backend: forward and gradient, one table, one row per case. Each row
 * also checks, with tf.profile, that the kernel it is about really ran.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initTf } from "../../../kernel-lib/src/tf/backend";
import {
  adamwUpdate,
  adamwUpdateReference,
  causalAttention,
  causalAttentionReference,
  crossEntropy,
  crossEntropyReference,
  gelu,
  geluReference,
  layerNorm,
  layerNormReference,
  mergeHeads,
  mergeHeadsReference,
  splitHeads,
  splitHeadsReference,
  sumOfSquares,
  sumOfSquaresReference,
} from "../../../kernel-lib/src/tf/ops";
import { loadWasmModule } from "../../../kernel-lib/src/util/wasm-module";
import { type Case, compute, expectClose, valuesOf } from "./op-table";
import { useWasm } from "../gpt/backend";

beforeAll(async () => {
  await initTf({ backend: "wasm", quiet: true, env: {} });
  await useWasm(); // initTf runs once per process; an earlier file in this worker may have left another backend
});

type Row = {
  name: string;
  inputs: Case["inputs"];
  /** The op (a kernel on wasm) and its reference (tfjs ops). */
  op: Case["f"];
  reference: Case["f"];
  /** Kernel names the op must run on wasm. */
  kernels: string[];
  grad?: boolean;
  tol?: number;
};

const f32 = (shape: number[], kind: "normal" | "positive" = "normal") => ({ shape, kind });
const t2 = (t: tf.Tensor) => t as tf.Tensor2D;
const t1 = (t: tf.Tensor) => t as tf.Tensor1D;
// x spread wide (a shift of 3 and a scale of 4): the variance must not lose the shift, GELU's tails are covered.
const wide = (t: tf.Tensor) => tf.add(tf.mul(t, 4), 3);
const STEP = { beta1: 0.9, beta2: 0.99, eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 3), c2: 1 - 0.99 ** 3, decay: 1 - 1e-3 * 0.1 };
// The moments are variables the update changes: compare them after the update too.
const adamw = (f: typeof adamwUpdate, gradScale?: number) => (w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => {
  const [mv, vv] = [tf.variable(m), tf.variable(v)];
  const out = [f(w, g, mv, vv, { ...STEP, gradScale }), tf.clone(mv), tf.clone(vv)];
  tf.dispose([mv, vv]);
  return out;
};
const heads = (split: typeof splitHeads, merge: typeof mergeHeads, batch: number, seq: number, nHead: number, nKv: number) => (qkv: tf.Tensor) => {
  const [q, k, v] = split(t2(qkv), batch, seq, nHead, nKv);
  return [q, k, v, merge(q)];
};

const t4 = (t: tf.Tensor) => t as tf.Tensor4D;
// Queries spread ×3: peaked softmax rows (large score differences) as well as flat ones.
const attention = (f: typeof causalAttention, scale?: number) => (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => f(t4(tf.mul(q, 3)), t4(k), t4(v), scale);
const attentionRow = (name: string, q: number[], kv: number[], scale?: number): Row => ({
  name: `causalAttention, ${name}`,
  inputs: [f32(q), f32(kv), f32(kv)],
  op: attention(causalAttention, scale),
  reference: attention(causalAttentionReference, scale),
  kernels: ["CausalAttention", "CausalAttentionGrad"],
});

/** Targets for `rows` rows of logits over `vocab` ids: a fixed pattern touching the first and last ids. */
const targetsFor = (rows: number, vocab: number) => Int32Array.from({ length: rows }, (_, i) => (i * 7 + (i % 2) * (vocab - 1)) % vocab);
// Logits spread ×`spread`: flat rows (1) and peaked ones (20: a softmax near one-hot, a loss near 0 or large).
const crossEntropyRow = (rows: number, vocab: number, spread: number): Row => ({
  name: `crossEntropy [${rows}, ${vocab}], logits ×${spread}`,
  inputs: [f32([rows, vocab])],
  op: (z) => crossEntropy(t2(tf.mul(z, spread)), targetsFor(rows, vocab)),
  reference: (z) => crossEntropyReference(t2(tf.mul(z, spread)), targetsFor(rows, vocab)),
  kernels: ["SoftmaxCrossEntropy"],
});

const ROWS: Row[] = [
  {
    name: "layerNorm [6, 12] with beta",
    inputs: [f32([6, 12]), f32([12]), f32([12])],
    op: (x, g, b) => layerNorm(t2(wide(x)), t1(g), t1(b)),
    reference: (x, g, b) => layerNormReference(t2(wide(x)), t1(g), t1(b)),
    kernels: ["LayerNorm", "LayerNormGrad"],
  },
  {
    name: "layerNorm [6, 12] without beta",
    inputs: [f32([6, 12]), f32([12])],
    op: (x, g) => layerNorm(t2(x), t1(g)),
    reference: (x, g) => layerNormReference(t2(x), t1(g)),
    kernels: ["LayerNorm", "LayerNormGrad"],
  },
  {
    name: "layerNorm [2, 3, 7] (rows not a multiple of 4 long)",
    inputs: [f32([2, 3, 7]), f32([7]), f32([7])],
    op: (x, g, b) => layerNorm(x, t1(g), t1(b)),
    reference: (x, g, b) => layerNormReference(x, t1(g), t1(b)),
    kernels: ["LayerNorm", "LayerNormGrad"],
  },
  {
    name: "layerNorm [5, 128] (a GPT's width)",
    inputs: [f32([5, 128]), f32([128]), f32([128])],
    op: (x, g, b) => layerNorm(t2(x), t1(g), t1(b)),
    reference: (x, g, b) => layerNormReference(t2(x), t1(g), t1(b)),
    kernels: ["LayerNorm", "LayerNormGrad"],
  },
  { name: "gelu [8, 16]", inputs: [f32([8, 16])], op: (x) => gelu(wide(x)), reference: (x) => geluReference(wide(x)), kernels: ["Gelu"] },
  // The kernel takes eight floats a step: lengths that leave 5, 3 and 6 of them over.
  ...[
    [3, 7],
    [1, 3],
    [2, 7],
  ].map(
    (shape): Row => ({
      name: `gelu [${shape.join(", ")}] (a length not a multiple of 8)`,
      inputs: [f32(shape)],
      op: (x) => gelu(tf.mul(x, 3)),
      reference: (x) => geluReference(tf.mul(x, 3)),
      kernels: ["Gelu"],
    }),
  ),
  {
    name: "adamwUpdate [4, 8]",
    inputs: [f32([4, 8]), f32([4, 8]), f32([4, 8]), f32([4, 8], "positive")],
    op: adamw(adamwUpdate),
    reference: adamw(adamwUpdateReference),
    kernels: ["AdamWUpdate"],
    grad: false,
  },
  {
    name: "adamwUpdate [3, 3] (odd size), the gradient scaled by 0.37 (clipping)",
    inputs: [f32([3, 3]), f32([3, 3]), f32([3, 3]), f32([3, 3], "positive")],
    op: adamw(adamwUpdate, 0.37),
    reference: adamw(adamwUpdateReference, 0.37),
    kernels: ["AdamWUpdate"],
    grad: false,
  },
  {
    // 1 200 floats cross the kernel's blocks of 512; 7 and 3 are all tail.
    name: "sumOfSquares of [30, 40], [7], [3]",
    inputs: [f32([30, 40]), f32([7]), f32([3])],
    op: (a, b, c) => sumOfSquares([a, b, c]),
    reference: (a, b, c) => sumOfSquaresReference([a, b, c]),
    kernels: ["SumOfSquares"],
    grad: false,
  },
  {
    name: "adamwUpdate [3, 3] (odd size)",
    inputs: [f32([3, 3]), f32([3, 3]), f32([3, 3]), f32([3, 3], "positive")],
    op: adamw(adamwUpdate),
    reference: adamw(adamwUpdateReference),
    kernels: ["AdamWUpdate"],
    grad: false,
  },
  {
    name: "split/merge heads, multi-head (4 heads of 8)",
    inputs: [f32([15, 96])],
    op: heads(splitHeads, mergeHeads, 3, 5, 4, 4),
    reference: heads(splitHeadsReference, mergeHeadsReference, 3, 5, 4, 4),
    kernels: ["RowsToHeads", "HeadsToRows"],
  },
  {
    name: "split/merge heads, grouped-query (4 + 2·2 heads of 4)",
    inputs: [f32([14, 32])],
    op: heads(splitHeads, mergeHeads, 2, 7, 4, 2),
    reference: heads(splitHeadsReference, mergeHeadsReference, 2, 7, 4, 2),
    kernels: ["RowsToHeads", "HeadsToRows"],
  },
  {
    name: "split/merge heads, multi-query, head size 6",
    inputs: [f32([8, 48])],
    op: heads(splitHeads, mergeHeads, 2, 4, 6, 1),
    reference: heads(splitHeadsReference, mergeHeadsReference, 2, 4, 6, 1),
    kernels: ["RowsToHeads", "HeadsToRows"],
  },
  // A vocabulary that is not whole vectors of 4 (the kernel's exponentials run four at a time), and one row.
  crossEntropyRow(6, 90, 1),
  crossEntropyRow(6, 90, 20),
  crossEntropyRow(1, 3, 2),
  crossEntropyRow(12, 64, 3),
  attentionRow("multi-head [2, 4, 8, 8]", [2, 4, 8, 8], [2, 4, 8, 8]),
  attentionRow("grouped-query (4 heads on 2), length 7, scale 0.3", [2, 4, 7, 12], [2, 2, 7, 12], 0.3),
  attentionRow("head size 20 (16 + 4 floats), length 9", [1, 3, 9, 20], [1, 3, 9, 20]),
  attentionRow("a GPT head's shape [1, 2, 64, 32]", [1, 2, 64, 32], [1, 2, 64, 32]),
];

/** The matMul fix: the same tf.matMul on wasm against the cpu backend (tfjs's reference). */
const MATMULS: Case[] = [
  // Matrices of at least 16 Ki multiply-adds (smaller ones stay with the native kernel).
  { name: "batched [3, 32, 24]·[3, 24, 32]", inputs: [f32([3, 32, 24]), f32([3, 24, 32])], f: (a, b) => tf.matMul(a, b) },
  { name: "batched q·kᵀ [2, 2, 32, 24]", inputs: [f32([2, 2, 32, 24]), f32([2, 2, 32, 24])], f: (q, k) => tf.matMul(q, k, false, true) },
  { name: "single, both transposed", inputs: [f32([24, 32]), f32([32, 24])], f: (a, b) => tf.matMul(a, b, true, true) },
  { name: "batched, tiny (the native kernel)", inputs: [f32([6, 5, 4]), f32([6, 4, 3])], f: (a, b) => tf.matMul(a, b) },
];

async function kernelsRun(f: () => Promise<unknown>): Promise<string[]> {
  return (await tf.profile(async () => void (await f()))).kernelNames;
}

describe("each kernel agrees with its reference on wasm, forward and gradient", () => {
  ROWS.forEach((row, index) => {
    it(row.name, async () => {
      const before = tf.memory().numTensors;
      const got = await compute("wasm", { name: row.name, inputs: row.inputs, f: row.op, grad: row.grad }, index);
      const want = await compute("wasm", { name: row.name, inputs: row.inputs, f: row.reference, grad: row.grad }, index);
      expectClose(got.forward, want.forward, row.tol ?? 1e-5, "forward");
      expectClose(got.grads, want.grads, row.tol ?? 1e-4, "gradient");
      if (row.grad !== false) expect(got.grads.length).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
      const names = await kernelsRun(() => compute("wasm", { name: row.name, inputs: row.inputs, f: row.op, grad: row.grad }, index));
      for (const k of row.kernels) expect(names, `${k} ran`).toContain(k);
      const referenceNames = await kernelsRun(() => compute("wasm", { name: row.name, inputs: row.inputs, f: row.reference, grad: row.grad }, index));
      for (const k of row.kernels) expect(referenceNames, `${k} not in the reference`).not.toContain(k);
    });
  });
});

describe("batched and transposed matMul on wasm agree with the cpu backend", () => {
  MATMULS.forEach((c, index) => {
    it(c.name, async () => {
      const want = await compute("cpu", c, index);
      const got = await compute("wasm", c, index);
      expectClose(got.forward, want.forward, 1e-4, "forward");
      expectClose(got.grads, want.grads, 1e-4, "gradient");
    });
  });
});

describe("clones on wasm share their data", () => {
  const refCount = (t: tf.Tensor) => tf.engine().backend.refCount(t.dataId);

  it("tf.clone is a second reference, not a copy, and the data goes when both are disposed", async () => {
    await tf.setBackend("wasm");
    const before = tf.memory().numBytes;
    const ids = tf.engine().backend.numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(refCount(x)).toBe(2);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
  });

  it("adamwUpdate leaves a clone of a moment alone (the moment gets its own copy first)", async () => {
    await tf.setBackend("wasm");
    const w = tf.tensor1d([0.5, -1, 2, 0.25, 3]);
    const g = tf.tensor1d([0.1, 0.2, -0.3, 0.4, -0.5]);
    const m = tf.variable(tf.tensor1d([0.01, 0.02, 0.03, 0.04, 0.05]));
    const v = tf.variable(tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5]));
    const [mRef, vRef] = [tf.variable(tf.clone(m)), tf.variable(tf.clone(v))];
    const mSnapshot = tf.clone(m);
    const vSnapshot = tf.clone(v);
    expect(refCount(m)).toBeGreaterThan(1);
    const got = adamwUpdate(w, g, m, v, STEP);
    const want = adamwUpdateReference(w, g, mRef, vRef, STEP);
    expect(Array.from(mSnapshot.dataSync())).toEqual([0.01, 0.02, 0.03, 0.04, 0.05].map(Math.fround));
    expect(Array.from(vSnapshot.dataSync())).toEqual([0.1, 0.2, 0.3, 0.4, 0.5].map(Math.fround));
    expectClose([got, m, v].map(valuesOf), [want, mRef, vRef].map(valuesOf), 1e-6, "update");
    tf.dispose([w, g, m, v, mRef, vRef, mSnapshot, vSnapshot, got, want]);
  });
});

describe("the kernel modules", () => {
  it("each has a build for the threaded backend's shared memory, and it instantiates", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const dir = `${__dirname}/../../../kernel-lib/src/tf/kernels`;
    for (const name of ["LayerNorm", "Gelu", "AdamW", "Heads", "Attention", "SumOfSquares", "Transpose"]) {
      const instance = new WebAssembly.Instance(loadWasmModule(dir, `${name}.shared`), { env: { memory } });
      expect(Object.keys(instance.exports).length, name).toBeGreaterThan(0);
    }
  });
});
