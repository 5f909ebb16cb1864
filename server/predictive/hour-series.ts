import type { HourPoint } from './trend.ts';

const HOUR = 3_600_000;

/** Hourly medians as a saved model holds them: two columns of plain numbers (JSON). */
export interface SavedHourSeries {
  /** Each hour's middle, ms. */
  t: number[];
  v: number[];
}

/**
 * A track's hourly medians in memory, oldest first, in one typed array of pairs: the hour (hours since
 * the epoch, exact in a 32-bit float until the year 3883; each point stands at its hour's middle) and
 * the median as a 32-bit float. 8 bytes a point where two arrays of doubles took ~20 with their spare
 * capacity (a station's 8 days of 18 tracks: 46 KiB). A median moves in its seventh significant
 * digit, far below any sensor's resolution; the newest one is also kept exact, as it is written to the
 * health series. Only the first `length` pairs are in use.
 */
export interface HourSeries {
  pairs: Float32Array;
  length: number;
  /** The newest point's value as it was pushed. */
  newest: number | null;
}

const FIRST_CAPACITY = 16;
/** Pairs to spare in a series read from a snapshot (see hourSeriesOf). */
const LOAD_SPARE = 2;
const EMPTY = new Float32Array(0);

export function newHourSeries(): HourSeries {
  return { pairs: EMPTY, length: 0, newest: null };
}

export const hourCount = (series: HourSeries): number => series.length;

const capacity = (series: HourSeries) => series.pairs.length / 2;

/** The middle of the i-th hour, ms. */
export const hourTime = (series: HourSeries, i: number): number => series.pairs[2 * i]! * HOUR + HOUR / 2;

/** The i-th median; the newest one exact. */
export const hourValue = (series: HourSeries, i: number): number =>
  i === series.length - 1 && series.newest !== null ? series.newest : series.pairs[2 * i + 1]!;

/** Index of the first hour at or after `from`, ms. */
function firstFrom(series: HourSeries, from: number): number {
  let first = 0;
  while (first < series.length && hourTime(series, first) < from) first++;
  return first;
}

/** Drops the first `count` hours (mutates). */
function dropFirst(series: HourSeries, count: number): void {
  if (count <= 0) return;
  series.pairs.copyWithin(0, 2 * count, 2 * series.length);
  series.length -= count;
}

/**
 * Drops the hours before `keepFrom` and appends the median of the hour whose middle is `t` (at or
 * after `keepFrom`; mutates). The array grows only when the kept hours fill it: by doubling, but never
 * past the hours from `keepFrom` to `t`, so a track of 8 days holds at most 193 pairs.
 */
export function pushHour(series: HourSeries, t: number, v: number, keepFrom: number): void {
  dropFirst(series, firstFrom(series, keepFrom));
  if (series.length === capacity(series)) {
    const most = Math.floor((t - keepFrom) / HOUR) + 1;
    grow(series, Math.max(series.length + 1, Math.min(Math.max(FIRST_CAPACITY, 2 * series.length), most)));
  }
  series.pairs[2 * series.length] = Math.floor(t / HOUR);
  series.pairs[2 * series.length + 1] = v;
  series.length += 1;
  series.newest = v;
}

function grow(series: HourSeries, pairs: number): void {
  const grown = new Float32Array(2 * pairs);
  grown.set(series.pairs.subarray(0, 2 * series.length));
  series.pairs = grown;
}

/** The newest `n` medians (fewer if there are fewer), oldest first. */
export function newestValues(series: HourSeries, n: number): number[] {
  const values: number[] = [];
  for (let i = Math.max(0, series.length - n); i < series.length; i++) values.push(hourValue(series, i));
  return values;
}

/** The series as points, for the trend fit. */
export function hourPoints(series: HourSeries): HourPoint[] {
  const points: HourPoint[] = [];
  for (let i = 0; i < series.length; i++) points.push({ t: hourTime(series, i), v: hourValue(series, i) });
  return points;
}

/** The hours from `from` (ms) on, as a saved model keeps them. Pure. */
export function savedHours(series: HourSeries, from = Number.NEGATIVE_INFINITY): SavedHourSeries {
  const saved: SavedHourSeries = { t: [], v: [] };
  for (let i = firstFrom(series, from); i < series.length; i++) {
    saved.t.push(hourTime(series, i));
    saved.v.push(hourValue(series, i));
  }
  return saved;
}

/**
 * A track's series from a saved model: columns, or an array of points (models saved before hours
 * were columns). A series already in memory is returned as it is. Two pairs to spare: a snapshot cuts
 * its days back from the newest message, up to two hours short of what a running track keeps (its
 * newest hour's middle lags the message by up to 90 minutes), so no track makes its array anew in the
 * first hours after a restart (at 1,000 stations every track at the same hour's close: ~28 MB of
 * arrays allocated in one second, whose old copies the allocator kept as resident memory).
 */
export function hourSeriesOf(saved: HourSeries | SavedHourSeries | readonly HourPoint[]): HourSeries {
  if (!Array.isArray(saved) && 'pairs' in saved) return saved as HourSeries;
  const points = Array.isArray(saved)
    ? (saved as readonly HourPoint[])
    : (saved as SavedHourSeries).t.map((t, i) => ({ t, v: (saved as SavedHourSeries).v[i]! }));
  const series = newHourSeries();
  if (points.length > 0) grow(series, points.length + LOAD_SPARE);
  for (const p of points) pushHour(series, p.t, p.v, Number.NEGATIVE_INFINITY);
  return series;
}
