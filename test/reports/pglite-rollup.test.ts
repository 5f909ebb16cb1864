import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chooseStep } from '../../dashboards/app/lib/history-step.ts';
import { openPgliteStore, type PgliteStore } from '../../server/telemetry/pglite-store.ts';
import type { TelemetryPoint } from '../../server/telemetry/telemetry-store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = Date.now();
let now = start;
let store: PgliteStore;
const point = (ts: number, value: number): TelemetryPoint => ({
  site: 's1',
  station: 'a',
  meaning: 'pressure.outlet',
  ts,
  value,
  q: 'good',
});
const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;

beforeAll(async () => {
  store = await openPgliteStore({ retention: { rawHours: 24 }, clock: () => now });
  // Ten years ago, five days ago and the last hour: two readings an hour each.
  const old = hourOf(start - 9 * 365 * DAY);
  const mid = hourOf(start - 5 * DAY);
  await store.writeDurable([
    point(old + 60_000, 1),
    point(old + 120_000, 3),
    point(mid + 60_000, 2),
    point(mid + 120_000, 4),
    point(start - 40 * 60_000, 4),
    point(start - 20 * 60_000, 6),
  ]);
}, 60_000);

afterAll(async () => {
  await store?.close();
});

const raw = (from: number) =>
  store.range({ site: 's1', station: 'a', meaning: 'pressure.outlet', from, to: now });

describe('hourly roll-ups on the embedded PGlite store', () => {
  test('a pass rolls every raw hour up and deletes raw points past the raw period only', async () => {
    const outcome = await store.maintain();
    expect(outcome.deleted).toBe(4);
    expect((await raw(start - 10 * 365 * DAY)).map((row) => row.value)).toEqual([4, 6]);
    // The next hour, on the moved clock: nothing old left to delete, the last hour stays raw.
    now = start + HOUR;
    expect((await store.maintain()).deleted).toBe(0);
  });

  test.each([
    ['30-day', 30 * DAY],
    ['10-year', 10 * 365 * DAY],
  ])("the station chart's own step for the %s chart reads the roll-up", async (_name, span) => {
    const rows = await store.range({
      site: 's1',
      station: 'a',
      meaning: 'pressure.outlet',
      from: now - span,
      to: now,
      step: chooseStep(span).ms,
    });
    const five = rows.find((row) => row.ts <= start - 5 * DAY + HOUR && row.ts > start - 10 * DAY);
    expect(five).toMatchObject({ value: 3, min: 2, max: 4 });
    if (span > 365 * DAY) expect(rows[0]).toMatchObject({ value: 2, min: 1, max: 3 });
    expect(Math.max(...rows.map((row) => row.max ?? Number.NaN))).toBe(6);
  });
});
