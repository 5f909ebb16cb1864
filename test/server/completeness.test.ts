import { describe, expect, test } from 'vitest';
import { completenessByDay, DAY_MS } from '../../server/ingest/completeness.ts';

const day0 = Date.UTC(2026, 0, 10);

describe('completenessByDay', () => {
  test.each([
    {
      name: 'full past days and half of today',
      counts: [
        { ts: day0 - DAY_MS, count: 86_400 },
        { ts: day0, count: 43_200 },
      ],
      now: day0 + DAY_MS / 2,
      days: 2,
      intervalMs: 1000,
      want: [
        { day: '2026-01-09', expected: 86_400, stored: 86_400, ratio: 1 },
        { day: '2026-01-10', expected: 43_200, stored: 43_200, ratio: 1 },
      ],
    },
    {
      name: 'gaps, a day with nothing, and more stored than planned capped at 1',
      counts: [
        { ts: day0 - 2 * DAY_MS, count: 100 },
        { ts: day0, count: 20 },
      ],
      now: day0 + 10_000,
      days: 3,
      intervalMs: 1000,
      want: [
        { day: '2026-01-08', expected: 86_400, stored: 100, ratio: 100 / 86_400 },
        { day: '2026-01-09', expected: 86_400, stored: 0, ratio: 0 },
        { day: '2026-01-10', expected: 10, stored: 20, ratio: 1 },
      ],
    },
    {
      name: 'sub-day buckets add up into their day; nothing expected at midnight',
      counts: [
        { ts: day0 - 3600_000, count: 5 },
        { ts: day0 - 7200_000, count: 7 },
      ],
      now: day0,
      days: 2,
      intervalMs: 250,
      want: [
        { day: '2026-01-09', expected: 345_600, stored: 12, ratio: 12 / 345_600 },
        { day: '2026-01-10', expected: 0, stored: 0, ratio: null },
      ],
    },
    {
      name: 'a station first heard of at noon yesterday: nothing expected before that',
      counts: [
        { ts: day0 - DAY_MS / 2, count: 43_000 },
        { ts: day0, count: 3600 },
      ],
      now: day0 + 3600_000,
      days: 3,
      intervalMs: 1000,
      since: day0 - DAY_MS / 2,
      want: [
        { day: '2026-01-08', expected: 0, stored: 0, ratio: null },
        { day: '2026-01-09', expected: 43_200, stored: 43_000, ratio: 43_000 / 43_200 },
        { day: '2026-01-10', expected: 3600, stored: 3600, ratio: 1 },
      ],
    },
  ] as Array<{
    name: string;
    counts: Array<{ ts: number; count: number }>;
    now: number;
    days: number;
    intervalMs: number;
    since?: number;
    want: unknown;
  }>)('$name', ({ counts, now, days, intervalMs, since, want }) => {
    expect(
      completenessByDay(counts, { days, intervalMs, now, ...(since === undefined ? {} : { since }) }),
    ).toEqual(want);
  });
});
