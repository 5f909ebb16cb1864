import { wallClockMs } from '../../core/time/wall-clock.ts';

/** Stored readings of one station in one bucket (a day, or a part of one). */
export interface BucketCount {
  /** Bucket start, ms since the epoch (aligned to the epoch, as the stores bucket). */
  ts: number;
  count: number;
}

export interface DayCompleteness {
  /** Date in the asked time zone (UTC by default), YYYY-MM-DD. */
  day: string;
  /** Readings the poll plan asks for: the part of the day covered (up to now) / the poll interval. */
  expected: number;
  stored: number;
  /** stored / expected, capped at 1 (null when nothing was expected). */
  ratio: number | null;
}

export const DAY_MS = 86_400_000;

/**
 * The local days that end with the one holding `now`, oldest first: each day's date and its
 * [start, end) in ms (23 or 25 hours long across a DST change). Pure.
 */
export function localDays(
  now: number,
  days: number,
  timeZone: string,
): Array<{ day: string; start: number; end: number }> {
  const out: Array<{ day: string; start: number; end: number }> = [];
  let end = Number.POSITIVE_INFINITY;
  let at = now;
  for (let i = 0; i < days; i++) {
    const { day, start } = localDayOf(at, timeZone);
    out.unshift({ day, start, end });
    end = start;
    at = start - 1;
  }
  return out;
}

/** The local date holding `ms` and the instant that date began. */
function localDayOf(ms: number, timeZone: string): { day: string; start: number } {
  const wall = wallClockMs(ms, timeZone);
  const midnightWall = Math.floor(wall / DAY_MS) * DAY_MS;
  // The offset at midnight may differ from the one now (DST): correct once with midnight's own.
  let start = midnightWall - (wall - Math.floor(ms / 1000) * 1000);
  start = midnightWall - (wallClockMs(start, timeZone) - start);
  return { day: new Date(midnightWall).toISOString().slice(0, 10), start };
}

/**
 * Completeness per day over the last `days` days (today included, up to `now`): readings stored
 * against readings expected at one reading per `intervalMs`. Days are those of `timeZone` (default
 * UTC); the counts' buckets must not straddle its midnights (15-minute buckets suit every zone). Pure.
 */
export function completenessByDay(
  counts: readonly BucketCount[],
  options: {
    days: number;
    intervalMs: number;
    now: number;
    /** The station's first stored reading ever: nothing is expected before it. Default: no bound. */
    since?: number;
    /** IANA time zone whose days are counted. Default UTC. */
    timeZone?: string;
  },
): DayCompleteness[] {
  const { intervalMs, now } = options;
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  const days = localDays(now, options.days, options.timeZone ?? 'UTC');
  return days.map(({ day, start, end }) => {
    const from = Math.max(start, since);
    const covered = Math.max(0, Math.min(end, now) - from);
    const expected = Math.floor(covered / intervalMs);
    let stored = 0;
    for (const { ts, count } of counts) if (ts >= start && ts < end) stored += count;
    return { day, expected, stored, ratio: expected === 0 ? null : Math.min(1, stored / expected) };
  });
}
