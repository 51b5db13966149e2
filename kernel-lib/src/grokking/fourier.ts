/**
 * What a grokked network learned, measured: the discrete Fourier transform of the embedding over
 * the token axis. For column j of E `[p, d]`, X_k = Σ_t E[t, j]·e^(−2πi·k·t/p); the power of
 * frequency k is Σ_j |X_k|². A real input has X_{p−k} = conj(X_k), so frequencies k and p − k are
 * one: `fourierPower` returns index 0 for the constant (DC) term and index k = 1 … ⌊p/2⌋ for the
 * two halves combined (|X_k|² + |X_{p−k}|²; the Nyquist term k = p/2 of an even p has no twin).
 *
 * A memorising network spreads its power over all frequencies; the algorithm Nanda et al. found
 * (cos and sin of ω_k·a and ω_k·b, combined by trig identities into cos(ω_k(a + b − c))) needs only
 * a few. The Gini coefficient of the non-DC powers and the share of the top k measure that
 * concentration.
 */

/** Power per frequency of `E` (row-major `[p, d]`): length ⌊p/2⌋ + 1, index 0 = DC. */
export function fourierPower(E: ArrayLike<number>, p: number, d: number): number[] {
  if (E.length !== p * d) throw new RangeError(`fourierPower: expected ${p}×${d} = ${p * d} numbers, got ${E.length}`);
  const half = Math.floor(p / 2);
  const power = new Array<number>(half + 1).fill(0);
  for (let k = 0; k <= half; k++) {
    const w = (2 * Math.PI * k) / p;
    for (let j = 0; j < d; j++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < p; t++) {
        re += E[t * d + j] * Math.cos(w * t);
        im -= E[t * d + j] * Math.sin(w * t);
      }
      power[k] += re * re + im * im;
    }
    // k and p − k carry the same power; only DC and an even p's Nyquist term stand alone.
    if (k !== 0 && 2 * k !== p) power[k] *= 2;
  }
  return power;
}

/**
 * Gini coefficient of non-negative values: 0 when all are equal, → 1 when one holds everything.
 * G = Σ_i (2i − n − 1)·x_(i) / (n·Σ x) with x sorted ascending, i = 1 … n.
 */
export function gini(values: ArrayLike<number>): number {
  const x = Array.from(values).sort((u, v) => u - v);
  const n = x.length;
  const total = x.reduce((s, v) => s + v, 0);
  if (n === 0 || !(total > 0)) return 0;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * x[i];
  return acc / (n * total);
}

/** Share of the total held by the `k` largest values. */
export function topKShare(values: ArrayLike<number>, k: number): number {
  const x = Array.from(values).sort((u, v) => v - u);
  const total = x.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return 0;
  return x.slice(0, k).reduce((s, v) => s + v, 0) / total;
}

/** The frequencies k ≥ 1 with the most power, strongest first. */
export function keyFrequencies(power: ArrayLike<number>, k: number): number[] {
  return Array.from(power, (v, i) => ({ v, i }))
    .slice(1)
    .sort((u, v) => v.v - u.v)
    .slice(0, k)
    .map((e) => e.i);
}

/** The concentration measures of an embedding: Gini and top-5 share of the non-DC powers. */
export function fourierConcentration(E: ArrayLike<number>, p: number, d: number): { gini: number; top5: number; power: number[] } {
  const power = fourierPower(E, p, d);
  const ac = power.slice(1);
  return { gini: gini(ac), top5: topKShare(ac, 5), power };
}
