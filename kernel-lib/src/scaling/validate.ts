/** Input checks shared by the fits: every error names the point and the field. */
export interface ScalingPoint {
  /** Parameters (non-embedding, as in the paper's convention you choose — be consistent). */
  N: number;
  /** Training tokens. */
  D: number;
  /** Final loss (nats per token). */
  loss: number;
}

export function validatePoints(points: readonly ScalingPoint[], minPoints: number, what: string): void {
  if (!Array.isArray(points)) throw new TypeError(`${what}: points must be an array of { N, D, loss }`);
  if (points.length < minPoints) {
    throw new RangeError(`${what}: needs at least ${minPoints} points, got ${points.length}`);
  }
  points.forEach((p, i) => {
    for (const field of ["N", "D", "loss"] as const) {
      const v = p?.[field];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${what}: point ${i} has ${field} = ${v}; it must be a finite number`);
      if (v <= 0) throw new RangeError(`${what}: point ${i} has ${field} = ${v}; it must be > 0`);
    }
  });
}

export function validateXY(x: readonly number[], y: readonly number[], minPoints: number, what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: x has ${x.length} values but y has ${y.length}`);
  if (x.length < minPoints) throw new RangeError(`${what}: needs at least ${minPoints} points, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || x[i] <= 0) throw new RangeError(`${what}: x[${i}] = ${x[i]}; it must be a finite number > 0`);
    if (!Number.isFinite(y[i]) || y[i] <= 0) throw new RangeError(`${what}: y[${i}] = ${y[i]}; it must be a finite number > 0`);
  }
}
