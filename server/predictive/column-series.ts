import { median, robustSigma } from './robust-stats.ts';

const HOUR = 3_600_000;

/** One time bin of a column: the median of its samples (a spike does not move it). */
export interface Bin {
  t: number;
  v: number;
}

/**
 * Bins of a time series: as wide as its usual sampling interval, wider only for long files (at most
 * 4,000 bins, never wider than an hour), so 1 s and 1 h exports, 15 minutes and years, cost about
 * the same and each bin is one independent-ish look at the process.
 */
export function binSeries(samples: readonly { at: number; v: number }[]): { binMs: number; bins: Bin[] } {
  if (samples.length === 0) return { binMs: 0, bins: [] };
  const intervals: number[] = [];
  const step = Math.max(1, Math.floor(samples.length / 2000));
  for (let i = step; i < samples.length; i += step) {
    const d = samples[i]!.at - samples[i - 1]!.at;
    if (d > 0) intervals.push(d);
  }
  const usual = intervals.length > 0 ? median(intervals) : 1000;
  const span = samples[samples.length - 1]!.at - samples[0]!.at;
  const binMs = Math.max(usual, Math.min(HOUR, Math.ceil(span / 4000)), 1);
  const t0 = samples[0]!.at;
  const bins: Bin[] = [];
  let index = -1;
  let values: number[] = [];
  const flush = () => {
    if (values.length > 0) bins.push({ t: t0 + (index + 0.5) * binMs, v: median(values) });
  };
  for (const s of samples) {
    const i = Math.floor((s.at - t0) / binMs);
    if (i !== index) {
      flush();
      index = i;
      values = [];
    }
    values.push(s.v);
  }
  flush();
  return { binMs, bins };
}

/** Fewest bins a healthy reference is learned from. */
export const MIN_LEARNING_BINS = 30;

export interface Learning {
  status: 'learned' | 'too_little_data';
  /** Bins [from, to) the reference was learned from; judging starts at `to`. */
  from: number;
  to: number;
  center: number;
  /** Noise of one bin around the reference, robust. */
  sigma: number;
  /** Why the learning period is where it is, in plain words. */
  note: string;
}

/**
 * The healthy reference of a column, learned from the first bins, adapting to the data: a fifth of
 * it (at least 30 bins, at most a week), restarted after a long break in the data (a rig or pump
 * stopped and restarted, often at another level), and moved later while its first and last thirds
 * disagree (a run-in or warm-up settling). Never more than half the data.
 */
export function learnReference(
  bins: readonly Bin[],
  binMs: number,
  floor: { relative: number; absolute: number } = { relative: 0.0025, absolute: 1e-9 },
): Learning {
  const n = bins.length;
  const none = (note: string): Learning => ({
    status: 'too_little_data',
    from: 0,
    to: n,
    center: Number.NaN,
    sigma: Number.NaN,
    note,
  });
  if (n < MIN_LEARNING_BINS + 1) return none(`too little data: ${n} bins, ${MIN_LEARNING_BINS + 1} needed`);
  const span = bins[n - 1]!.t - bins[0]!.t;
  const weekBins = Math.floor((7 * 24 * HOUR) / binMs);
  const length = Math.max(
    MIN_LEARNING_BINS,
    Math.min(Math.round(0.2 * n), Math.max(weekBins, MIN_LEARNING_BINS)),
  );
  const longBreak = Math.max(12 * binMs, 0.05 * span);
  const limit = Math.floor(0.5 * n);
  let from = 0;
  const notes: string[] = [];
  for (let guard = 0; guard < 50; guard++) {
    let to = Math.min(from + length, n);
    // A long break inside the window after which the level is another: learn again from after it.
    let restart = -1;
    for (let i = from + 1; i < to && i < limit; i++) {
      if (bins[i]!.t - bins[i - 1]!.t <= longBreak) continue;
      if (i - from < MIN_LEARNING_BINS || shifted(bins, from, i)) restart = i;
    }
    if (restart > 0) {
      notes.push(`restarted after a ${hours(bins[restart]!.t - bins[restart - 1]!.t)} break`);
      from = restart;
      continue;
    }
    to = Math.min(from + length, n);
    if (to - from < MIN_LEARNING_BINS) return none('too little data after the last break');
    const window = bins.slice(from, to).map((b) => b.v);
    const third = Math.floor(window.length / 3);
    const head = median(window.slice(0, third));
    const tail = median(window.slice(-third));
    const spread = noiseOf(window);
    if (Math.abs(tail - head) > 3 * spread && to + third <= limit) {
      notes.push('moved past a settling start');
      from += third;
      continue;
    }
    const center = median(window.slice(-2 * third));
    return {
      status: 'learned',
      from,
      to,
      center,
      sigma: Math.max(spread, floor.relative * Math.abs(center), floor.absolute, 1e-9),
      note: `learned from ${to - from} bins${notes.length ? ` (${notes.join(', ')})` : ''}`,
    };
  }
  return none('the data never settled to learn from');
}

/** The level after the break at `at` differs from the level before it by more than its noise allows. */
function shifted(bins: readonly Bin[], from: number, at: number): boolean {
  const before = bins.slice(Math.max(from, at - MIN_LEARNING_BINS), at).map((b) => b.v);
  const after = bins.slice(at, at + MIN_LEARNING_BINS).map((b) => b.v);
  if (after.length < 5) return false;
  const spread = Math.max(noiseOf(before), 0.0025 * Math.abs(median(before)));
  return Math.abs(median(after) - median(before)) > 3 * spread;
}

/** Noise of a series: the larger of its spread and its bin-to-bin jitter, both robust. */
function noiseOf(values: readonly number[]): number {
  const diffs = values.slice(1).map((v, i) => v - values[i]!);
  return Math.max(robustSigma(values), robustSigma(diffs, 0) / Math.SQRT2);
}

const hours = (ms: number) =>
  ms >= 2 * 86_400_000 ? `${(ms / 86_400_000).toFixed(1)} d` : `${(ms / HOUR).toFixed(1)} h`;
