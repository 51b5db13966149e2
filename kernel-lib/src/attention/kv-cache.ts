import * as tf from "@tensorflow/tfjs";
import { assertRank4, fmtShape } from "./shapes";

/**
 * How a `KVCache` grows:
 * - "concat": each step concatenates the new keys/values to the old tensors (a copy of the whole
 *   cache per step, on the backend);
 * - "preallocated": a host buffer with room for `capacity` positions (doubling when full) that
 *   new rows are written into; each step uploads the filled part as a fresh tensor.
 * tfjs tensors are immutable, so both copy O(length) per step; the lesson measures which wins.
 */
export type KvCacheStrategy = "concat" | "preallocated";

/** Options of `KVCache`. */
export interface KvCacheOptions {
  /** Default "concat". */
  strategy?: KvCacheStrategy;
  /** Initial room, in positions, of a "preallocated" cache (default 256). */
  capacity?: number;
}

/**
 * The keys and values of one attention layer for every position processed so far, shaped
 * `[batch, kvHeads, length, headDim]`. Incremental decoding feeds only the new token through
 * the model: its key and value are appended here and its query attends to all of them, so no
 * earlier position is ever recomputed.
 */
export class KVCache {
  readonly strategy: KvCacheStrategy;
  private k: tf.Tensor4D | null = null;
  private v: tf.Tensor4D | null = null;
  private len = 0;
  // "preallocated" host buffers, [batch, heads, capacity, dim].
  private kBuf: Float32Array | null = null;
  private vBuf: Float32Array | null = null;
  private cap: number;
  private dims: [number, number, number, number] | null = null; // [batch, heads, dimK, dimV]

  constructor(options: KvCacheOptions = {}) {
    this.strategy = options.strategy ?? "concat";
    if (this.strategy !== "concat" && this.strategy !== "preallocated") {
      throw new RangeError(`strategy must be "concat" or "preallocated", got ${JSON.stringify(this.strategy)}`);
    }
    this.cap = options.capacity ?? 256;
    if (!Number.isInteger(this.cap) || this.cap < 1) throw new RangeError(`capacity must be an integer >= 1, got ${this.cap}`);
  }

  /** Number of positions cached. */
  get length(): number {
    return this.len;
  }

  /** Cached keys `[batch, kvHeads, length, headDim]` (owned by the cache), or null when empty. */
  get keys(): tf.Tensor4D | null {
    return this.k;
  }

  /** Cached values (owned by the cache), or null when empty. */
  get values(): tf.Tensor4D | null {
    return this.v;
  }

  /** Bytes held by the cached keys and values (float32). */
  bytes(): number {
    return this.k && this.v ? 4 * (this.k.size + this.v.size) : 0;
  }

  /**
   * Append the keys/values of new positions (`[batch, kvHeads, t, headDim]`) and return the full
   * cache. The returned tensors belong to the cache: valid until the next `append`/`dispose`,
   * and safe to use inside `tf.tidy` (they are kept).
   */
  append(kNew: tf.Tensor, vNew: tf.Tensor): { keys: tf.Tensor4D; values: tf.Tensor4D } {
    assertRank4(kNew, "new keys");
    assertRank4(vNew, "new values");
    const [b, h, t, dk] = kNew.shape;
    const dv = vNew.shape[3];
    if (vNew.shape[0] !== b || vNew.shape[1] !== h || vNew.shape[2] !== t) {
      throw new RangeError(`new keys ${fmtShape(kNew.shape)} and values ${fmtShape(vNew.shape)} differ in batch, heads or length`);
    }
    if (this.dims && (this.dims[0] !== b || this.dims[1] !== h || this.dims[2] !== dk || this.dims[3] !== dv)) {
      const [cb, ch, cdk, cdv] = this.dims;
      throw new RangeError(
        `new keys ${fmtShape(kNew.shape)} / values ${fmtShape(vNew.shape)} do not match the cache [${cb},${ch},${this.len},${cdk}] / [${cb},${ch},${this.len},${cdv}]`,
      );
    }
    this.dims = [b, h, dk, dv];
    const oldK = this.k;
    const oldV = this.v;
    if (this.strategy === "concat") {
      this.k = tf.keep(oldK ? tf.concat([oldK, kNew], 2) : kNew.clone()) as tf.Tensor4D;
      this.v = tf.keep(oldV ? tf.concat([oldV, vNew], 2) : vNew.clone()) as tf.Tensor4D;
      this.len += t;
    } else {
      this.writeHost(kNew as tf.Tensor4D, vNew as tf.Tensor4D);
    }
    oldK?.dispose();
    oldV?.dispose();
    return { keys: this.k as tf.Tensor4D, values: this.v as tf.Tensor4D };
  }

  private writeHost(kNew: tf.Tensor4D, vNew: tf.Tensor4D): void {
    const [b, h, t, dk] = kNew.shape;
    const dv = vNew.shape[3];
    const need = this.len + t;
    if (!this.kBuf || need > this.cap) {
      let cap = this.cap;
      while (cap < need) cap *= 2;
      const kb = new Float32Array(b * h * cap * dk);
      const vb = new Float32Array(b * h * cap * dv);
      if (this.kBuf && this.vBuf) {
        for (let r = 0; r < b * h; r++) {
          kb.set(this.kBuf.subarray(r * this.cap * dk, (r * this.cap + this.len) * dk), r * cap * dk);
          vb.set(this.vBuf.subarray(r * this.cap * dv, (r * this.cap + this.len) * dv), r * cap * dv);
        }
      }
      this.kBuf = kb;
      this.vBuf = vb;
      this.cap = cap;
    }
    const kd = kNew.dataSync() as Float32Array;
    const vd = vNew.dataSync() as Float32Array;
    for (let r = 0; r < b * h; r++) {
      this.kBuf.set(kd.subarray(r * t * dk, (r + 1) * t * dk), (r * this.cap + this.len) * dk);
      (this.vBuf as Float32Array).set(vd.subarray(r * t * dv, (r + 1) * t * dv), (r * this.cap + this.len) * dv);
    }
    this.len = need;
    this.k = tf.keep(this.view(this.kBuf, b * h, dk, [b, h, need, dk]));
    this.v = tf.keep(this.view(this.vBuf as Float32Array, b * h, dv, [b, h, need, dv]));
  }

  private view(buf: Float32Array, rows: number, d: number, shape: [number, number, number, number]): tf.Tensor4D {
    if (rows === 1) return tf.tensor4d(buf.slice(0, this.len * d), shape);
    const out = new Float32Array(rows * this.len * d);
    for (let r = 0; r < rows; r++) out.set(buf.subarray(r * this.cap * d, (r * this.cap + this.len) * d), r * this.len * d);
    return tf.tensor4d(out, shape);
  }

  /** Forget every position and free the tensors (the cache can be reused). */
  reset(): void {
    this.k?.dispose();
    this.v?.dispose();
    this.k = null;
    this.v = null;
    this.kBuf = null;
    this.vBuf = null;
    this.len = 0;
    this.dims = null;
  }

  /** Free the tensors. */
  dispose(): void {
    this.reset();
  }
}
