/**
 * Centred sums of two paired series: the building block of a regression slope and of a
 * correlation coefficient.
 */
export interface CentredSums {
  meanX: number;
  meanY: number;
  /** Σ (x − x̄)(y − ȳ) */
  sxy: number;
  /** Σ (x − x̄)² */
  sxx: number;
  /** Σ (y − ȳ)² */
  syy: number;
}

export function centredSums(x: ArrayLike<number>, y: ArrayLike<number>): CentredSums {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
    syy += (y[i] - meanY) ** 2;
  }
  return { meanX, meanY, sxy, sxx, syy };
}
