import * as tf from "@tensorflow/tfjs";
import { makeRng, type Rng } from "../../util";
import {
  callLearner,
  failure,
  firstMismatch,
  firstMismatchInRows,
  formatNumber,
  matchMistake,
  type Mistake,
  pass,
  requireFunction,
  type Tolerance,
  unravel,
} from "../../util/checker";
import { MASKED_SCORE } from "../../attention/masks";
import { applyRope, type RopePairing } from "../../attention/rope";
import { repeatKv, scaledDotProductAttention } from "../../attention/sdpa";
import { fmtShape } from "../../attention/shapes";
import { type CircuitHead, type CircuitLayout, circuitBlocks, embedCircuit, previousTokenHead, runCircuitHead } from "./lesson";

/*
 * Checkers for the lesson's "implement it" exercises. Each runs the learner's function on seeded
 * random inputs, compares with the library's reference and either prints one ✓ line (returning nothing) or throws
 * naming the first wrong element (expected vs got) and the likely cause. The causes are found by
 * comparing the answer with deliberately wrong variants of the reference (a missing scale, a
 * mask aligned the wrong way, …): a variant that reproduces the answer names the bug. The steps
 * are the shared checker core's (util/checker.ts).
 */

/** Elements may differ by this much (float32 arithmetic in a different order). */
const TOLERANCE: Tolerance = { abs: 1e-4 };

function randn(rng: Rng, shape: number[]): tf.Tensor4D {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(
    Float32Array.from({ length: n }, () => rng.normal()),
    shape as [number, number, number, number],
  );
}

/** The learner's result as numbers and a shape (a tensor, or nested arrays of numbers). */
function readResult(got: unknown, who: string): { shape: number[]; data: Float32Array } {
  if (got instanceof tf.Tensor) return { shape: got.shape, data: Float32Array.from(got.dataSync()) };
  if (Array.isArray(got)) {
    const t = tf.tensor(got as number[]);
    const r = { shape: t.shape, data: Float32Array.from(t.dataSync()) };
    t.dispose();
    return r;
  }
  const kind = got === null ? "null" : typeof got === "object" && got !== null && "then" in got ? "a Promise (make the function synchronous)" : typeof got;
  throw new TypeError(`${who}: your function must return a tensor, got ${kind}`);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A wrong variant of the reference: the cause it stands for and its output. */
type Variant = Mistake<Float32Array>;

/** One input of a checker: the reference answer, the learner's, and the wrong variants on it. */
interface Case {
  label: string;
  expected: { shape: number[]; data: Float32Array };
  got: { shape: number[]; data: Float32Array };
  variants: () => Variant[];
  shapeHint: (shape: number[]) => string;
}

const fmt = (x: number) => formatNumber(x, 6);

/**
 * Compare the learner's answers with the reference, case by case; return the largest difference,
 * or throw at the first wrong case, naming its first wrong element and the cause of the first
 * variant (fewest mistakes first) that reproduces the learner's answer on every case.
 */
function judge(who: string, cases: Case[], fallback: string, nanHint = ""): number {
  let worst = 0;
  for (const c of cases) {
    if (c.got.shape.join() !== c.expected.shape.join()) {
      throw new Error(`${who} (${c.label}): expected shape ${fmtShape(c.expected.shape)}, got ${fmtShape(c.got.shape)}.${c.shapeHint(c.got.shape)}`);
    }
    const i = firstMismatch(c.expected.data, c.got.data, TOLERANCE);
    if (i < 0) {
      worst = Math.max(worst, maxAbsDiff(c.expected.data, c.got.data));
      continue;
    }
    const where = `[${unravel(i, c.expected.shape).join(",")}]`;
    // The variant that reproduces the learner's answer here and on the most other cases (fewest mistakes first).
    const explains = (other: Case) =>
      new Set(
        other.got.shape.join() === other.expected.shape.join()
          ? other
              .variants()
              .filter((v) => firstMismatch(v.output, other.got.data, TOLERANCE) < 0)
              .map((v) => v.cause)
          : [],
      );
    const elsewhere = cases.filter((other) => other !== c).map(explains);
    const found = matchMistake(
      c.variants(),
      (data) => firstMismatch(data, c.got.data, TOLERANCE) < 0,
      (v) => elsewhere.filter((set) => set.has(v.cause)).length,
    );
    const note = nanHint && c.got.data.some((x) => Number.isNaN(x)) ? nanHint : "";
    throw failure(`${who} (${c.label}): element ${where} is ${fmt(c.got.data[i])}, expected ${fmt(c.expected.data[i])}`, found, fallback, note);
  }
  return worst;
}

/** Call the learner's function and read its result (what it throws names the case). */
function learnerResult(who: string, label: string, call: () => unknown): { shape: number[]; data: Float32Array } {
  return tf.tidy(() => readResult(callLearner(who, label, call), who));
}

function snapshot(t: tf.Tensor): { shape: number[]; data: Float32Array } {
  const r = { shape: t.shape, data: Float32Array.from(t.dataSync()) };
  t.dispose();
  return r;
}

/** The settings of one knob of a wrong implementation, each with the cause it stands for (null = correct). */
type Knob<T> = [T, string | null][];

/**
 * Every combination of the knobs' settings except the all-correct one, as variants named by their
 * causes, fewest mistakes first (the simplest explanation wins). `run` returns null to skip one.
 */
function variantsOf<S extends Record<string, unknown>>(knobs: { [K in keyof S]: Knob<S[K]> }, run: (settings: S) => Float32Array | null): Variant[] {
  let combos: { settings: Partial<S>; causes: string[] }[] = [{ settings: {}, causes: [] }];
  for (const key of Object.keys(knobs) as (keyof S)[]) {
    combos = combos.flatMap((c) =>
      knobs[key].map(([value, cause]) => ({ settings: { ...c.settings, [key]: value }, causes: cause ? [...c.causes, cause] : c.causes })),
    );
  }
  return combos
    .filter((c) => c.causes.length > 0)
    .sort((a, b) => a.causes.length - b.causes.length)
    .flatMap((c) => {
      const data = run(c.settings as S);
      return data ? [{ cause: c.causes.join("; and "), output: data }] : [];
    });
}

// ─── checkSdpa ──────────────────────────────────────────────────────────────────────────────

/** Causal attention as an exercise writes it: q `[b, h, lq, d]`, k `[b, h, lk, d]`, v `[b, h, lk, dv]`, lq ≤ lk. */
export type CausalSdpaFn = (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D) => tf.Tensor | number[][][][];

/**
 * Which keys query i sees (lq queries are the last lq of lk positions, shift = lk − lq):
 * "bottom-right" j ≤ i + shift (causal), "top-left" j ≤ i, "strict" j < i + shift (diagonal
 * hidden), "future" j ≥ i + shift (the mask on the wrong side), "none" every key.
 */
export type SdpaMaskKind = "bottom-right" | "top-left" | "strict" | "future" | "none";

/** The knobs a wrong implementation of attention turns. */
export type SdpaVariantOptions = {
  scale: number;
  mask: SdpaMaskKind;
  /** Softmax over the keys (right) or over the queries. */
  axis: "keys" | "queries";
  maskAfterSoftmax: boolean;
};

/**
 * Attention softmax(q·kᵀ·scale, masked) · v with the knobs a wrong implementation turns: the
 * reference the exercise checkers (here and lesson 04's) compute the usual mistakes with.
 */
export function sdpaVariant(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, o: SdpaVariantOptions): Float32Array {
  return tf.tidy(() => {
    const [lq, lk] = [q.shape[2], k.shape[2]];
    const shift = o.mask === "top-left" ? 0 : lk - lq;
    const sees = (i: number, j: number) => o.mask === "none" || (o.mask === "strict" ? j < i + shift : o.mask === "future" ? j >= i + shift : j <= i + shift);
    const allowed = tf.tensor2d(
      Array.from({ length: lq }, (_, i) => Array.from({ length: lk }, (_, j) => sees(i, j))),
      [lq, lk],
      "bool",
    );
    let scores = tf.matMul(q, k, false, true).mul(o.scale);
    if (!o.maskAfterSoftmax) scores = tf.where(allowed, scores, MASKED_SCORE);
    let weights = o.axis === "keys" ? tf.softmax(scores) : tf.softmax(scores.transpose([0, 1, 3, 2])).transpose([0, 1, 3, 2]);
    if (o.maskAfterSoftmax) weights = weights.mul(allowed.cast("float32"));
    return Float32Array.from(tf.matMul(weights, v).dataSync());
  });
}

/** Every combination of the classic mistakes, fewest mistakes first. */
function sdpaVariants(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): Variant[] {
  const d = q.shape[3];
  return variantsOf<SdpaVariantOptions>(
    {
      scale: [
        [1 / Math.sqrt(d), null],
        [1, "missing 1/√d scaling — divide the scores q·k by √d, d = the head dimension"],
        [1 / d, "scores divided by d instead of √d"],
      ],
      mask: [
        ["bottom-right", null],
        ["top-left", "mask aligned top-left — with lq < lk the queries are the LAST lq positions, so query i may see keys j ≤ i + (lk − lq)"],
        ["strict", "the mask hides the diagonal — a query may see its own key: j ≤ i + (lk − lq), not j <"],
        ["none", "no causal mask — query i must not see the keys after its own position i + (lk − lq)"],
      ],
      axis: [
        ["keys", null],
        ["queries", "softmax over the wrong axis — normalise each query's row of scores over the keys (the last axis), so that each row of weights sums to 1"],
      ],
      maskAfterSoftmax: [
        [false, null],
        [true, "mask applied after the softmax — masked weights are zeroed but the rest no longer sum to 1; mask the scores before the softmax"],
      ],
    },
    (o) => (o.maskAfterSoftmax && o.mask === "none" ? null : sdpaVariant(q, k, v, o)),
  );
}

/**
 * Check a learner's causal scaled dot-product attention `fn(q, k, v)` against
 * `scaledDotProductAttention(q, k, v, { causal: true })`: with as many queries as keys, and with
 * fewer queries than keys (new tokens over a KV cache, where the mask must be aligned
 * bottom-right). Throws naming the first wrong element, expected vs got, and the likely cause (a
 * missing 1/√d, a top-left mask, softmax over the wrong axis, the mask applied after softmax, a
 * hidden diagonal); prints one ✓ line when every case agrees.
 */
export function checkSdpa(fn: CausalSdpaFn): void {
  const who = "checkSdpa";
  requireFunction(fn, who, "checkSdpa(mySdpa)");
  const rng = makeRng(2024);
  const shapes = [
    { b: 2, h: 3, lq: 5, lk: 5, d: 8, dv: 6 },
    { b: 1, h: 2, lq: 3, lk: 7, d: 16, dv: 4 },
  ];
  const inputs = shapes.map((c) => ({ c, q: randn(rng, [c.b, c.h, c.lq, c.d]), k: randn(rng, [c.b, c.h, c.lk, c.d]), v: randn(rng, [c.b, c.h, c.lk, c.dv]) }));
  try {
    const cases: Case[] = inputs.map(({ c, q, k, v }) => {
      const label =
        c.lq === c.lk
          ? `${c.lq} queries over ${c.lk} keys, headDim ${c.d}`
          : `${c.lq} new queries over ${c.lk} keys (a cache of ${c.lk - c.lq}), headDim ${c.d}`;
      return {
        label,
        expected: snapshot(scaledDotProductAttention(q, k, v, { causal: true }).output),
        got: learnerResult(who, label, () => fn(q, k, v)),
        variants: () => sdpaVariants(q, k, v),
        shapeHint: (s) =>
          s.length === 4 && s[3] === c.d
            ? " The last axis of the output is v's: multiply the weights by v, not by k."
            : " The output is [batch, heads, lq, dv]: one weighted sum of the values per query.",
      };
    });
    const worst = judge(
      who,
      cases,
      "Compute scores = q·kᵀ/√d, set the scores of keys after each query's position to −1e9, softmax over the keys, multiply by v.",
      "NaN appears when every score of a softmax row is −Infinity: mask with a large negative number such as −1e9.",
    );
    pass(`checkSdpa: your causal attention matches scaledDotProductAttention (max |diff| ${worst.toExponential(1)}), with the cache's bottom-right mask too.`);
  } finally {
    inputs.forEach(({ q, k, v }) => tf.dispose([q, k, v]));
  }
}

// ─── checkRepeatKv ──────────────────────────────────────────────────────────────────────────

/** `repeatKv` as an exercise writes it: `[b, hKv, l, d]`, nRep → `[b, hKv·nRep, l, d]`. */
export type RepeatKvFn = (x: tf.Tensor4D, nRep: number) => tf.Tensor | number[][][][];

/**
 * Check a learner's `repeatKv(x, nRep)` (each kv head repeated nRep times in a row, so that
 * query head h reads kv head ⌊h / nRep⌋) against the library's. Names the likely cause: heads
 * tiled as a block (k0, k1, k0, k1) instead of interleaved (k0, k0, k1, k1), or repeats along
 * the wrong axis. Prints one ✓ line when every case agrees.
 */
export function checkRepeatKv(fn: RepeatKvFn): void {
  const who = "checkRepeatKv";
  requireFunction(fn, who, "checkRepeatKv(myRepeatKv)");
  const rng = makeRng(7);
  const specs = [
    { shape: [2, 2, 3, 4], nRep: 3 },
    { shape: [1, 4, 2, 2], nRep: 2 },
    { shape: [1, 2, 3, 2], nRep: 1 },
  ];
  const inputs = specs.map((c) => ({ ...c, x: randn(rng, c.shape) }));
  try {
    const cases: Case[] = inputs.map(({ shape, nRep, x }) => {
      const [b, h, l, d] = shape;
      const label = `${h} kv heads, nRep ${nRep}`;
      return {
        label,
        expected: snapshot(repeatKv(x, nRep)),
        got: learnerResult(who, label, () => fn(x, nRep)),
        variants: () => [
          {
            cause:
              "the heads are repeated as a block (k0, k1, k0, k1 — like tile) instead of each head nRep times in a row (k0, k0, k1, k1 — repeat_interleave): query head h must read kv head ⌊h / nRep⌋",
            output: tf.tidy(() => Float32Array.from(x.tile([1, nRep, 1, 1]).dataSync())),
          },
        ],
        shapeHint: (s) => {
          const is = (t: number[]) => s.join() === t.join();
          if (is([b, h, l, d])) return " You returned one copy of each head: nRep is ignored.";
          if (is([b, h, l * nRep, d])) return " You repeated along the sequence axis (2); repeat along the head axis (1).";
          if (is([b * nRep, h, l, d])) return " You repeated along the batch axis (0); repeat along the head axis (1).";
          if (is([b, h, l, d * nRep])) return " You repeated along the head-dimension axis (3); repeat along the head axis (1).";
          return " The result is [batch, hKv·nRep, seq, headDim].";
        },
      };
    });
    judge(who, cases, "Output head h must be a copy of input head ⌊h / nRep⌋.");
    pass("checkRepeatKv: each kv head is repeated nRep times in a row, so query head h reads kv head ⌊h / nRep⌋.");
  } finally {
    inputs.forEach(({ x }) => x.dispose());
  }
}

// ─── checkRope ──────────────────────────────────────────────────────────────────────────────

/** RoPE as an exercise writes it, on one head's vectors: x `[t][d]` at positions offset, offset + 1, … */
export type RopeLoopsFn = (x: number[][], offset: number) => number[][] | tf.Tensor;

/** RoPE in plain numbers with the knobs a wrong implementation turns. */
function ropeVariant(x: number[][], offset: number, o: { pairing: RopePairing; sign: 1 | -1; exponent: number; useOffset: boolean }): Float32Array {
  const t = x.length;
  const d = x[0].length;
  const out = new Float32Array(t * d);
  for (let m = 0; m < t; m++) {
    out.set(x[m], m * d);
    for (let i = 0; i < d / 2; i++) {
      const angle = o.sign * ((o.useOffset ? offset : 0) + m) * Math.pow(10000, (-o.exponent * i) / d);
      const [a, b] = o.pairing === "interleaved" ? [2 * i, 2 * i + 1] : [i, i + d / 2];
      out[m * d + a] = x[m][a] * Math.cos(angle) - x[m][b] * Math.sin(angle);
      out[m * d + b] = x[m][a] * Math.sin(angle) + x[m][b] * Math.cos(angle);
    }
  }
  return out;
}

function ropeVariants(x: number[][], offset: number, pairing: RopePairing): Variant[] {
  const other: RopePairing = pairing === "interleaved" ? "half" : "interleaved";
  type Settings = { pairing: RopePairing; sign: 1 | -1; exponent: number; useOffset: boolean };
  return variantsOf<Settings>(
    {
      pairing: [
        [pairing, null],
        [
          other,
          pairing === "interleaved"
            ? 'pairs (xᵢ, x_{i+d/2}) — that is the "half" pairing; "interleaved" rotates (x₀, x₁), (x₂, x₃), …'
            : 'pairs (x₀, x₁), (x₂, x₃), … — that is the "interleaved" pairing; "half" rotates (xᵢ, x_{i+d/2})',
        ],
      ],
      sign: [
        [1, null],
        [-1, "rotation in the wrong direction — (x₁, x₂) → (x₁ cos − x₂ sin, x₁ sin + x₂ cos)"],
      ],
      exponent: [
        [2, null],
        [1, "frequencies θᵢ = 10000^(−i/d) — the exponent is −2i/d, i = 0 … d/2 − 1 the pair index"],
      ],
      useOffset: [
        [true, null],
        [false, "offset ignored — row m is at position offset + m"],
      ],
    },
    (o) => ropeVariant(x, offset, o),
  );
}

/**
 * Check a learner's RoPE on one head, `fn(x, offset)` with x `[t][d]` (rows at positions
 * offset, offset + 1, …), against `applyRope` with the given pairing (default "interleaved").
 * Names the likely cause: the other pairing, a rotation in the wrong direction, frequencies with
 * the wrong exponent, an ignored offset. Prints one ✓ line when every case agrees.
 */
export function checkRope(fn: RopeLoopsFn, pairing: RopePairing = "interleaved"): void {
  const who = "checkRope";
  requireFunction(fn, who, "checkRope(myRope)");
  const rng = makeRng(11);
  const specs = [
    { t: 4, d: 8, offset: 0 },
    { t: 3, d: 12, offset: 6 },
  ];
  const cases: Case[] = specs.map(({ t, d, offset }) => {
    const x = Array.from({ length: t }, () => Array.from({ length: d }, () => rng.normal()));
    const label = `${t} positions × ${d} dimensions from position ${offset}, "${pairing}"`;
    return {
      label,
      expected: snapshot(tf.tidy(() => applyRope(tf.tensor4d(x.flat(), [1, 1, t, d]), { offset, pairing }).reshape([t, d]))),
      got: learnerResult(who, label, () =>
        fn(
          x.map((row) => [...row]),
          offset,
        ),
      ),
      variants: () => ropeVariants(x, offset, pairing),
      shapeHint: () => " Return one rotated row per input row, each as long as the input's.",
    };
  });
  judge(who, cases, "Rotate each pair by the angle (offset + m)·10000^(−2i/d).");
  pass(`checkRope: your RoPE matches applyRope ("${pairing}" pairing), offsets included.`);
}

// ─── checkPreviousTokenHead ─────────────────────────────────────────────────────────────────

/** A matrix as the learner may give it: rows of numbers, or a 2-D tensor. */
export type MatrixLike = number[][] | tf.Tensor2D;

/** A previous-token head as an exercise writes it: W_Q, W_K `[width, dHead]`, W_V `[width, width]` for a layout. */
export type PreviousTokenHeadFn = (layout: CircuitLayout) => { wQ: MatrixLike; wK: MatrixLike; wV: MatrixLike };

/** Each position t ≥ 1 must put at least this much of its attention on position t − 1. */
export const PREVIOUS_TOKEN_MIN_WEIGHT = 0.9;

function readMatrix(m: unknown, name: string, who: string): number[][] {
  if (m instanceof tf.Tensor) {
    if (m.rank !== 2) throw new TypeError(`${who}: ${name} must be a matrix (2-D), got shape ${fmtShape(m.shape)}`);
    return m.arraySync() as number[][];
  }
  if (
    Array.isArray(m) &&
    m.length > 0 &&
    m.every((row) => Array.isArray(row) && row.length === m[0].length && row.every((x) => typeof x === "number" && Number.isFinite(x)))
  )
    return m as number[][];
  throw new TypeError(`${who}: ${name} must be rows of finite numbers, all equally long (or a 2-D tensor)`);
}

/** Which key each row of scores peaks at (ties: every key at the maximum). */
function peaks(scores: number[][]): number[][] {
  return scores.map((row) => {
    const max = Math.max(...row);
    return row.flatMap((s, j) => (Math.abs(s - max) <= 1e-6 * Math.max(1, Math.abs(max)) ? [j] : []));
  });
}

/** One input of checkPreviousTokenHead: a random sequence, its residual stream, the learner's head run on it. */
interface HeadCase {
  tokens: number[];
  layout: CircuitLayout;
  run: ReturnType<typeof runCircuitHead>;
}

/** The known ways a previous-token head goes wrong, as tests on what the learner's head does (simplest first). */
function previousTokenMistakes(c: HeadCase, sameLayoutOther: HeadCase | undefined): Mistake<() => boolean>[] {
  const { tokens, run } = c;
  const T = tokens.length;
  const got = peaks(run.unmaskedScores);
  // rows 1 … T − 2: every row whose previous and next positions exist
  const rows = Array.from({ length: T - 2 }, (_, i) => i + 1);
  const peaksAt = (target: (t: number) => number[]) => () =>
    rows.every((t) => got[t].length === target(t).length && got[t].every((j) => target(t).includes(j)));
  const b = circuitBlocks(c.layout);
  return [
    {
      cause: `every score is the same, so each position spreads its attention evenly over what it can see — W_Q or W_K is all zeros, or reads a block that is still empty (the previous-token block, columns ${b.previous}…${b.guess - 1}, is filled only by layer 1)`,
      output: () => rows.every((t) => got[t].length === T),
    },
    {
      cause: `each position attends to itself — W_Q maps position t to t; it must map position t to t − 1 (W_Q[${b.position} + t][t − 1], with W_K[${b.position} + j][j])`,
      output: peaksAt((t) => [t]),
    },
    {
      cause:
        "the shift goes the wrong way: q_t matches k_{t+1}, the NEXT position, which the causal mask hides, so the weight spreads over the rest — position t must ask for t − 1",
      output: peaksAt((t) => [t + 1]),
    },
    { cause: "off by one: q_t matches k_{t−2}, two positions back — position t must ask for t − 1", output: peaksAt((t) => (t >= 2 ? [t - 2] : got[t])) },
    {
      cause: `the head looks for the same token, not the previous position — W_Q and W_K read the token block (columns 0…${b.position - 1}); read the position block (columns ${b.position}…${b.previous - 1})`,
      output: peaksAt((t) => tokens.flatMap((id, j) => (id === tokens[t] ? [j] : []))),
    },
    {
      cause: `the scores change when only the tokens change — W_Q or W_K reads the token block (columns 0…${b.position - 1}); a previous-token head looks at positions only (columns ${b.position}…${b.previous - 1})`,
      output: () =>
        sameLayoutOther?.run.unmaskedScores.some((row, t) => row.some((s, j) => Math.abs(s - run.unmaskedScores[t][j]) > 1e-6 * Math.max(1, Math.abs(s)))) ===
        true,
    },
    {
      cause: `the scores are too small: each position does prefer t − 1, but softmax is not sharp — after the 1/√d_head scaling a one-hot match scores only 1/√d_head; multiply W_Q by a gain (e.g. 10·√d_head) so that the previous position gets nearly all the weight`,
      output: () => run.weights.every((w, t) => t === 0 || argmaxOf(w) === t - 1),
    },
  ];
}

const argmaxOf = (row: number[]) => row.reduce((best, x, j) => (x > row[best] ? j : best), 0);

/** The known ways W_V goes wrong: what the head would write with the learner's weights and a wrong W_V. */
function valueMistakes(c: HeadCase, x: number[][]): Mistake<number[][]>[] {
  const b = circuitBlocks(c.layout);
  const V = c.layout.vocabSize;
  const writeWith = (fill: (wV: number[][]) => void): number[][] => {
    const wV = Array.from({ length: b.width }, () => new Array<number>(b.width).fill(0));
    fill(wV);
    const v = x.map((row) => wV[0].map((_, col) => row.reduce((s, xi, i) => s + xi * wV[i][col], 0)));
    return c.run.weights.map((w) => v[0].map((_, col) => w.reduce((s, wj, j) => s + wj * v[j][col], 0)));
  };
  return [
    {
      cause: `W_V is zero, or reads an empty block — rows are what it reads, columns where it writes: W_V[a][${b.previous} + a] = 1 for every token a`,
      output: writeWith(() => {}),
    },
    {
      cause: `W_V writes the token into the token block (columns 0…${V - 1}), on top of the current token — write it into the previous-token block (columns ${b.previous}…${b.guess - 1}), where layer 2 will read it`,
      output: writeWith((wV) => {
        for (let a = 0; a < V; a++) wV[b.token + a][b.token + a] = 1;
      }),
    },
    {
      cause: `W_V writes into the guess block (columns ${b.guess}…${b.width - 1}), the induction head's output — the previous-token head writes into the previous-token block (columns ${b.previous}…${b.guess - 1})`,
      output: writeWith((wV) => {
        for (let a = 0; a < V; a++) wV[b.token + a][b.guess + a] = 1;
      }),
    },
    {
      cause: "W_V copies the position, not the token — read the token block (rows 0…V−1)",
      output: writeWith((wV) => {
        for (let a = 0; a < Math.min(V, c.layout.maxLen); a++) wV[b.position + a][b.previous + a] = 1;
      }),
    },
  ];
}

/**
 * Check a learner's previous-token head: `fn(layout)` returns W_Q, W_K `[width, dHead]` and W_V
 * `[width, width]` for the circuit's residual stream (`circuitBlocks`). On seeded random sequences
 * (two layouts, two sequences each) every position t ≥ 1 must put at least 0.9 of its attention on
 * position t − 1, and the head must write the previous token's one-hot into the previous-token
 * block. Throws naming the first wrong row (or element), expected vs got, and the likely cause
 * (attends to itself, to the next position, two back, to the same token, uniform attention,
 * scores too small, W_V writing into the wrong block); prints one ✓ line when all agree.
 */
export function checkPreviousTokenHead(fn: PreviousTokenHeadFn): void {
  const who = "checkPreviousTokenHead";
  requireFunction(fn, who, "checkPreviousTokenHead(myPreviousTokenHead)");
  const rng = makeRng(3);
  const layouts: CircuitLayout[] = [
    { vocabSize: 5, maxLen: 9 },
    { vocabSize: 7, maxLen: 12 },
  ];
  let lowest = 1;
  for (const layout of layouts) {
    const b = circuitBlocks(layout);
    const label = `vocabSize ${layout.vocabSize}, maxLen ${layout.maxLen}`;
    const head = callLearner(who, label, () => fn({ ...layout }));
    if (typeof head !== "object" || head === null)
      throw new TypeError(`${who}: your function must return { wQ, wK, wV }, got ${head === null ? "null" : typeof head}`);
    const h: CircuitHead = { wQ: readMatrix(head.wQ, "wQ", who), wK: readMatrix(head.wK, "wK", who), wV: readMatrix(head.wV, "wV", who) };
    const shape = (m: number[][]) => [m.length, m[0].length];
    const dHead = h.wQ[0].length;
    if (h.wQ.length !== b.width || h.wK.length !== b.width || h.wK[0].length !== dHead)
      throw new Error(
        `${who} (${label}): W_Q is ${fmtShape(shape(h.wQ))} and W_K ${fmtShape(shape(h.wK))}; both must be [width ${b.width}, d_head] with the same d_head (width = 3·vocabSize + maxLen: token, position, previous-token and guess blocks).`,
      );
    if (h.wV.length !== b.width || h.wV[0].length !== b.width)
      throw new Error(
        `${who} (${label}): W_V is ${fmtShape(shape(h.wV))}, expected [${b.width}, ${b.width}] — here W_V writes straight into the residual stream.`,
      );
    const cases: HeadCase[] = [0, 1].map(() => {
      const tokens = Array.from({ length: layout.maxLen }, () => rng.int(layout.vocabSize));
      return { tokens, layout, run: runCircuitHead(embedCircuit(tokens, layout), h) };
    });
    cases.forEach((c, n) => {
      const where = `${label}, tokens [${c.tokens.join(", ")}]`;
      // 1. attention: row t puts ≥ 0.9 of its weight on t − 1
      const t = c.run.weights.findIndex((w, row) => row > 0 && !(w[row - 1] >= PREVIOUS_TOKEN_MIN_WEIGHT));
      if (t > 0) {
        const w = c.run.weights[t];
        const top = argmaxOf(w);
        const cause = matchMistake(previousTokenMistakes(c, cases[1 - n]), (test) => test());
        throw failure(
          `${who} (${where}): position ${t} puts ${formatNumber(w[t - 1], 3)} of its attention on position ${t - 1}, expected ≥ ${PREVIOUS_TOKEN_MIN_WEIGHT} (its largest weight, ${formatNumber(w[top], 3)}, is on position ${top})`,
          cause,
          `Make q_t·k_{t−1} the largest score of row t by a wide margin: a gain g at W_Q[${b.position} + t][t − 1] and 1 at W_K[${b.position} + j][j].`,
        );
      }
      lowest = Math.min(lowest, ...c.run.weights.slice(1).map((w, i) => w[i]));
      // 2. values: what the head writes, given its own attention weights
      const x = embedCircuit(c.tokens, layout);
      const want = runCircuitHead(x, { ...h, wV: previousTokenHead(layout).wV }).output;
      // (rows from position 1: position 0 has no previous token)
      const cell = firstMismatchInRows(want.slice(1), c.run.output.slice(1), { abs: 1e-4 });
      if (cell) {
        const [row, col] = [cell[0] + 1, cell[1]];
        const block = col < b.position ? "token" : col < b.previous ? "position" : col < b.guess ? "previous-token" : "guess";
        const cause = matchMistake(valueMistakes(c, x), (out) => firstMismatchInRows(out.slice(1), c.run.output.slice(1), { abs: 1e-4 }) === null);
        throw failure(
          `${who} (${where}): what the head writes at position ${row}, column ${col} (${block} block) is ${formatNumber(c.run.output[row][col], 4)}, expected ${formatNumber(want[row][col], 4)}`,
          cause,
          `W_V must copy the token block into the previous-token block: W_V[a][${b.previous} + a] = 1 for every token a, 0 elsewhere.`,
        );
      }
    });
  }
  pass(
    `${who}: every position puts ≥ ${PREVIOUS_TOKEN_MIN_WEIGHT} of its attention on the one before (lowest ${lowest.toFixed(3)}) and writes that token into the previous-token block.`,
  );
}
