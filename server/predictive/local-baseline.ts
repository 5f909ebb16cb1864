import type { Bin } from './column-series.ts';
import { robustSigma } from './robust-stats.ts';

/**
 * Readings that follow the demand (flow, power, current, speed, and a booster's outlet pressure once
 * its pump runs flat out) are judged against where the pump just was, not against a fixed level: the
 * demand moves the operating point along the pump's curve slowly (a town's draw wanders over a
 * quarter of an hour), while a leak, a closing valve or a failing pump moves it within seconds to
 * minutes. The baseline is an exponentially weighted mean of the preceding bins, frozen while a change
 * accumulates so that a step stays visible for as long as it holds.
 */
export interface LocalBaseline {
  /** Time constant of the baseline, bins. */
  tauBins: number;
  /** Noise of a residual from the baseline, with the allowance for its autocorrelation. */
  sigma: number;
  /** Lag-1 autocorrelation of the learning period's residuals. */
  rho: number;
}

/** Time the baseline follows the demand over: slower than a fault's ramp, faster than the demand's wander. */
const TAU_MS = 60_000;
const MIN_TAU_BINS = 5;
const MAX_TAU_BINS = 60;
/** The baseline stops following once the running sum passes this many allowances. */
const FREEZE_SUM = 2;
/** At most this inflation for autocorrelation: the chart must still see a real step. */
const MAX_INFLATION = 2.5;

export function tauBinsFor(binMs: number): number {
  return Math.max(MIN_TAU_BINS, Math.min(MAX_TAU_BINS, Math.round(TAU_MS / Math.max(1, binMs))));
}

/**
 * Learns the noise of the residuals from the baseline over the learning bins [from, to), inflated by
 * the square root of the ratio of samples to effective samples, sqrt((1 + rho) / (1 - rho)) for an
 * AR(1) residual: a CUSUM assumes independent bins, and residuals that persist for tens of bins add up
 * to its limit by themselves on a healthy pump.
 */
export function learnLocal(
  bins: readonly Bin[],
  from: number,
  to: number,
  binMs: number,
  floor: number,
): LocalBaseline {
  const tauBins = tauBinsFor(binMs);
  const alpha = 1 - Math.exp(-1 / tauBins);
  let b = bins[from]!.v;
  const residuals: number[] = [];
  for (let i = from + 1; i < to; i++) {
    residuals.push(bins[i]!.v - b);
    b += alpha * (bins[i]!.v - b);
  }
  const settled = residuals.slice(Math.min(tauBins, Math.floor(residuals.length / 3)));
  const rho = lag1(settled);
  const inflation = Math.min(MAX_INFLATION, Math.sqrt((1 + rho) / (1 - rho)));
  // Around the residuals' own median: a demand ramping steadily leaves the baseline a constant lag behind, no noise.
  const sigma = Math.max(robustSigma(settled) * Math.max(1, inflation), floor, 1e-9);
  return { tauBins, sigma, rho };
}

/**
 * The residuals of the bins from `from` on against the moving baseline (as bins, centred on zero). The
 * baseline starts at the learned level and follows each bin unless the two-sided sum of residuals
 * beyond the allowance `k` (sigmas) has grown past twice the allowance (a change is accumulating).
 */
export function localResiduals(
  bins: readonly Bin[],
  from: number,
  start: number,
  local: LocalBaseline,
  k: number,
  longBreakMs: number,
): Bin[] {
  const alpha = 1 - Math.exp(-1 / local.tauBins);
  const out: Bin[] = bins.slice(0, from).map((bin) => ({ t: bin.t, v: 0 }));
  let b = start;
  let up = 0;
  let down = 0;
  for (let i = from; i < bins.length; i++) {
    const bin = bins[i]!;
    // After a long break the pump may run elsewhere on its curve: follow it from there.
    if (i > from && bin.t - bins[i - 1]!.t > longBreakMs) {
      b = bin.v;
      up = 0;
      down = 0;
    }
    const r = bin.v - b;
    out.push({ t: bin.t, v: r });
    const z = r / local.sigma;
    up = Math.max(0, up + z - k);
    down = Math.max(0, down - z - k);
    // A noise excursion or a slow ramp of the demand barely starts a sum; a step fills it within bins.
    if (Math.max(up, down) <= FREEZE_SUM * k) b += alpha * (bin.v - b);
  }
  return out;
}

function lag1(values: readonly number[]): number {
  if (values.length < 4) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    den += d * d;
    if (i > 0) num += d * (values[i - 1]! - mean);
  }
  return den > 0 ? Math.max(0, Math.min(0.95, num / den)) : 0;
}
