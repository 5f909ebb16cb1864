import type { PredictiveConfig } from './config.ts';
import { median, robustSigma } from './robust-stats.ts';

/** A healthy level learned in one speed band: median and robust sigma of its samples. */
export interface BandBaseline {
  samples: number[];
  median: number | null;
  sigma: number | null;
}

/**
 * Baselines per operating-point band, learned while the pump runs in the first `baselineDays` of data;
 * then frozen (a degrading pump must not teach the model that wear is normal). A band that has not
 * filled by then is learned from what it has if that is a quarter of `baselineSamples`, else dropped;
 * a band first seen later borrows from the learned ones (baselineFor, baselineAlong). `reference` is
 * the worst learned band's level: predictions use it, so a crossing is predicted for the most
 * demanding operating point seen.
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
    if (entry.samples.length >= config.baselineSamples) settle(entry);
  }
  const ready = Object.values(state.bands).filter((b) => b.median !== null);
  if (ready.length > 0 && at - state.startedAt >= config.baselineDays * 86_400_000) {
    state.closed = true;
    for (const [key, entry] of Object.entries(state.bands)) {
      if (entry.median !== null) continue;
      if (entry.samples.length >= Math.max(5, config.baselineSamples / 4)) {
        settle(entry);
        ready.push(entry);
      } else delete state.bands[key];
    }
    const worst = ready.reduce((a, b) =>
      (worse === 'up' ? b.median! > a.median! : b.median! < a.median!) ? b : a,
    );
    state.reference = worst.median;
    state.referenceSigma = worst.sigma;
  }
}

function settle(entry: BandBaseline): void {
  const level = median(entry.samples);
  entry.median = level;
  // A floor on sigma: a perfectly quiet (or quantised) sensor must not turn every tick into z = 1000.
  entry.sigma = Math.max(robustSigma(entry.samples, level), 0.005 * Math.abs(level), 1e-6);
  entry.samples = [];
}

type Level = { median: number; sigma: number };

const levelOf = (entry: BandBaseline | undefined): Level | undefined =>
  entry?.median != null && entry.sigma != null ? { median: entry.median, sigma: entry.sigma } : undefined;

/** The learned baseline for a band (the nearest learned band once learning is over), or undefined. */
export function baselineFor(state: BaselineState, band: number): Level | undefined {
  const exact = levelOf(state.bands[band]);
  if (exact || !state.closed) return exact;
  let best: BandBaseline | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [key, entry] of Object.entries(state.bands)) {
    const distance = Math.abs(Number(key) - band);
    if (entry.median !== null && distance < bestDistance) {
      best = entry;
      bestDistance = distance;
    }
  }
  return levelOf(best);
}

/**
 * The learned baseline at a continuous operating point `position` (band k spans [k, k + 1)): while
 * learning, its own band's; then interpolated between the centres of the learned bands on either
 * side, or the outermost one's within one band of its centre. Further out it is not compared
 * (undefined): a pump's efficiency changes too fast with flow to be carried far.
 */
export function baselineAlong(state: BaselineState, position: number): Level | undefined {
  if (!state.closed) return levelOf(state.bands[Math.floor(position)]);
  // Asked for every sample of a conditioned indicator: the bands are scanned without entries or
  // level objects on the way (they were ~2% of what the server allocated at 1,000 stations).
  let below: BandBaseline | undefined;
  let belowCentre = Number.NEGATIVE_INFINITY;
  let above: BandBaseline | undefined;
  let aboveCentre = Number.POSITIVE_INFINITY;
  for (const key in state.bands) {
    const entry = state.bands[key]!;
    if (entry.median == null || entry.sigma == null) continue;
    const centre = Number(key) + 0.5;
    if (centre <= position && centre > belowCentre) {
      below = entry;
      belowCentre = centre;
    }
    if (centre > position && centre < aboveCentre) {
      above = entry;
      aboveCentre = centre;
    }
  }
  if (below && above) {
    const w = (position - belowCentre) / (aboveCentre - belowCentre);
    return {
      median: below.median! + w * (above.median! - below.median!),
      sigma: below.sigma! + w * (above.sigma! - below.sigma!),
    };
  }
  const side = below ?? above;
  const centre = below ? belowCentre : aboveCentre;
  return side && Math.abs(position - centre) <= 1 ? levelOf(side) : undefined;
}
