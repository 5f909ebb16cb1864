import { z } from 'zod';

/**
 * When an SLA clock counts: around the clock (24 x 7), or in working hours on working days. Times of
 * day are in the contract's local time, a fixed offset from UTC (China keeps +08:00 all year).
 */
export const workingHoursSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('24x7') }).strict(),
  z
    .object({
      kind: z.literal('working'),
      /** ISO weekdays that are working days unless the calendar says otherwise: 1 = Monday ... 7 = Sunday. */
      days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5]),
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
      end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM'),
      utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
      /** Whether the business calendar's public holidays and swapped working days apply. Default yes. */
      useCalendar: z.boolean().default(true),
    })
    .strict()
    .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] }),
]);
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const AROUND_THE_CLOCK: WorkingHours = { kind: '24x7' };

/** A day the business calendar overrides: a public holiday off, or a swapped working day (调休) on. */
export const BUSINESS_DAY_KINDS = ['holiday', 'workday'] as const;
export type BusinessDayKind = (typeof BUSINESS_DAY_KINDS)[number];

/** Calendar days (YYYY-MM-DD, local) that differ from the weekly rule. */
export type BusinessCalendar = ReadonlyMap<string, BusinessDayKind>;
export const EMPTY_CALENDAR: BusinessCalendar = new Map();

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A loop over days never runs past this: ten years of days. */
const MAX_DAYS = 3_660;

/** A half-open interval of time [from, to) in ms; `to` may be Infinity (a pause not yet resumed). */
export type Interval = readonly [number, number];

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function offsetOf(hours: WorkingHours): number {
  return hours.kind === 'working' ? hours.utcOffsetMinutes * MINUTE : 0;
}

/** The local calendar day (YYYY-MM-DD) a time falls on. */
export function localDay(at: number, utcOffsetMinutes: number): string {
  return new Date(at + utcOffsetMinutes * MINUTE).toISOString().slice(0, 10);
}

/** Is this local day a working day under these hours and this calendar? */
export function isWorkingDay(day: string, hours: WorkingHours, calendar: BusinessCalendar): boolean {
  if (hours.kind === '24x7') return true;
  const override = hours.useCalendar ? calendar.get(day) : undefined;
  if (override) return override === 'workday';
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
  return hours.days.includes(weekday);
}

/** The counting window of the local day starting at `dayStart` (UTC ms of local midnight), or null. */
function windowOf(dayStart: number, hours: WorkingHours, calendar: BusinessCalendar): Interval | null {
  if (hours.kind === '24x7') return [dayStart, dayStart + DAY];
  const day = new Date(dayStart + offsetOf(hours)).toISOString().slice(0, 10);
  if (!isWorkingDay(day, hours, calendar)) return null;
  return [dayStart + minutesOf(hours.start) * MINUTE, dayStart + minutesOf(hours.end) * MINUTE];
}

/** Sorted, merged pauses. */
function normalise(pauses: readonly Interval[]): Interval[] {
  const sorted = pauses.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** [from, to) minus the pauses, as intervals in order. */
function subtract(from: number, to: number, pauses: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = from;
  for (const [a, b] of pauses) {
    if (b <= cursor) continue;
    if (a >= to) break;
    if (a > cursor) out.push([cursor, Math.min(a, to)]);
    cursor = Math.max(cursor, b);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push([cursor, to]);
  return out;
}

/** The counting intervals from `from` on, day by day (bounded), in order. */
function* counting(
  from: number,
  hours: WorkingHours,
  calendar: BusinessCalendar,
  pauses: readonly Interval[],
): Generator<Interval> {
  const merged = normalise(pauses);
  // A pause not yet resumed stops the count for good: no need to walk the days after it.
  const stopsAt = merged.find(([, b]) => b === Number.POSITIVE_INFINITY)?.[0] ?? Number.POSITIVE_INFINITY;
  const offset = offsetOf(hours);
  let dayStart = Math.floor((from + offset) / DAY) * DAY - offset;
  for (let i = 0; i < MAX_DAYS && dayStart < stopsAt; i += 1, dayStart += DAY) {
    const window = windowOf(dayStart, hours, calendar);
    if (!window) continue;
    const start = Math.max(window[0], from);
    if (start >= window[1]) continue;
    yield* subtract(start, window[1], merged);
  }
}

/**
 * The moment `allowanceMs` of counting time has passed since `start`: working time only, paused
 * time left out. Null when no such moment comes (a pause not yet resumed, or no working day ahead).
 */
export function addCountingTime(
  start: number,
  allowanceMs: number,
  hours: WorkingHours,
  calendar: BusinessCalendar,
  pauses: readonly Interval[] = [],
): number | null {
  // A negative allowance (work opened after its due date) was due that long before the start.
  if (allowanceMs <= 0) return start + allowanceMs;
  let left = allowanceMs;
  for (const [a, b] of counting(start, hours, calendar, pauses)) {
    if (left <= b - a) return a + left;
    left -= b - a;
  }
  return null;
}

/** Counting time between `from` and `to` (0 when `to` is earlier). */
export function countingTimeBetween(
  from: number,
  to: number,
  hours: WorkingHours,
  calendar: BusinessCalendar,
  pauses: readonly Interval[] = [],
): number {
  let total = 0;
  for (const [a, b] of counting(from, hours, calendar, pauses)) {
    if (a >= to) break;
    total += Math.min(b, to) - a;
  }
  return total;
}
