import { describe, expect, test } from 'vitest';
import {
  addMonths,
  calendarDueDates,
  dueWork,
  followUpVisits,
  type PlanInput,
  runHoursDue,
  type StationInput,
} from '../../server/maintenance/schedule.ts';

describe('dates', () => {
  test.each([
    { day: '2026-01-15', months: 1, expected: '2026-02-15' },
    { day: '2026-01-31', months: 1, expected: '2026-02-28' },
    { day: '2024-01-31', months: 1, expected: '2024-02-29' },
    { day: '2025-11-30', months: 3, expected: '2026-02-28' },
    { day: '2025-06-01', months: 12, expected: '2026-06-01' },
    { day: '2025-06-01', months: 0, expected: '2025-06-01' },
  ])('$day + $months months = $expected', ({ day, months, expected }) => {
    expect(addMonths(day, months)).toBe(expected);
  });

  test('follow-up visits: a week after acceptance, the 3rd month, the 6th month, then yearly', () => {
    expect(followUpVisits('2024-06-01', '2024-01-01', '2027-12-31')).toEqual([
      { months: 0, kind: 'first', due: '2024-06-08' },
      { months: 3, kind: 'quarterly', due: '2024-09-01' },
      { months: 6, kind: 'half_year', due: '2024-12-01' },
      { months: 12, kind: 'yearly', due: '2025-06-01' },
      { months: 24, kind: 'yearly', due: '2026-06-01' },
      { months: 36, kind: 'yearly', due: '2027-06-01' },
    ]);
  });

  test.each([
    { from: '2026-01-01', to: '2026-12-31', expected: ['2026-03-15', '2026-09-15'] },
    { from: '2026-03-16', to: '2026-09-14', expected: [] },
    { from: '2023-01-01', to: '2023-12-31', expected: ['2023-09-15'] },
  ])('six-monthly from 2023-03-15 in $from..$to', ({ from, to, expected }) => {
    expect(calendarDueDates('2023-03-15', 6, from, to)).toEqual(expected);
  });

  test('a zero interval is refused', () => {
    expect(() => calendarDueDates('2023-03-15', 0, '2023-01-01', '2024-01-01')).toThrow(/everyMonths/);
  });

  test.each([
    { hours: 7400, every: 4000, lead: 14, dueAt: 8000, open: false },
    { hours: 7700, every: 4000, lead: 14, dueAt: 8000, open: true },
    { hours: 8000, every: 4000, lead: 14, dueAt: 12000, open: false },
  ])('run hours $hours every $every: due at $dueAt, open $open', ({ hours, every, lead, dueAt, open }) => {
    expect(runHoursDue(hours, every, lead)).toEqual({ dueAt, open });
  });
});

const plan = (p: Partial<PlanInput>): PlanInput => ({
  id: 'p',
  name: 'Plan',
  model: null,
  contractId: null,
  everyMonths: null,
  everyRunHours: null,
  leadDays: 14,
  work: '',
  ...p,
});
const station: StationInput = {
  site: 'demo',
  station: 'st2',
  model: 'booster-3p-380',
  contractId: 'c1',
  acceptance: '2024-06-01',
  pumps: [
    { pump: 1, model: 'CDLF 32-4' },
    { pump: 2, model: 'CDLF 32-4' },
  ],
  runHours: { 1: 7700, 2: 5000 },
};

describe('due work', () => {
  test.each([
    { name: 'follow-up 14 days ahead', today: '2026-05-18', plans: [], subjects: ['follow_up:24m'] },
    { name: 'follow-up not yet (15 days ahead)', today: '2026-05-17', plans: [], subjects: [] },
    {
      name: 'follow-up missed while down, within grace',
      today: '2026-06-20',
      plans: [],
      subjects: ['follow_up:24m'],
    },
    {
      name: 'six-monthly plan with its own lead',
      today: '2026-05-25',
      plans: [plan({ id: 'six', everyMonths: 6, leadDays: 7 })],
      subjects: ['follow_up:24m', 'plan:six:2026-06-01'],
    },
    {
      name: 'plan for another contract does not apply',
      today: '2026-05-25',
      plans: [plan({ id: 'six', everyMonths: 6, contractId: 'other' })],
      subjects: ['follow_up:24m'],
    },
    {
      name: 'run-hour plan for one pump model',
      today: '2026-01-10',
      plans: [plan({ id: 'rh', everyRunHours: 4000, model: 'CDLF 32-4' })],
      subjects: ['plan:rh:pump[1]:8000h'],
    },
    {
      name: 'run-hour plan for another model',
      today: '2026-01-10',
      plans: [plan({ id: 'rh', everyRunHours: 4000, model: 'CDL 20-5' })],
      subjects: [],
    },
  ])('$name', ({ today, plans, subjects }) => {
    const work = dueWork(plans, [station], today, { followUpLeadDays: 14, graceDays: 30 });
    expect(work.map((w) => w.subject).sort()).toEqual([...subjects].sort());
  });

  test('a station without an acceptance date has no visits and no calendar work', () => {
    const work = dueWork([plan({ everyMonths: 6 })], [{ ...station, acceptance: null }], '2026-05-25', {
      followUpLeadDays: 14,
      graceDays: 30,
    });
    expect(work).toEqual([]);
  });
});
