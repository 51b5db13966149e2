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

// ─── A two-layer induction circuit, built by hand ──────────────────────────────────────────

/** Sizes of the hand-built circuit's residual stream: how many token ids, how many positions. */
export interface CircuitLayout {
  vocabSize: number;
  maxLen: number;
}

/**
 * Where each block of the circuit's residual stream starts (V = vocabSize, T = maxLen):
 * the token's one-hot [0, V), the position's one-hot [V, V+T), the previous token's one-hot
 * [V+T, 2V+T) (written by layer 1), the guess of the next token [2V+T, 3V+T) (written by
 * layer 2); `width` = 3V + T.
 */
export function circuitBlocks(layout: CircuitLayout): { token: number; position: number; previous: number; guess: number; width: number } {
  const { vocabSize: V, maxLen: T } = layout;
  if (!Number.isInteger(V) || V < 1 || !Number.isInteger(T) || T < 2)
    throw new RangeError(`circuit layout needs an integer vocabSize ≥ 1 and maxLen ≥ 2, got ${V} and ${T}`);
  return { token: 0, position: V, previous: V + T, guess: 2 * V + T, width: 3 * V + T };
}

/**
 * One head of the hand-built circuit: W_Q and W_K `[width, dHead]`, and W_V `[width, width]`,
 * which here writes straight into the residual stream (the value and output projections W_V·W_O
 * as one matrix: row = what the head reads, column = where it writes).
 */
export interface CircuitHead {
  wQ: number[][];
  wK: number[][];
  wV: number[][];
}

/** How sharp the hand-built heads are: the score of a match after the 1/√d_head scaling. */
export const CIRCUIT_SHARPNESS = 10;

/** The residual stream of `tokens` before any layer: token one-hot and position one-hot, the rest zero. `[T][width]` */
export function embedCircuit(tokens: number[], layout: CircuitLayout): number[][] {
  const b = circuitBlocks(layout);
  if (tokens.length > layout.maxLen) throw new RangeError(`${tokens.length} tokens do not fit maxLen ${layout.maxLen}`);
  return tokens.map((id, t) => {
    if (!Number.isInteger(id) || id < 0 || id >= layout.vocabSize) throw new RangeError(`token ${t} is ${id}, outside 0 … ${layout.vocabSize - 1}`);
    const row = new Array<number>(b.width).fill(0);
    row[b.token + id] = 1;
    row[b.position + t] = 1;
    return row;
  });
}

const zeros = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));

/** An all-zero head (W_Q, W_K `[width, dHead]`, W_V `[width, width]`), the blocks, and the gain that makes a one-hot match score `sharpness` after 1/√dHead. */
function blankHead(layout: CircuitLayout, dHead: number, sharpness: number) {
  const b = circuitBlocks(layout);
  return { b, gain: sharpness * Math.sqrt(dHead), wQ: zeros(b.width, dHead), wK: zeros(b.width, dHead), wV: zeros(b.width, b.width) };
}

/**
 * A previous-token head: q_t is (a gain times) the one-hot of position t − 1, k_j the one-hot of
 * position j, so row t's largest score is at key t − 1; W_V copies the token block into the
 * previous-token block. d_head = maxLen.
 */
export function previousTokenHead(layout: CircuitLayout, sharpness = CIRCUIT_SHARPNESS): CircuitHead {
  const { b, gain, wQ, wK, wV } = blankHead(layout, layout.maxLen, sharpness);
  for (let t = 0; t < layout.maxLen; t++) {
    if (t > 0) wQ[b.position + t][t - 1] = gain; // position t asks for position t − 1
    wK[b.position + t][t] = 1; // position t answers as itself
  }
  for (let a = 0; a < layout.vocabSize; a++) wV[b.token + a][b.previous + a] = 1; // token a → "previous token was a"
  return { wQ, wK, wV };
}

/**
 * An induction head: q_t is (a gain times) the one-hot of token t, k_j the one-hot of the token
 * *before* j (the previous-token block layer 1 wrote), so token t looks at whatever followed its
 * earlier occurrences; W_V copies that token into the guess block. d_head = vocabSize.
 */
export function inductionHead(layout: CircuitLayout, sharpness = CIRCUIT_SHARPNESS): CircuitHead {
  const { b, gain, wQ, wK, wV } = blankHead(layout, layout.vocabSize, sharpness);
  for (let a = 0; a < layout.vocabSize; a++) {
    wQ[b.token + a][a] = gain; // "I am token a"
    wK[b.previous + a][a] = 1; // "the token before me was a"
    wV[b.token + a][b.guess + a] = 1; // hand back "a" as the guess of the next token
  }
  return { wQ, wK, wV };
}

/** x·w for rows of numbers, skipping zeros (the circuit's matrices are nearly all zeros). */
function matMulRows(x: number[][], w: number[][]): number[][] {
  const cols = w[0]?.length ?? 0;
  return x.map((row) => {
    const out = new Array<number>(cols).fill(0);
    for (let i = 0; i < row.length; i++) {
      if (row[i] === 0) continue;
      const wi = w[i];
      for (let c = 0; c < cols; c++) if (wi[c] !== 0) out[c] += row[i] * wi[c];
    }
    return out;
  });
}

/**
 * One causal head on a residual stream x `[T][width]`, in plain loops: scores q_t·k_j/√d_head
 * for j ≤ t, softmax, and the weighted sum of x_j·W_V. `unmaskedScores` are all q_t·k_j/√d_head,
 * the future too (what a checker reads to tell which way a head looks).
 */
export function runCircuitHead(x: number[][], head: CircuitHead): { weights: number[][]; output: number[][]; unmaskedScores: number[][] } {
  const q = matMulRows(x, head.wQ);
  const k = matMulRows(x, head.wK);
  const v = matMulRows(x, head.wV);
  const dHead = head.wQ[0]?.length ?? 1;
  const scale = 1 / Math.sqrt(dHead);
  const unmaskedScores = q.map((qt) =>
    k.map((kj) => {
      let dot = 0;
      for (let i = 0; i < dHead; i++) dot += qt[i] * kj[i];
      return dot * scale;
    }),
  );
  const weights = unmaskedScores.map((row, t) => {
    const seen = row.slice(0, t + 1);
    const max = Math.max(...seen);
    const e = seen.map((s) => Math.exp(s - max));
    const total = e.reduce((a, c) => a + c, 0);
    return row.map((_, j) => (j <= t ? e[j] / total : 0));
  });
  const vNonzero = v.map((row) => row.flatMap((x, c) => (x !== 0 ? [c] : [])));
  const width = v[0]?.length ?? 0;
  const output = weights.map((w, t) => {
    const out = new Array<number>(width).fill(0);
    for (let j = 0; j <= t; j++) for (const c of vNonzero[j]) out[c] += w[j] * v[j][c];
    return out;
  });
  return { weights, output, unmaskedScores };
}

/** What `inductionCircuit` returns: both layers' attention and the residual stream after each. */
export interface InductionCircuitRun {
  /** x₀: the embedding; x₁ = x₀ + head₁(x₀); x₂ = x₁ + head₂(x₁). `[T][width]` each. */
  x0: number[][];
  x1: number[][];
  x2: number[][];
  previousWeights: number[][];
  inductionWeights: number[][];
  /** At each position, the guess of the next token: the largest entry of x₂'s guess block. */
  predictions: number[];
}

const addRows = (a: number[][], b: number[][]) => a.map((row, t) => row.map((x, c) => x + b[t][c]));

/**
 * The two-layer circuit: a previous-token head writes "the token before me" into the residual
 * stream, and an induction head in the next layer matches the current token against it, copying
 * what followed the earlier occurrence. Heads default to `previousTokenHead` and `inductionHead`.
 */
export function inductionCircuit(
  tokens: number[],
  layout: CircuitLayout,
  heads: { previous?: CircuitHead; induction?: CircuitHead } = {},
): InductionCircuitRun {
  const b = circuitBlocks(layout);
  const x0 = embedCircuit(tokens, layout);
  const layer1 = runCircuitHead(x0, heads.previous ?? previousTokenHead(layout));
  const x1 = addRows(x0, layer1.output);
  const layer2 = runCircuitHead(x1, heads.induction ?? inductionHead(layout));
  const x2 = addRows(x1, layer2.output);
  const predictions = x2.map((row) => argmaxRows([row.slice(b.guess, b.guess + layout.vocabSize)])[0]);
  return { x0, x1, x2, previousWeights: layer1.weights, inductionWeights: layer2.weights, predictions };
}

/** The start token of `repeatedRandomTokens`: id 0, used nowhere else in the sequence. */
export const CIRCUIT_START = 0;

/**
 * A start token (id 0), then `half` random token ids (uniform over 1 … vocabSize − 1, repeats
 * allowed), then the same `half` again. The start token matters: position 0 has nothing before it,
 * so the previous-token head writes its own token there, and a token that never recurs keeps that
 * from matching anything (real models begin every text with such a token).
 */
export function repeatedRandomTokens(vocabSize: number, half: number, seed: number): number[] {
  if (vocabSize < 2 || half < 2) throw new RangeError(`need vocabSize ≥ 2 and half ≥ 2, got ${vocabSize} and ${half}`);
  const rng = makeRng(seed);
  const first = Array.from({ length: half }, () => 1 + rng.int(vocabSize - 1));
  return [CIRCUIT_START, ...first, ...first];
}

/**
 * How often the circuit's guess at position t is token t + 1, on a `repeatedRandomTokens`
 * sequence (start, first copy, second copy): over the first copy (nothing earlier to copy from)
 * and over the second (every next token is known from the first).
 */
export function copyingAccuracy(tokens: number[], predictions: number[]): { firstHalf: number; secondHalf: number } {
  if (tokens.length % 2 !== 1 || tokens.length < 5 || predictions.length !== tokens.length)
    throw new RangeError("a start token, a sequence and its repeat (odd length ≥ 5), and one prediction per token");
  const half = (tokens.length - 1) / 2;
  const share = (from: number, to: number) => {
    let hits = 0;
    for (let t = from; t < to; t++) if (predictions[t] === tokens[t + 1]) hits++;
    return hits / (to - from);
  };
  return { firstHalf: share(1, half), secondHalf: share(half + 1, 2 * half) };
}
