/** Stored readings of one station in one bucket (a UTC day). */
export interface BucketCount {
  /** Bucket start, ms since the epoch (aligned to the epoch, as the stores bucket). */
  ts: number;
  count: number;
}

export interface DayCompleteness {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Readings the poll plan asks for: the part of the day covered (up to now) / the poll interval. */
  expected: number;
  stored: number;
  /** stored / expected, capped at 1 (null when nothing was expected). */
  ratio: number | null;
}

export const DAY_MS = 86_400_000;

/**
 * Completeness per UTC day over the last `days` days (today included, up to `now`): readings
 * stored against readings expected at one reading per `intervalMs`. Pure.
 */
export function completenessByDay(
  counts: readonly BucketCount[],
  options: {
    days: number;
    intervalMs: number;
    now: number;
    /** The station's first stored reading ever: nothing is expected before it. Default: no bound. */
    since?: number;
  },
): DayCompleteness[] {
  const { days, intervalMs, now } = options;
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const byDay = new Map<number, number>();
  for (const { ts, count } of counts) {
    const day = Math.floor(ts / DAY_MS) * DAY_MS;
    byDay.set(day, (byDay.get(day) ?? 0) + count);
  }
  const out: DayCompleteness[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = today - i * DAY_MS;
    const from = Math.max(start, since);
    const covered = Math.max(0, Math.min(start + DAY_MS, now) - from);
    const expected = Math.floor(covered / intervalMs);
    const stored = byDay.get(start) ?? 0;
    out.push({
      day: new Date(start).toISOString().slice(0, 10),
      expected,
      stored,
      ratio: expected === 0 ? null : Math.min(1, stored / expected),
    });
  }
  return out;
}
