import * as tf from "@tensorflow/tfjs";

/** `[2,4,8,16]` — how every error message in this module writes a shape. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Throw unless `t` is a rank-4 `[batch, heads, seq, headDim]` tensor; `name` goes in the message. */
export function assertRank4(t: tf.Tensor, name: string): asserts t is tf.Tensor4D {
  if (t.rank !== 4) {
    throw new RangeError(`${name} must be rank 4 [batch, heads, seq, headDim], got shape ${fmtShape(t.shape)}`);
  }
}

/** Throw unless `n` is an integer >= `min`; `name` goes in the message. */
export function assertInt(n: unknown, name: string, min = 1): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${String(n)}`);
  }
}

/** Throw unless `shape` broadcasts to `target` (numpy rules, trailing dims aligned). */
export function assertBroadcastable(shape: readonly number[], target: readonly number[], what: string): void {
  const ok =
    shape.length <= target.length &&
    shape.every((d, i) => {
      const t = target[target.length - shape.length + i];
      return d === t || d === 1;
    });
  if (!ok) throw new RangeError(`${what} of shape ${fmtShape(shape)} does not broadcast to ${fmtShape(target)}`);
}
