/** Robust statistics over plain arrays: medians, MAD and the Theil-Sen line with its confidence band. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation scaled to a normal sigma (x 1.4826). */
export function robustSigma(values: readonly number[], center = median(values)): number {
  return 1.4826 * median(values.map((v) => Math.abs(v - center)));
}

export interface TheilSenFit {
  slope: number;
  intercept: number;
  /** Slope band at the requested confidence (Sen's rank interval on the pairwise slopes). */
  slopeLow: number;
  slopeHigh: number;
  /** Points used. */
  n: number;
}

/** z of a two-sided normal interval. */
const Z = { 0.8: 1.2816, 0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758 } as const;
export type Confidence = keyof typeof Z;

/** Most points a fit uses; past this the series is thinned evenly (pairwise slopes are O(n^2)). */
const MAX_POINTS = 64;

/**
 * Theil-Sen line through (x, y): the median of all pairwise slopes, intercept the median of y - slope x.
 * Breakdown point 29%: steps and outliers in up to a quarter of the points barely move it. The band
 * is Sen's (1968) distribution-free interval from the ranks of the pairwise slopes. Undefined (NaN) with
 * fewer than two distinct x.
 */
export function theilSen(
  xs: readonly number[],
  ys: readonly number[],
  confidence: Confidence = 0.9,
): TheilSenFit {
  if (xs.length !== ys.length)
    throw new RangeError(`x and y differ in length (${xs.length} vs ${ys.length})`);
  const idx = thin(xs.length, MAX_POINTS);
  const n = idx.length;
  const all = new Float64Array((n * (n - 1)) / 2);
  let N = 0;
  for (let a = 0; a < n; a++) {
    const xa = xs[idx[a]!]!;
    const ya = ys[idx[a]!]!;
    for (let b = a + 1; b < n; b++) {
      const dx = xs[idx[b]!]! - xa;
      if (dx !== 0) all[N++] = (ys[idx[b]!]! - ya) / dx;
    }
  }
  if (N === 0)
    return { slope: Number.NaN, intercept: Number.NaN, slopeLow: Number.NaN, slopeHigh: Number.NaN, n };
  // A typed array sorts numerically in native code, several times faster than Array#sort with a comparator.
  const slopes = all.subarray(0, N).sort();
  const slope = N % 2 === 1 ? slopes[N >> 1]! : (slopes[N / 2 - 1]! + slopes[N / 2]!) / 2;
  const intercept = median(idx.map((i) => ys[i]! - slope * xs[i]!));
  // Var(S) of Kendall's statistic without ties; C is the rank half-width of the slope interval.
  const c = Z[confidence] * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowRank = Math.max(0, Math.floor((N - c) / 2));
  const highRank = Math.min(N - 1, Math.ceil((N + c) / 2));
  return { slope, intercept, slopeLow: slopes[lowRank]!, slopeHigh: slopes[highRank]!, n };
}

function thin(length: number, most: number): number[] {
  if (length <= most) return Array.from({ length }, (_, i) => i);
  const step = (length - 1) / (most - 1);
  return Array.from({ length: most }, (_, i) => Math.round(i * step));
}
