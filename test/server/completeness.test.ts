import { describe, expect, test } from 'vitest';
import { completenessByDay, DAY_MS, localDays } from '../../server/ingest/completeness.ts';

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

describe('local days', () => {
  test.each([
    // Shanghai has no DST: every day 24 h, starting 16:00 UTC the day before.
    [
      'Asia/Shanghai',
      Date.UTC(2026, 2, 30, 3),
      [
        ['2026-03-29', 23],
        ['2026-03-30', 24],
      ],
      16,
    ],
    // London springs forward on 29 March 2026: that day is 23 hours long.
    [
      'Europe/London',
      Date.UTC(2026, 2, 30, 3),
      [
        ['2026-03-29', 23],
        ['2026-03-30', 24],
      ],
      23,
    ],
    [
      'UTC',
      Date.UTC(2026, 2, 30, 3),
      [
        ['2026-03-29', 24],
        ['2026-03-30', 24],
      ],
      0,
    ],
  ] as const)('%s', (zone, now, want, firstStartHourUtc) => {
    const days = localDays(now, 2, zone);
    expect(days.map((d) => d.day)).toEqual(want.map(([day]) => day));
    expect((days[0]!.end - days[0]!.start) / 3_600_000).toBe(zone === 'Europe/London' ? 23 : 24);
    expect(new Date(days[1]!.start).getUTCHours()).toBe(zone === 'Europe/London' ? 23 : firstStartHourUtc);
    expect(days[1]!.end).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('GET /api/stations/:id/completeness on a real store', () => {
  test('counted from the first reading; the first reading is remembered, and asking again agrees', async () => {
    const { default: express } = await import('express');
    const { completenessRoute } = await import('../../server/http/completeness-route.ts');
    const { errorHandler } = await import('../../server/http/errors.ts');
    const { silentLogger } = await import('../../core/log.ts');
    const { LatestValues } = await import('../../server/ingest/latest-values.ts');
    const { openPgliteStore } = await import('../../server/telemetry/pglite-store.ts');
    const store = await openPgliteStore();
    const latest = new LatestValues();
    // The station first reported at 06:00:30 two days ago, then once a minute.
    const first = day0 - 2 * DAY_MS + 6 * 3_600_000 + 30_000;
    const now = day0 + 12 * 3_600_000;
    const points = [];
    for (let ts = first; ts <= now; ts += 60_000) {
      points.push({
        site: 'p',
        station: 'st9',
        meaning: 'pressure.outlet',
        ts,
        value: 4,
        q: 'good' as const,
      });
    }
    await store.write(points);
    await store.flush();
    latest.apply(
      { v: 1, site: 'p', station: 'st9', edge: 'e', model: 'm', seq: 1, ts: now, state: 'ok', values: {} },
      now,
    );
    let readingCountCalls: Array<[number, number]> = [];
    const counted = Object.create(store, {
      readingCounts: {
        value: (site: string, station: string, from: number, to: number, bucket: number) => {
          readingCountCalls.push([from, bucket]);
          return store.readingCounts(site, station, from, to, bucket);
        },
      },
    });
    const app = express();
    // The route checks its contract's roles: any signed-in user reads.
    app.use((req, _res, next) => {
      (req as typeof req & { user: unknown }).user = { username: 'op', role: 'operator' };
      next();
    });
    app.use(
      '/api/stations',
      completenessRoute({ latest, store: counted, expectedIntervalMs: 60_000, clock: () => now }),
    );
    // The same station on a server whose live polling began yesterday at noon (history stored before).
    const pollingSince = day0 - DAY_MS + 12 * 3_600_000;
    app.use(
      '/api/polled',
      completenessRoute({
        latest,
        store,
        expectedIntervalMs: 60_000,
        pollingSince: () => pollingSince,
        clock: () => now,
      }),
    );
    app.use(errorHandler(silentLogger()));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const ask = async () =>
      (await fetch(`http://127.0.0.1:${port}/api/stations/st9/completeness?days=3`)).json() as Promise<{
        firstReading: number;
        days: Array<{ day: string; expected: number; stored: number }>;
      }>;
    try {
      const answer = await ask();
      expect(answer.firstReading).toBe(first);
      expect(answer.days.map((d) => [d.day, d.stored, d.expected])).toEqual([
        // 06:00:30 to 23:59:30 is 1080 readings in 17 h 59 min 30 s of time (1079 expected).
        ['2026-01-08', 1080, 1079],
        ['2026-01-09', 1440, 1440],
        ['2026-01-10', 720, 720],
      ]);
      // The first time: a year of daily counts, then the minute and the second of the first reading.
      // then the days asked for.
      expect(readingCountCalls.map(([, bucket]) => bucket)).toEqual([DAY_MS, 60_000, 1000, DAY_MS]);
      readingCountCalls = [];
      expect(await ask()).toEqual(answer);
      // Then only the days asked for.
      expect(readingCountCalls).toEqual([[day0 - 2 * DAY_MS, DAY_MS]]);
      // The site's days (Shanghai, UTC+8), counted in quarter hours.
      const local = (await (
        await fetch(`http://127.0.0.1:${port}/api/stations/st9/completeness?days=3&tz=Asia/Shanghai`)
      ).json()) as { timeZone: string; days: Array<{ day: string; expected: number; stored: number }> };
      expect(local.timeZone).toBe('Asia/Shanghai');
      expect(local.days.map((d) => [d.day, d.stored, d.expected])).toEqual([
        // 14:00:30 to 23:59:30 local: 600 readings in 9 h 59 min 30 s (599 expected).
        ['2026-01-08', 600, 599],
        ['2026-01-09', 1440, 1440],
        // Midnight to 20:00 local.
        ['2026-01-10', 1200, 1200],
      ]);
      // History before live polling began counts as stored, but nothing is expected of it.
      const polled = (await (
        await fetch(`http://127.0.0.1:${port}/api/polled/st9/completeness?days=3`)
      ).json()) as {
        firstReading: number;
        expectedFrom: number;
        days: Array<{ day: string; expected: number; stored: number; ratio: number | null }>;
      };
      expect(polled.firstReading).toBe(first);
      expect(polled.expectedFrom).toBe(pollingSince);
      expect(polled.days.map((d) => [d.day, d.stored, d.expected, d.ratio])).toEqual([
        ['2026-01-08', 1080, 0, null],
        ['2026-01-09', 1440, 720, 1],
        ['2026-01-10', 720, 720, 1],
      ]);
      const refused = await fetch(`http://127.0.0.1:${port}/api/stations/st9/completeness?tz=Mars/Olympus`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(/IANA time zone/);
    } finally {
      server.close();
      await store.close();
    }
  });
});
