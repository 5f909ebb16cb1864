import { lastHalfYear, midnightIn } from '../../../core/reports/half-year-calendar.ts';
import { wallClock } from '../../../core/time/wall-clock.ts';

export type RangePreset = 'lastHalf' | 'thisYear' | 'custom';
export const RANGE_PRESETS: readonly RangePreset[] = ['lastHalf', 'thisYear', 'custom'];

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight of a YYYY-MM-DD day in `timeZone`, ms; null for anything else. Pure. */
export function dayStart(day: string, timeZone: string): number | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  return midnightIn(Number(match[1]), Number(match[2]), timeZone, Number(match[3]));
}

/**
 * The report's range for a preset: the last whole half-year, this year to now, or the custom days
 * (both inclusive: `to` is the midnight after the last day). Null when the custom days are not a
 * range. Pure.
 */
export function presetRange(
  preset: RangePreset,
  now: number,
  timeZone: string,
  custom: { from: string; to: string },
): { from: number; to: number } | null {
  if (preset === 'lastHalf') return lastHalfYear(now, timeZone);
  if (preset === 'thisYear') return { from: midnightIn(wallClock(now, timeZone).year, 1, timeZone), to: now };
  const from = dayStart(custom.from, timeZone);
  const last = dayStart(custom.to, timeZone);
  if (from === null || last === null) return null;
  const to = last + 86_400_000;
  return from < to ? { from, to } : null;
}

/** YYYY-MM-DD of `ms` in `timeZone`. Pure. */
export function dayOf(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
