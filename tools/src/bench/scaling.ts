/**
 * `llm-lessons bench scaling`: time of the full 4 500-start approach-3 fit on synthetic points
 * drawn from the published law with 1 % noise (target: under 10 s for a few hundred points).
 */
import type { BenchResult } from "./types";
import { CHINCHILLA_PUBLISHED, chinchillaLoss, fitChinchilla, logSpace, makeRng } from "kernel-lib";

export async function bench(opts: { quick: boolean }): Promise<BenchResult> {
  const side = opts.quick ? 10 : 18; // 100 or 324 points
  const rng = makeRng(0);
  const points = [];
  for (const N of logSpace(1e6, 1e10, side))
    for (const D of logSpace(1e8, 1e12, side)) points.push({ N, D, loss: chinchillaLoss(CHINCHILLA_PUBLISHED, N, D) * Math.exp(0.01 * rng.normal()) });
  const runs = opts.quick ? 1 : 3;
  const times: number[] = [];
  let fit = null;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fit = fitChinchilla(points);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    name: "scaling",
    figures: {
      points: points.length,
      starts: fit!.starts,
      fit_seconds_median: Number(times[Math.floor(times.length / 2)].toFixed(3)),
      fit_seconds_min: Number(times[0].toFixed(3)),
      E: Number(fit!.E.toFixed(4)),
      alpha: Number(fit!.alpha.toFixed(4)),
      beta: Number(fit!.beta.toFixed(4)),
    },
    notes: [`${runs} run(s); truth E = 1.69, alpha = 0.34, beta = 0.28 with 1 % multiplicative noise`],
  };
}
