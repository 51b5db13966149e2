import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../util";
import { applyRope, rotatePair, type RopePairing } from "../../attention/rope";
import { scaledDotProductAttention } from "../../attention/sdpa";

/** What `attendOne` returns: every intermediate of attention for a single query. */
export interface OneQuery {
  /** q·k_j / √d for each key: how well each key answers the query. */
  scores: number[];
  /** softmax of the scores: non-negative, sum to 1. */
  weights: number[];
  /** Σ_j weights_j · v_j: what is handed back. */
  output: number[];
}

/**
 * Attention for one query in plain numbers, the way you would do it by hand: a query asks,
 * each key says how relevant it is (dot product, scaled by 1/√d), softmax turns relevance
 * into shares, and the answer is the share-weighted mix of the values.
 */
export function attendOne(query: number[], keys: number[][], values: number[][], scale?: number): OneQuery {
  const d = query.length;
  if (d === 0) throw new RangeError("query must have at least one number");
  if (keys.length === 0 || keys.length !== values.length)
    throw new RangeError(`keys (${keys.length}) and values (${values.length}) must be non-empty and equally many`);
  keys.forEach((k, j) => {
    if (k.length !== d) throw new RangeError(`keys[${j}] has length ${k.length}, the query has ${d}`);
  });
  const s = scale ?? 1 / Math.sqrt(d);
  const scores = keys.map((k) => k.reduce((acc, x, i) => acc + x * query[i], 0) * s);
  const max = Math.max(...scores);
  const exps = scores.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  const weights = exps.map((e) => e / total);
  const output = values[0].map((_, c) => values.reduce((acc, v, j) => acc + weights[j] * v[c], 0));
  return { scores, weights, output };
}

/** Lower-case words of a sentence (letters, digits, apostrophes), for the heatmap demos. */
export function sentenceWords(sentence: string): string[] {
  return sentence.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Unique axis labels for tokens that repeat ("the", "the" → "the", "the²"), so charts keep every row. */
export function tokenLabels(tokens: string[]): string[] {
  const seen = new Map<string, number>();
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return tokens.map((t) => {
    const n = (seen.get(t) ?? 0) + 1;
    seen.set(t, n);
    return n === 1
      ? t
      : t +
          String(n)
            .split("")
            .map((c) => sup[Number(c)])
            .join("");
  });
}

/** The q·k score of a query rotated to position m and a key rotated to position n. */
export function ropeScore(q: number[], k: number[], m: number, n: number, options: { base?: number; pairing?: RopePairing } = {}): number {
  if (q.length !== k.length) throw new RangeError(`q (length ${q.length}) and k (length ${k.length}) must have the same length`);
  return tf.tidy(() => {
    const d = q.length;
    const rq = applyRope(tf.tensor4d(q, [1, 1, 1, d]), { ...options, offset: m });
    const rk = applyRope(tf.tensor4d(k, [1, 1, 1, d]), { ...options, offset: n });
    return rq.mul(rk).sum().dataSync()[0];
  });
}

/** The interpretable heads of `handcraftedHeads`, in order. */
export const HANDCRAFTED_HEADS = ["previous token", "same token earlier", "induction", "average"] as const;

/** What `handcraftedHeads` returns. */
export interface HandcraftedHeads {
  heads: string[];
  tokens: string[];
  /** `[head][query][key]` causal attention weights. */
  weights: number[][][];
  /** The constructed queries and keys `[1, heads, tokens, dim]` (caller disposes). */
  q: tf.Tensor4D;
  k: tf.Tensor4D;
}

/**
 * Four attention heads whose queries and keys are written by hand (not learned) so that each
 * implements one rule that trained transformers are known to learn:
 * - previous token: q_i is the position code of i−1, k_j that of j (sinusoidal codes whose dot
 *   product depends only on the offset, as with RoPE), so the score peaks at j = i−1;
 * - same token earlier: q_i and k_j are the token's random identity vector, minus a position
 *   term that discourages attending to oneself; a small "sink" on the first token catches
 *   queries with no earlier copy (real models park attention on the first token the same way);
 * - induction: q_i is the identity of token i, k_j the identity of token j−1 (in a real model a
 *   previous-token head in an earlier layer writes that into the residual stream), so a token
 *   attends to whatever *followed* its earlier occurrence — the basis of in-context copying;
 * - average: q = 0, so every visible token gets the same weight.
 * All run through `scaledDotProductAttention` with the causal mask.
 */
export function handcraftedHeads(tokens: string[], options: { seed?: number; sharpness?: number } = {}): HandcraftedHeads {
  const T = tokens.length;
  if (T === 0) throw new RangeError("tokens must not be empty");
  const sharp = options.sharpness ?? 12;
  const rng = makeRng(options.seed ?? 1);
  const idDim = 32;
  const posDim = 64;
  if (T > 60) throw new RangeError(`handcraftedHeads works on up to 60 tokens (its position code repeats after 66), got ${T}`);
  const D = idDim + posDim + 1;
  const identity = new Map<string, number[]>();
  const idOf = (w: string): number[] => {
    let v = identity.get(w);
    if (!v) {
      const raw = Array.from({ length: idDim }, () => rng.normal());
      const norm = Math.hypot(...raw);
      v = raw.map((x) => x / norm);
      identity.set(w, v);
    }
    return v;
  };
  // Position code: (cos, sin) pairs at frequencies π·f/(F+1), f = 1…F, normalised. Like the
  // rotations of RoPE, code(i)·code(j) depends only on i − j; it is 1 at i = j and near 0 for
  // every other offset up to 2(F+1) positions.
  const F = posDim / 2;
  const pos = (i: number): number[] => {
    const out: number[] = [];
    for (let f = 1; f <= F; f++) out.push(Math.cos((i * Math.PI * f) / (F + 1)), Math.sin((i * Math.PI * f) / (F + 1)));
    return out.map((x) => x / Math.sqrt(F));
  };
  const zerosId = new Array(idDim).fill(0);
  const zerosPos = new Array(posDim).fill(0);
  const sqrtD = Math.sqrt(D);
  // Multiply queries by √D so that the 1/√D of scaled dot-product attention leaves `sharp` as the gain.
  const g = sharp * sqrtD;
  const q: number[][][] = [[], [], [], []];
  const k: number[][][] = [[], [], [], []];
  for (let i = 0; i < T; i++) {
    const id = idOf(tokens[i]);
    const prevId = i > 0 ? idOf(tokens[i - 1]) : zerosId;
    q[0].push([...zerosId, ...pos(i - 1).map((x) => g * x), 0]);
    k[0].push([...zerosId, ...pos(i), 0]);
    q[1].push([...id.map((x) => g * x), ...pos(i).map((x) => -g * x), 0.5 * g]);
    k[1].push([...id, ...pos(i), i === 0 ? 1 : 0]);
    q[2].push([...id.map((x) => g * x), ...zerosPos, 0.5 * g]);
    k[2].push([...prevId, ...zerosPos, i === 0 ? 1 : 0]);
    q[3].push(new Array(D).fill(0));
    k[3].push([...id, ...pos(i), 0]);
  }
  const qt = tf.tensor4d(q.flat(2), [1, 4, T, D]);
  const kt = tf.tensor4d(k.flat(2), [1, 4, T, D]);
  const weights = tf.tidy(() => scaledDotProductAttention(qt, kt, kt, { causal: true, returnWeights: true }).weights!.arraySync()[0]);
  return { heads: [...HANDCRAFTED_HEADS], tokens, weights, q: qt, k: kt };
}

/** Index of the largest weight in each row: where each query mostly looks. */
export function argmaxRows(weights: number[][]): number[] {
  return weights.map((row) => row.reduce((best, x, j) => (x > row[best] ? j : best), 0));
}

/** Points of the 2-D pair (x, y) rotated by m·θ for m = 0 … positions−1 (the RoPE picture). */
export function ropeOrbit(x: number, y: number, theta: number, positions: number): { x: number[]; y: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let m = 0; m < positions; m++) {
    const [a, b] = rotatePair(x, y, m * theta);
    xs.push(a);
    ys.push(b);
  }
  return { x: xs, y: ys };
}
