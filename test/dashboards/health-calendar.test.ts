import { describe, expect, test } from 'vitest';
import {
  byMonth,
  calendarEntries,
  type MaintenanceCalendar,
  runHourEntries,
} from '../../dashboards/app/lib/calendar.ts';
import { healthBand, type Prediction, trendColumns } from '../../dashboards/app/lib/health.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 1);

function prediction(overrides: Partial<Prediction>): Prediction {
  return {
    status: 'degrading',
    note: '',
    points: 100,
    slopePerDay: 0.2,
    level: 6,
    threshold: 11,
    progress: 0.5,
    model: 'exponential',
    daysToThreshold: 10,
    bandDays: { low: 7, high: 14 },
    crossingAt: NOW + 10 * DAY,
    significant: true,
    actionable: true,
    ...overrides,
  };
}

describe('health score bands', () => {
  test.each([
    [100, 'good'],
    [80, 'good'],
    [79, 'fair'],
    [50, 'fair'],
    [49, 'poor'],
    [0, 'poor'],
  ] as const)('%d is %s', (score, band) => {
    expect(healthBand(score)).toBe(band);
  });
});

describe('trend chart columns', () => {
  const hourly = [0, 1, 2].map((i) => ({ ts: NOW - (3 - i) * HOUR, value: 5 + i / 2 }));

  test('a degrading indicator: the path from the level now to the threshold at the crossing, band ends on it', () => {
    const { columns, to } = trendColumns(hourly, prediction({}), NOW);
    const [xs, value, threshold, path, band] = columns;
    expect(xs.map((x) => x * 1000)).toEqual([
      ...hourly.map((p) => p.ts),
      NOW,
      NOW + 7 * DAY,
      NOW + 10 * DAY,
      NOW + 14 * DAY,
    ]);
    expect(value).toEqual([5, 5.5, 6, null, null, null, null]);
    expect(threshold).toEqual(Array(7).fill(11));
    expect(path).toEqual([null, null, null, 6, null, 11, null]);
    expect(band).toEqual([null, null, null, null, 11, null, 11]);
    expect(to).toBe(NOW + 14 * DAY);
  });

  test('an unbounded band marks only its low end', () => {
    const { columns } = trendColumns(hourly, prediction({ bandDays: { low: 7, high: null } }), NOW);
    expect(columns[4].filter((v) => v !== null)).toHaveLength(1);
  });

  test.each([
    ['stable', prediction({ status: 'stable', crossingAt: null, daysToThreshold: null })],
    ['too little data', prediction({ status: 'too_little_data', crossingAt: null, level: null })],
  ])('%s: the series and the threshold, no path', (_name, p) => {
    const { columns, to } = trendColumns(hourly, p, NOW);
    expect(columns[0]).toHaveLength(3);
    expect(columns[3].every((v) => v === null)).toBe(true);
    expect(to).toBe(NOW);
  });

  test('an indicator that is only shown has no threshold line', () => {
    const { columns } = trendColumns(hourly, null, NOW);
    expect(columns[2]).toEqual([null, null, null]);
  });

  test('no stored hours and no prediction: nothing to draw', () => {
    expect(trendColumns([], null, NOW).columns[0]).toEqual([]);
  });
});

describe('maintenance calendar', () => {
  const planDefaults = { model: null, contractId: null, leadDays: 14 };
  const calendar: MaintenanceCalendar = {
    from: '2026-11-01',
    to: '2027-11-01',
    plans: [
      {
        id: 'six-monthly',
        name: 'Six-monthly service',
        everyMonths: 6,
        everyRunHours: null,
        work: '',
        ...planDefaults,
      },
      {
        id: 'bearings',
        name: 'Bearing grease',
        everyMonths: null,
        everyRunHours: 4000,
        work: '',
        ...planDefaults,
      },
    ],
    stations: [
      {
        site: 'demo',
        station: 'st2',
        acceptanceDate: '2026-08-15',
        followUps: [{ months: 6, kind: 'half_year', due: '2027-02-15', ticketId: null, state: null }],
        preventive: [
          {
            planId: 'six-monthly',
            pump: null,
            due: '2027-02-15',
            dueAtRunHours: null,
            ticketId: null,
            state: null,
          },
          {
            planId: 'bearings',
            pump: 1,
            due: null,
            dueAtRunHours: 8000,
            runHours: 7900,
            ticketId: 4,
            state: 'new',
          },
        ],
      },
      {
        site: 'demo',
        station: 'st1',
        acceptanceDate: '2026-08-20',
        followUps: [
          { months: 3, kind: 'quarterly', due: '2026-11-20', ticketId: 3, state: 'dispatched' },
          { months: 6, kind: 'half_year', due: '2027-02-20', ticketId: null, state: null },
        ],
        preventive: [
          {
            planId: 'bearings',
            pump: 2,
            due: null,
            dueAtRunHours: 4000,
            runHours: 1200,
            ticketId: null,
            state: null,
          },
        ],
      },
    ],
  };

  test('dated visits of every station, soonest first, with plan names and tickets', () => {
    expect(
      calendarEntries(calendar).map((e) => [e.due, e.station, e.kind, e.plan ?? e.months, e.ticketId]),
    ).toEqual([
      ['2026-11-20', 'st1', 'follow_up', 3, 3],
      ['2027-02-15', 'st2', 'follow_up', 6, null],
      ['2027-02-15', 'st2', 'preventive', 'Six-monthly service', null],
      ['2027-02-20', 'st1', 'follow_up', 6, null],
    ]);
    expect(calendarEntries(calendar, 'st1')).toHaveLength(2);
  });

  test('grouped by month in order', () => {
    expect(byMonth(calendarEntries(calendar)).map((m) => [m.month, m.entries.length])).toEqual([
      ['2026-11', 1],
      ['2027-02', 3],
    ]);
  });

  test('run-hour plans per pump, the nearest to due first', () => {
    expect(
      runHourEntries(calendar).map((e) => [e.station, e.pump, e.plan, e.dueAtRunHours - e.runHours]),
    ).toEqual([
      ['st2', 1, 'Bearing grease', 100],
      ['st1', 2, 'Bearing grease', 2800],
    ]);
  });
});
