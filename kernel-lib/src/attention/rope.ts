import * as tf from "@tensorflow/tfjs";
import { assertRank4, fmtShape } from "./shapes";

/**
 * How RoPE groups the head dimensions into 2-D pairs that it rotates:
 * - "interleaved": pairs (x0, x1), (x2, x3), … — Su et al. (RoFormer) and Meta's Llama reference
 *   code (a complex multiplication);
 * - "half": pairs (x_i, x_{i+d/2}) — GPT-NeoX and Hugging Face's `rotate_half`.
 * They are the same rotation on permuted dimensions, so weights trained with one need their
 * q/k projection rows permuted to run with the other.
 */
export type RopePairing = "interleaved" | "half";

/** Options of `applyRope`. */
export interface RopeOptions {
  /** Frequency base θ; pair i turns by position · base^(-2i/d). Default 10000. */
  base?: number;
  /** Absolute position of the first row (the KV-cache length when decoding). Default 0. */
  offset?: number;
  /** Dimension pairing; default "interleaved". */
  pairing?: RopePairing;
}

/** The angle of pair i at position m: m · base^(-2i/headDim). Returns `[seqLen][headDim/2]`. */
export function ropeAngles(seqLen: number, headDim: number, options: { base?: number; offset?: number } = {}): Float64Array[] {
  const base = options.base ?? 10000;
  const offset = options.offset ?? 0;
  const half = headDim / 2;
  const inv = Array.from({ length: half }, (_, i) => Math.pow(base, (-2 * i) / headDim));
  return Array.from({ length: seqLen }, (_, m) => Float64Array.from(inv, (f) => (m + offset) * f));
}

/** Rotate the 2-D point (x, y) by `angle` radians — what RoPE does to every pair. */
export function rotatePair(x: number, y: number, angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

/**
 * The head-dimension permutation that turns "interleaved" into "half" layout:
 * `half[j] = interleaved[perm[j]]`, i.e. perm = [0, 2, 4, …, 1, 3, 5, …].
 */
export function ropePermutation(headDim: number): number[] {
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0) throw new RangeError(`headDim must be an even integer >= 2, got ${headDim}`);
  const half = headDim / 2;
  return Array.from({ length: headDim }, (_, j) => (j < half ? 2 * j : 2 * (j - half) + 1));
}

function validate(x: tf.Tensor, options: RopeOptions): { base: number; offset: number; pairing: RopePairing } {
  assertRank4(x, "x");
  const d = x.shape[3];
  if (d % 2 !== 0) throw new RangeError(`RoPE needs an even head dimension, got x of shape ${fmtShape(x.shape)} (headDim ${d})`);
  const base = options.base ?? 10000;
  const offset = options.offset ?? 0;
  const pairing = options.pairing ?? "interleaved";
  if (!(Number.isFinite(base) && base > 1)) throw new RangeError(`base must be a finite number > 1, got ${base}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be an integer >= 0, got ${offset}`);
  if (pairing !== "interleaved" && pairing !== "half") throw new RangeError(`pairing must be "interleaved" or "half", got ${JSON.stringify(pairing)}`);
  return { base, offset, pairing };
}

/**
 * Rotary position embedding on `[batch, heads, seq, headDim]`: rotate each pair of dimensions of
 * the vector at position m by m·θ_i. Rotations compose by adding angles, so the dot product of
 * a query rotated to m and a key rotated to n depends only on m − n: attention scores see
 * relative positions, with no position vectors added to the embeddings.
 */
export function applyRope(x: tf.Tensor, options: RopeOptions = {}): tf.Tensor4D {
  const { base, offset, pairing } = validate(x, options);
  const [b, h, l, d] = (x as tf.Tensor4D).shape;
  const half = d / 2;
  const angles = ropeAngles(l, d, { base, offset });
  // cos/sin laid out per dimension: pair i sits at dims (2i, 2i+1) or (i, i + d/2).
  const cosArr = new Float32Array(l * d);
  const sinArr = new Float32Array(l * d);
  angles.forEach((row, m) => {
    for (let i = 0; i < half; i++) {
      const [a, c] = pairing === "interleaved" ? [2 * i, 2 * i + 1] : [i, i + half];
      cosArr[m * d + a] = cosArr[m * d + c] = Math.cos(row[i]);
      sinArr[m * d + a] = sinArr[m * d + c] = Math.sin(row[i]);
    }
  });
  return tf.tidy(() => {
    // (x_a, x_c) → (x_a cos − x_c sin, x_c cos + x_a sin) = x·cos + (x P)·sin, where P is the
    // signed permutation that maps each pair (x_a, x_c) to (−x_c, x_a) (rotate_half for "half").
    // One small 2-D matmul instead of splitting and re-interleaving pairs: far fewer kernels,
    // and fast on every backend.
    const rows = tf.reshape(x, [b * h * l, d]);
    const swapped = tf.matMul(rows, rotationPermutation(d, pairing)).reshape([b, h, l, d]);
    const cos = tf.tensor2d(cosArr, [l, d]);
    const sin = tf.tensor2d(sinArr, [l, d]);
    return x.mul(cos).add(swapped.mul(sin)) as tf.Tensor4D;
  });
}

/** The d×d signed permutation P with (x P) = per pair (x_a, x_c) → (−x_c, x_a). */
function rotationPermutation(d: number, pairing: RopePairing): tf.Tensor2D {
  const p = new Float32Array(d * d);
  const half = d / 2;
  for (let i = 0; i < half; i++) {
    const [a, c] = pairing === "interleaved" ? [2 * i, 2 * i + 1] : [i, i + half];
    p[c * d + a] = -1; // out_a = −x_c
    p[a * d + c] = 1; // out_c = x_a
  }
  return tf.tensor2d(p, [d, d]);
}
