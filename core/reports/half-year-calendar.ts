import { wallClock, wallClockMs } from '../time/wall-clock.ts';

/** The instant a wall-clock midnight (month 1-12, day default 1) of `timeZone` happens, ms. Pure. */
export function midnightIn(year: number, month: number, timeZone: string, day = 1): number {
  const asUtc = Date.UTC(year, month - 1, day);
  // The offset at the guess, then once more at the corrected instant (a DST change near midnight).
  let at = asUtc - (wallClockMs(asUtc, timeZone) - asUtc);
  at = asUtc - (wallClockMs(at, timeZone) - at);
  return at;
}

/**
 * The last whole calendar half-year of `timeZone` before `now`: 1 Jan-1 Jul or 1 Jul-1 Jan, each
 * boundary at local midnight. Pure.
 */
export function lastHalfYear(now: number, timeZone: string): { from: number; to: number } {
  const local = wallClock(now, timeZone);
  const [toYear, toMonth] = local.month >= 7 ? [local.year, 7] : [local.year, 1];
  const [fromYear, fromMonth] = toMonth === 7 ? [toYear, 1] : [toYear - 1, 7];
  return { from: midnightIn(fromYear, fromMonth, timeZone), to: midnightIn(toYear, toMonth, timeZone) };
}

/** "YYYY-MM" of `ms` in `timeZone`. Pure. */
export function monthOf(ms: number, timeZone: string): string {
  const local = wallClock(ms, timeZone);
  return `${local.year}-${String(local.month).padStart(2, '0')}`;
}

/** Every month from `from` to `to` (exclusive) in `timeZone`, with the faults opened in each. Pure. */
export function faultsPerMonth(
  openedAt: readonly number[],
  range: { from: number; to: number },
  timeZone: string,
): { month: string; faults: number }[] {
  const counts = new Map<string, number>();
  const start = wallClock(range.from, timeZone);
  const end = monthOf(range.to - 1, timeZone);
  let year = start.year;
  let month = start.month;
  for (let guard = 0; guard < 1200; guard++) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    counts.set(key, 0);
    if (key >= end) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  for (const at of openedAt) {
    const key = monthOf(at, timeZone);
    if (counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, faults]) => ({ month: key, faults }));
}
