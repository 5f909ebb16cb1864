import type { PredictiveConfig } from './config.ts';
import { median, robustSigma } from './robust-stats.ts';

/** A healthy level learned in one speed band: median and robust sigma of its samples. */
export interface BandBaseline {
  samples: number[];
  median: number | null;
  sigma: number | null;
}

/**
 * Baselines per speed band, learned while the pump runs in the first `baselineDays` of data; then frozen
 * (a degrading pump must not teach the model that wear is normal). A band first seen later borrows the
 * nearest learned one. `reference` is the worst learned band's level: predictions use it, so a crossing
 * is predicted for the most demanding operating point seen.
 */
export interface BaselineState {
  startedAt: number | null;
  closed: boolean;
  bands: Record<string, BandBaseline>;
  reference: number | null;
  referenceSigma: number | null;
}

export function newBaseline(): BaselineState {
  return { startedAt: null, closed: false, bands: {}, reference: null, referenceSigma: null };
}

/** Adds a sample to its band while learning; closes learning when the window is over (mutates). */
export function learnBaseline(
  state: BaselineState,
  at: number,
  band: number,
  value: number,
  config: PredictiveConfig,
  worse: 'up' | 'down',
): void {
  if (state.closed) return;
  state.startedAt ??= at;
  let entry = state.bands[band];
  if (!entry) {
    entry = { samples: [], median: null, sigma: null };
    state.bands[band] = entry;
  }
  if (entry.median === null) {
    entry.samples.push(value);
    if (entry.samples.length >= config.baselineSamples) {
      entry.median = median(entry.samples);
      // A floor on sigma: a perfectly quiet (or quantised) sensor must not turn every tick into z = 1000.
      entry.sigma = Math.max(robustSigma(entry.samples, entry.median), 0.005 * Math.abs(entry.median), 1e-6);
      entry.samples = [];
    }
  }
  const ready = Object.values(state.bands).filter((b) => b.median !== null);
  if (ready.length > 0 && at - state.startedAt >= config.baselineDays * 86_400_000) {
    state.closed = true;
    for (const key of Object.keys(state.bands))
      if (state.bands[key]!.median === null) delete state.bands[key];
    const worst = ready.reduce((a, b) =>
      (worse === 'up' ? b.median! > a.median! : b.median! < a.median!) ? b : a,
    );
    state.reference = worst.median;
    state.referenceSigma = worst.sigma;
  }
}

/** The learned baseline for a band (the nearest learned band once learning is over), or undefined. */
export function baselineFor(
  state: BaselineState,
  band: number,
): { median: number; sigma: number } | undefined {
  const exact = state.bands[band];
  if (exact?.median != null && exact.sigma != null) return { median: exact.median, sigma: exact.sigma };
  if (!state.closed) return undefined;
  let best: BandBaseline | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [key, entry] of Object.entries(state.bands)) {
    const distance = Math.abs(Number(key) - band);
    if (entry.median !== null && distance < bestDistance) {
      best = entry;
      bestDistance = distance;
    }
  }
  return best?.median != null && best.sigma != null ? { median: best.median, sigma: best.sigma } : undefined;
}
