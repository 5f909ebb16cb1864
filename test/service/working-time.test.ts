import { describe, expect, test } from 'vitest';
import { SEED_BUSINESS_DAYS } from '../../core/sla/cn-holidays.ts';
import {
  addCountingTime,
  type BusinessCalendar,
  countingTimeBetween,
  type Interval,
  isWorkingDay,
  type WorkingHours,
  workingHoursSchema,
} from '../../core/sla/working-time.ts';

const MIN = 60_000;
const H = 60 * MIN;
const office: WorkingHours = workingHoursSchema.parse({ kind: 'working', start: '08:30', end: '17:30' });
const calendar: BusinessCalendar = new Map([
  ['2026-10-01', 'holiday'],
  ['2026-10-10', 'workday'],
]);
/** China time (+08:00) as UTC ms. */
const cn = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms + 8 * H).toISOString().slice(0, 16));

describe('adding working time (08:30-17:30 Mon-Fri, China time)', () => {
  test.each<[string, string, number, WorkingHours, Interval[], string | null]>([
    ['inside one day', '2026-09-29T09:00', 2 * H, office, [], '2026-09-29T11:00'],
    ['across the evening', '2026-09-29T17:00', 1 * H, office, [], '2026-09-30T09:00'],
    ['from before opening time', '2026-09-29T06:00', 30 * MIN, office, [], '2026-09-29T09:00'],
    ['over a holiday (1 Oct, a Thursday)', '2026-09-30T17:00', 1 * H, office, [], '2026-10-02T09:00'],
    ['onto a swapped working Saturday (10 Oct)', '2026-10-09T17:00', 1 * H, office, [], '2026-10-10T09:00'],
    ['over a weekend', '2026-10-16T17:00', 1 * H, office, [], '2026-10-19T09:00'],
    [
      'with a pause of an hour inside the day',
      '2026-09-29T09:00',
      2 * H,
      office,
      [[cn('2026-09-29T10:00'), cn('2026-09-29T11:00')]],
      '2026-09-29T12:00',
    ],
    [
      'a pause not yet resumed: never',
      '2026-09-29T09:00',
      2 * H,
      office,
      [[cn('2026-09-29T10:00'), Number.POSITIVE_INFINITY]],
      null,
    ],
    ['24 x 7 ignores the calendar', '2026-09-30T23:00', 2 * H, { kind: '24x7' }, [], '2026-10-01T01:00'],
    ['zero allowance: at once', '2026-09-29T20:00', 0, office, [], '2026-09-29T20:00'],
  ])('%s', (_name, start, allowance, hours, pauses, expected) => {
    expect(iso(addCountingTime(cn(start), allowance, hours, calendar, pauses))).toBe(expected);
  });
});

describe('working time between two moments', () => {
  test.each<[string, string, string, number]>([
    ['one working day', '2026-09-29T00:00', '2026-09-30T00:00', 9 * H],
    ['a holiday counts nothing', '2026-10-01T00:00', '2026-10-02T00:00', 0],
    ['a swapped Saturday counts', '2026-10-10T00:00', '2026-10-11T00:00', 9 * H],
    ['an ordinary Sunday counts nothing', '2026-10-11T00:00', '2026-10-12T00:00', 0],
    ['backwards is zero', '2026-09-30T00:00', '2026-09-29T00:00', 0],
  ])('%s', (_name, from, to, expected) => {
    expect(countingTimeBetween(cn(from), cn(to), office, calendar)).toBe(expected);
  });
});

describe('the seeded calendar', () => {
  const seeded: BusinessCalendar = new Map(SEED_BUSINESS_DAYS.map((d) => [d.day, d.kind]));
  test.each<[string, boolean]>([
    ['2026-01-01', false],
    ['2026-01-04', true],
    ['2026-02-14', true],
    ['2026-02-16', false],
    ['2026-02-28', true],
    ['2026-05-09', true],
    ['2026-09-20', true],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2027-02-08', false],
  ])('%s working: %s', (day, working) => {
    expect(isWorkingDay(day, office, seeded)).toBe(working);
  });

  test('every seeded day is unique', () => {
    const days = SEED_BUSINESS_DAYS.map((d) => d.day);
    expect(new Set(days).size).toBe(days.length);
  });
});
