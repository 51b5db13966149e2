/**
 * Lesson 07's own glue (its parameters and the λ list of the sweep: ./params): the tokens of an
 * embedding in the plane of one frequency. Everything the learner builds is in the notebook; what it is checked against is in
 * kernel-lib/src/grokking.
 */

/**
 * Each token's embedding projected on the plane of frequency k: the directions u_cos = Σ_t cos(ω t)·E[t]
 * and u_sin = Σ_t sin(ω t)·E[t] (ω = 2πk/p), normalised. A network that represents t by cos(ω t)
 * and sin(ω t) puts the tokens on a circle there, in the order t·k mod p.
 */
export function frequencyPlane(E: ArrayLike<number>, p: number, d: number, k: number): { x: number[]; y: number[] } {
  const w = (2 * Math.PI * k) / p;
  const dir = (f: (x: number) => number) => {
    const u = new Float64Array(d);
    for (let t = 0; t < p; t++) for (let j = 0; j < d; j++) u[j] += f(w * t) * E[t * d + j];
    const n = Math.hypot(...u) || 1;
    return u.map((v) => v / n);
  };
  const uc = dir(Math.cos);
  const us = dir(Math.sin);
  const proj = (u: Float64Array, t: number) => u.reduce((s, v, j) => s + v * E[t * d + j], 0);
  return { x: Array.from({ length: p }, (_, t) => proj(uc, t)), y: Array.from({ length: p }, (_, t) => proj(us, t)) };
}
