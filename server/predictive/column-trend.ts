import type { Bin } from './column-series.ts';
import { median, theilSen } from './robust-stats.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface ColumnTrend {
  status: 'learning' | 'too_little_data' | 'stable' | 'degrading' | 'crossed';
  trend: 'rising' | 'falling' | 'flat' | null;
  note: string;
  level: number | null;
  /** Units per day at the current level. */
  slopePerDay: number | null;
  threshold: number | null;
  daysToThreshold: number | null;
  bandDays: { low: number; high: number | null } | null;
  crossingAt: number | null;
}

export interface TrendRequest {
  bins: readonly Bin[];
  /** First bin after the learning period. */
  from: number;
  /** Fit only since this time (the onset of a change still going on), else the last `windowDays`. */
  since: number | null;
  windowDays: number;
  threshold: number | undefined;
  /** Which way is worse; 'both': the trend is reported, a threshold is crossed on its own side. */
  worse: 'up' | 'down';
  scale: 'linear' | 'log';
}

const nothing = (status: ColumnTrend['status'], note: string): ColumnTrend => ({
  status,
  trend: null,
  note,
  level: null,
  slopePerDay: null,
  threshold: null,
  daysToThreshold: null,
  bandDays: null,
  crossingAt: null,
});

/** Fewest points (hourly medians, or bins when they are wider) a trend is fitted on. */
const MIN_POINTS = 6;
/** The long fit's reach, days. */
const LONG_DAYS = 60;

/**
 * Robust trend of a column (Theil-Sen on hourly medians, on the log of a positive quantity such as a
 * vibration level, where wear grows exponentially) and the time until it reaches its threshold, with a
 * band from the slope's rank interval. Fits since a change's onset when one is going on, so a rise of
 * the last day is not outvoted by a flat week. Pure.
 */
export function columnTrend(r: TrendRequest): ColumnTrend {
  const judged = r.bins.slice(r.from);
  if (judged.length === 0)
    return nothing('learning', 'still learning: every reading so far is the healthy reference');
  const tEnd = judged[judged.length - 1]!.t;
  // Candidate fits, the first whose slope is beyond chance wins: since a change's onset (a fast rise),
  // the trend window (hourly medians), then the last 60 days of daily medians (a slow drift that a
  // daily cycle hides hour by hour).
  const candidates = [
    ...(r.since !== null ? [hourly(judged.filter((b) => b.t >= r.since!))] : []),
    hourly(judged.filter((b) => b.t >= tEnd - r.windowDays * DAY)),
    daily(judged.filter((b) => b.t >= tEnd - LONG_DAYS * DAY)),
  ].filter((c) => c.length >= MIN_POINTS);
  if (candidates.length === 0) {
    const n = hourly(judged).length;
    return nothing('too_little_data', `too little data for a trend: ${n} points, ${MIN_POINTS} needed`);
  }
  const points = candidates.find((c) => significant(c, r.scale)) ?? candidates[0]!;
  const log = r.scale === 'log' && points.every((p) => p.v > 0);
  const xs = points.map((p) => (p.t - tEnd) / DAY);
  const fit = theilSen(
    xs,
    points.map((p) => (log ? Math.log(p.v) : p.v)),
  );
  const levelOnScale = fit.intercept;
  const level = log ? Math.exp(levelOnScale) : levelOnScale;
  const trend = fit.slopeLow > 0 ? 'rising' : fit.slopeHigh < 0 ? 'falling' : 'flat';
  const base: ColumnTrend = {
    ...nothing('stable', ''),
    trend,
    level,
    slopePerDay: log ? level * fit.slope : fit.slope,
    threshold: r.threshold ?? null,
  };
  if (r.threshold === undefined) return { ...base, note: `${trend} trend; no threshold: trend only` };
  const towards = r.worse === 'up' ? 1 : -1;
  if (towards * (level - r.threshold) >= 0) {
    return {
      ...base,
      status: 'crossed',
      note: 'the threshold is crossed now',
      daysToThreshold: 0,
      bandDays: { low: 0, high: 0 },
      crossingAt: tEnd,
    };
  }
  const g = (v: number) => (log ? Math.log(v) : v);
  if (log && r.threshold <= 0) return { ...base, note: 'a threshold at or below zero on a log scale' };
  const gap = towards * (g(r.threshold) - levelOnScale);
  const rates = [towards * fit.slopeLow, towards * fit.slopeHigh];
  const rate = towards * fit.slope;
  const slow = Math.min(...rates);
  const fast = Math.max(...rates);
  if (!(rate > 0)) return { ...base, note: 'no trend toward the threshold' };
  const days = gap / rate;
  return {
    ...base,
    status: slow > 0 ? 'degrading' : 'stable',
    note:
      slow > 0
        ? `${log ? 'exponential' : 'linear'} trend toward the threshold over ${points.length} points`
        : 'a slope toward the threshold that noise could explain',
    daysToThreshold: days,
    bandDays: { low: gap / fast, high: slow > 0 ? gap / slow : null },
    crossingAt: tEnd + days * DAY,
  };
}

function significant(points: readonly Bin[], scale: 'linear' | 'log'): boolean {
  const log = scale === 'log' && points.every((p) => p.v > 0);
  const fit = theilSen(
    points.map((p) => p.t / DAY),
    points.map((p) => (log ? Math.log(p.v) : p.v)),
  );
  return fit.slopeLow > 0 || fit.slopeHigh < 0;
}

/** Daily medians of the bins. */
function daily(bins: readonly Bin[]): Bin[] {
  const out: Bin[] = [];
  let day = Number.NaN;
  let values: number[] = [];
  const flush = () => {
    if (values.length > 0) out.push({ t: day + DAY / 2, v: median(values) });
  };
  for (const b of bins) {
    const d = Math.floor(b.t / DAY) * DAY;
    if (d !== day) {
      flush();
      day = d;
      values = [];
    }
    values.push(b.v);
  }
  flush();
  return out;
}

/** Hourly medians of the bins (the bins themselves when they are an hour or wider). */
function hourly(bins: readonly Bin[]): Bin[] {
  const out: Bin[] = [];
  let hour = Number.NaN;
  let values: number[] = [];
  const flush = () => {
    if (values.length > 0) out.push({ t: hour + HOUR / 2, v: median(values) });
  };
  for (const b of bins) {
    const h = Math.floor(b.t / HOUR) * HOUR;
    if (h !== hour) {
      flush();
      hour = h;
      values = [];
    }
    values.push(b.v);
  }
  flush();
  // A short file (minutes) has too few hours: its bins are the points.
  return out.length >= MIN_POINTS ? out : [...bins];
}
