import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { chooseStep } from '../../dashboards/app/lib/history-step.ts';
import { type InfluxStore, openInfluxStore } from '../../server/telemetry/influx-store.ts';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { locateSeries } from '../../server/telemetry/point-mapping.ts';
import { type RunningInfluxDb, startInfluxDb } from '../support/influxdb.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DB = 'aftercare_retention';
const now = Date.now();
const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
let influxd: RunningInfluxDb;
let store: InfluxStore;
const location = locateSeries('pressure.outlet');
if (typeof location === 'string') throw new Error(location);
const { measurement, field } = location;

const write = async (lines: string[], rp?: string) =>
  fetch(`${influxd.url}/write?db=${DB}&precision=ms${rp ? `&rp=${rp}` : ''}`, {
    method: 'POST',
    body: lines.join('\n'),
  });
const raw = (value: number, ts: number) =>
  `${measurement},site=s1,station=a ${field}=${value},${field}_q="good" ${ts}`;

beforeAll(async () => {
  influxd = await startInfluxDb();
  // The first start sets up the 1-hour raw policy and the roll-up; then raw points from the last hour.
  const first = await openInfluxStore({
    url: influxd.url,
    bucket: DB,
    logger: silentLogger(),
    retention: { rawHours: 1 },
  });
  await first.close();
  expect((await write([raw(4, now - 40 * 60_000), raw(6, now - 20 * 60_000)])).status).toBe(204);
  // Hours rolled up long ago, as the continuous query left them (their raw points are long gone).
  const rolled = (ts: number, mean: number) =>
    `${measurement},site=s1,station=a mean_${field}=${mean},min_${field}=${mean - 1},max_${field}=${mean + 1} ${ts}`;
  expect(
    (await write([rolled(hourOf(now - 5 * DAY), 3), rolled(hourOf(now - 9 * 365 * DAY), 2)], 'rollup'))
      .status,
  ).toBe(204);
  // The restart backfills the roll-up from the raw hours still kept.
  store = await openInfluxStore({
    url: influxd.url,
    bucket: DB,
    logger: silentLogger(),
    retention: { rawHours: 1 },
  });
}, 120_000);

afterAll(async () => {
  await store?.close();
  await influxd?.stop();
});

describe('telemetry retention on InfluxDB 1.6', () => {
  test('raw points past the raw period are gone: influxd refuses them and keeps only the last hour', async () => {
    const old = await write([raw(9, now - 3 * HOUR)]);
    expect(old.status).toBe(400);
    expect(await old.text()).toContain('beyond retention policy');
    const rows = await store.range({
      site: 's1',
      station: 'a',
      meaning: 'pressure.outlet',
      from: now - 4 * HOUR,
      to: now,
    });
    expect(rows.map((row) => row.value)).toEqual([4, 6]);
    const policies = await influxQuery({ url: influxd.url, database: DB, headers: {} }, [
      'SHOW RETENTION POLICIES',
    ]);
    expect(policies[0]?.series?.[0]?.values).toContainEqual(['autogen', '1h0m0s', '1h0m0s', 1, true]);
    const queries = await influxQuery({ url: influxd.url, database: DB, headers: {} }, [
      'SHOW CONTINUOUS QUERIES',
    ]);
    const names = (queries[0]?.series ?? []).flatMap((series) => (series.values ?? []).map((row) => row[0]));
    expect(names).toContain(`hourly_${measurement}`);
  });

  test('the hourly roll-up answers the 30-day and the 10-year chart, with the backfilled last hour', async () => {
    const month = await store.range({
      site: 's1',
      station: 'a',
      meaning: 'pressure.outlet',
      from: now - 30 * DAY,
      to: now,
      step: DAY,
    });
    expect(month[0]).toMatchObject({ value: 3, min: 2, max: 4 });
    // The raw points' min and max, rolled up by the server's backfill (one bucket, two at midnight).
    const recent = month.slice(1);
    expect(recent.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...recent.map((row) => row.min ?? Number.NaN))).toBe(4);
    expect(Math.max(...recent.map((row) => row.max ?? Number.NaN))).toBe(6);
    if (recent.length === 1) expect(recent[0]?.value).toBe(5);
    const decade = await store.range({
      site: 's1',
      station: 'a',
      meaning: 'pressure.outlet',
      from: now - 10 * 365 * DAY,
      to: now,
      step: 30 * DAY,
    });
    // 30-day buckets count from the epoch: the hour 5 days back shares one with the last hour on
    // most days of the calendar (then their means are averaged), not on others.
    expect(decade[0]?.value).toBe(2);
    const lately = decade.slice(1);
    expect(lately.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...lately.map((row) => row.min ?? Number.NaN))).toBe(2);
    expect(Math.max(...lately.map((row) => row.max ?? Number.NaN))).toBe(6);
    for (const row of lately) expect(row.value).toBeGreaterThanOrEqual(3);
    for (const row of lately) expect(row.value).toBeLessThanOrEqual(6);
    const shared = Math.floor(hourOf(now - 5 * DAY) / (30 * DAY)) === Math.floor(now / (30 * DAY));
    if (!shared) expect(lately[0]?.value).toBe(3);
  });

  test.each([
    ['30-day', 30 * DAY],
    ['10-year', 10 * 365 * DAY],
  ])("the station chart's own step for the %s chart reads the roll-up", async (_name, span) => {
    // The chart asks for at most 1000 buckets (1 h for 30 days, 4 d for 10 years): both past the raw hour.
    const step = chooseStep(span).ms;
    expect(step).toBeGreaterThanOrEqual(HOUR);
    const rows = await store.range({
      site: 's1',
      station: 'a',
      meaning: 'pressure.outlet',
      from: now - span,
      to: now,
      step,
    });
    // The bucket holding each rolled-up hour, wherever the buckets' edges fall today (a 4-day bucket
    // holds the last hour's raw points and may start more than two days ago).
    const bucketOf = (ms: number) => rows.find((row) => row.ts <= ms && ms < row.ts + step);
    expect(bucketOf(hourOf(now - 5 * DAY))).toMatchObject({ value: 3, min: 2, max: 4 });
    if (span > 365 * DAY)
      expect(bucketOf(hourOf(now - 9 * 365 * DAY))).toMatchObject({ value: 2, min: 1, max: 3 });
    expect(bucketOf(now - 20 * 60_000)?.max).toBe(6);
    expect(Math.max(...rows.map((row) => row.max ?? Number.NaN))).toBe(6);
  });
});
