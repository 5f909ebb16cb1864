import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { type InfluxStore, openInfluxStore } from '../../server/telemetry/influx-store.ts';
import { openPgliteStore } from '../../server/telemetry/pglite-store.ts';
import type { TelemetryPoint, TelemetryStore } from '../../server/telemetry/telemetry-store.ts';
import { type RunningInfluxDb, startInfluxDb } from '../support/influxdb.ts';

// Noon UTC two days ago: inside any retention, aligned to the hour and the day as the queries' steps are.
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000 + 12 * 3_600_000;
const stores: Record<string, TelemetryStore> = {};
let influxd: RunningInfluxDb;
let pgliteDir: string;

beforeAll(async () => {
  influxd = await startInfluxDb();
  // The contract runs on an on-disk PGlite, as the server uses by default.
  pgliteDir = await mkdtemp(join(tmpdir(), 'aftercare-pglite-'));
  const [influx, pglite] = await Promise.all([
    openInfluxStore({ url: influxd.url, logger: silentLogger() }),
    openPgliteStore({ dir: pgliteDir }),
  ]);
  stores.influxdb = influx;
  stores.pglite = pglite;
});

afterAll(async () => {
  await Promise.all(Object.values(stores).map((store) => store.close()));
  await influxd?.stop();
  if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
});

function point(
  station: string,
  meaning: string,
  ts: number,
  value: TelemetryPoint['value'],
  q = 'good',
): TelemetryPoint {
  return { site: 'plant-a', station, meaning, ts, value, q: q as TelemetryPoint['q'] };
}

async function writeAll(store: TelemetryStore, points: TelemetryPoint[]) {
  await store.write(points);
  await store.flush();
}

describe.each(['influxdb', 'pglite'])('%s store contract', (kind) => {
  const store = () => stores[kind]!;

  test('latest returns the newest value of each meaning with its quality', async () => {
    await writeAll(store(), [
      point('latest', 'pump[1].bearing_vibration', T0, 2.5),
      point('latest', 'pump[1].bearing_vibration', T0 + 1000, 3.25, 'stale'),
      point('latest', 'pump[2].running', T0 + 1000, true),
      point('latest', 'pressure.outlet', T0, 4.1),
      point('latest', 'supply.voltage_l1', T0, 231.5, 'out_of_range'),
      // comms_failed is a quality mark only: latest keeps the last real value
      point('latest', 'pressure.outlet', T0 + 2000, null, 'comms_failed'),
      point('other-station', 'pressure.outlet', T0 + 5000, 9.9),
    ]);
    expect(await store().latest('plant-a', 'latest')).toEqual([
      { meaning: 'pressure.outlet', ts: T0, value: 4.1, q: 'good' },
      { meaning: 'pump[1].bearing_vibration', ts: T0 + 1000, value: 3.25, q: 'stale' },
      { meaning: 'pump[2].running', ts: T0 + 1000, value: true, q: 'good' },
      { meaning: 'supply.voltage_l1', ts: T0, value: 231.5, q: 'out_of_range' },
    ]);
  });

  test('range returns raw points between inclusive bounds, oldest first, without quality marks', async () => {
    const points = [0, 1, 2, 3, 4, 5].map((i) => point('range', 'flow.rate', T0 + i * 1000, 10 + i));
    points.push(point('range', 'flow.rate', T0 + 6000, null, 'comms_failed'));
    points.push(point('range', 'pump[1].frequency', T0 + 2000, 50)); // another meaning
    await writeAll(store(), points);
    const rows = await store().range({
      site: 'plant-a',
      station: 'range',
      meaning: 'flow.rate',
      from: T0 + 1000,
      to: T0 + 6000,
    });
    expect(rows).toEqual([1, 2, 3, 4, 5].map((i) => ({ ts: T0 + i * 1000, value: 10 + i, q: 'good' })));
  });

  test('stepped range averages per epoch-aligned bucket in the database, with min and max', async () => {
    // 10-second buckets starting at T0 (a multiple of 10 s): values 0..29 one per second
    const points = Array.from({ length: 30 }, (_, i) =>
      point('stepped', 'pump[3].winding_temperature', T0 + i * 1000, i),
    );
    await writeAll(store(), points);
    const rows = await store().range({
      site: 'plant-a',
      station: 'stepped',
      meaning: 'pump[3].winding_temperature',
      from: T0,
      to: T0 + 29_000,
      step: 10_000,
    });
    expect(rows).toEqual([
      { ts: T0, value: 4.5, min: 0, max: 9 },
      { ts: T0 + 10_000, value: 14.5, min: 10, max: 19 },
      { ts: T0 + 20_000, value: 24.5, min: 20, max: 29 },
    ]);
  });

  test("stepped range of a state takes each bucket's last code, never the mean of codes", async () => {
    // Control mode 0 (auto) and 4 (manual) alternating within 10-second buckets; a not-available
    // reading (a quality mark, no value) last in the second bucket changes nothing.
    const codes = [0, 4, 4, 0, 0, 4, 4, 4, 0, 4, 4, 0];
    const points = codes.map((code, i) => point('states', 'station.control_mode', T0 + i * 2000, code));
    points.push(point('states', 'station.control_mode', T0 + 19_500, null, 'not_available'));
    await writeAll(store(), points);
    const query = { site: 'plant-a', station: 'states', meaning: 'station.control_mode', from: T0 };
    const rows = await store().range({ ...query, to: T0 + 22_000, step: 10_000, aggregate: 'last' });
    expect(rows).toEqual([
      { ts: T0, value: 0, min: 0, max: 4 },
      { ts: T0 + 10_000, value: 4, min: 0, max: 4 },
      { ts: T0 + 20_000, value: 0, min: 0, max: 4 },
    ]);
    // The mean, for contrast: what enumerations must not get.
    const means = await store().range({ ...query, to: T0 + 22_000, step: 10_000 });
    expect(means[0]?.value).toBeCloseTo(1.6);
  });

  test('stepped range of a boolean gives the fraction of true readings', async () => {
    const pattern = [true, true, false, false, true, false, false, false];
    await writeAll(
      store(),
      pattern.map((v, i) => point('booleans', 'pump[1].running', T0 + i * 1000, v)),
    );
    const rows = await store().range({
      site: 'plant-a',
      station: 'booleans',
      meaning: 'pump[1].running',
      from: T0,
      to: T0 + 7000,
      step: 4000,
    });
    expect(rows).toEqual([
      { ts: T0, value: 0.5, min: 0, max: 1 },
      { ts: T0 + 4000, value: 0.25, min: 0, max: 1 },
    ]);
  });

  test('the same series and timestamp written twice stays one point (the later value)', async () => {
    await writeAll(store(), [point('idempotent', 'tank.level', T0, 1.5)]);
    await writeAll(store(), [
      point('idempotent', 'tank.level', T0, 1.75),
      point('idempotent', 'tank.level', T0, 2),
    ]);
    const rows = await store().range({
      site: 'plant-a',
      station: 'idempotent',
      meaning: 'tank.level',
      from: T0 - 1000,
      to: T0 + 1000,
    });
    expect(rows).toEqual([{ ts: T0, value: 2, q: 'good' }]);
  });

  test('writeDurable stores at once (no flush), idempotently; readingCounts counts messages per bucket', async () => {
    const HOUR = 3600_000;
    // Three messages in the first hour, one in the second; each has a pump reading on two pumps
    // and a station reading, and one is only a comms_failed quality mark.
    const message = (ts: number, q = 'good') => [
      point('counted', 'pump[1].running', ts, q === 'good' ? true : null, q),
      point('counted', 'pump[2].running', ts, q === 'good' ? false : null, q),
      point('counted', 'pressure.outlet', ts, q === 'good' ? 4.2 : null, q),
    ];
    await store().writeDurable([
      ...message(T0),
      ...message(T0 + 1000),
      ...message(T0 + 2000, 'comms_failed'),
    ]);
    await store().writeDurable([...message(T0 + HOUR), ...message(T0 + 1000)]);
    expect(await store().readingCounts('plant-a', 'counted', T0 - HOUR, T0 + 2 * HOUR, HOUR)).toEqual([
      { ts: T0, count: 3 },
      { ts: T0 + HOUR, count: 1 },
    ]);
  });

  test('writeDurable keeps a site and station named in Chinese, spaces and commas included', async () => {
    const site = '东区 供水,一期';
    const station = '1号 泵房';
    await store().writeDurable([
      { site, station, meaning: 'pressure.outlet', ts: T0, value: 4.25, q: 'good' },
      { site, station, meaning: 'pump[1].running', ts: T0, value: true, q: 'good' },
    ]);
    expect(await store().latest(site, station)).toEqual([
      { meaning: 'pressure.outlet', ts: T0, value: 4.25, q: 'good' },
      { meaning: 'pump[1].running', ts: T0, value: true, q: 'good' },
    ]);
  });

  test('health series sit beside the telemetry: ranged like it, but not in latest or reading counts', async () => {
    const HOUR = 3600_000;
    const hourly = [0, 1, 2, 3].map((i) => point('health', 'health.pump[2].vibration', T0 + i * HOUR, 2 + i));
    await writeAll(store(), [
      ...hourly,
      point('health', 'health.score', T0, 91),
      point('health', 'pressure.outlet', T0 + 5, 4.2),
    ]);
    const rows = await store().range({
      site: 'plant-a',
      station: 'health',
      meaning: 'health.pump[2].vibration',
      from: T0,
      to: T0 + 3 * HOUR,
      step: 2 * HOUR,
    });
    expect(rows).toEqual([
      { ts: T0, value: 2.5, min: 2, max: 3 },
      { ts: T0 + 2 * HOUR, value: 4.5, min: 4, max: 5 },
    ]);
    const score = await store().range({
      site: 'plant-a',
      station: 'health',
      meaning: 'health.score',
      from: T0,
      to: T0,
    });
    expect(score).toEqual([{ ts: T0, value: 91, q: 'good' }]);
    expect(await store().latest('plant-a', 'health')).toEqual([
      { meaning: 'pressure.outlet', ts: T0 + 5, value: 4.2, q: 'good' },
    ]);
    expect(await store().readingCounts('plant-a', 'health', T0 - HOUR, T0 + 4 * HOUR, 24 * HOUR)).toEqual([
      { ts: Math.floor(T0 / (24 * HOUR)) * 24 * HOUR, count: 1 },
    ]);
    await expect(
      store().range({ site: 'plant-a', station: 'x', meaning: 'health.pump[x].y', from: T0, to: T0 + 1 }),
    ).rejects.toThrow(/unknown health series/);
  });

  test('an unknown meaning is refused with the reason', async () => {
    await expect(
      store().range({ site: 'plant-a', station: 'x', meaning: 'pump[1].colour', from: T0, to: T0 + 1 }),
    ).rejects.toThrow(/unknown pump field "colour"/);
  });

  test('health reports the kind and that it is up', async () => {
    const health = await store().health();
    expect(health).toMatchObject({ kind, ok: true, queued: 0 });
    expect(health.version).toBeTruthy();
  });
});

describe('InfluxDB version detection', () => {
  test('influxd 1.6 is written through the v1 /write path', async () => {
    const store = stores.influxdb as InfluxStore;
    expect(influxd.version).toMatch(/^1\.6\./);
    expect(store.info).toMatchObject({ version: influxd.version, major: 1, writeApi: 'v1' });
    expect((await store.health()).writePath).toBe('v1 /write');
  });

  test('the points are in database aftercare, measurement per equipment kind, quality beside each field', async () => {
    const response = await fetch(
      `${influxd.url}/query?db=aftercare&epoch=ms&q=${encodeURIComponent(`SELECT "bearing_vibration", "bearing_vibration_q", "pump" FROM "pump" WHERE "station" = 'latest'`)}`,
    );
    const body = (await response.json()) as { results: Array<{ series: Array<{ values: unknown[][] }> }> };
    expect(body.results[0]?.series[0]?.values).toEqual([
      [T0, 2.5, 'good', '1'],
      [T0 + 1000, 3.25, 'stale', '1'],
    ]);
  });
});

describe('InfluxDB going away', () => {
  test('failed writes are counted as store errors, health says so, and the store keeps serving', async () => {
    const doomed = await startInfluxDb();
    const errors: string[] = [];
    const store = await openInfluxStore({
      url: doomed.url,
      logger: silentLogger(),
      observer: {
        pointsWritten: () => {},
        writeLatency: () => {},
        error: (operation) => errors.push(operation),
      },
      writeOptions: { maxRetries: 0 },
    });
    try {
      await doomed.stop();
      await writeAll(store, [point('gone', 'flow.rate', T0, 1)]);
      expect(errors).toContain('write');
      const health = await store.health();
      expect(health).toMatchObject({ kind: 'influxdb', ok: false, queued: 0 });
      expect(health.lastError).toBeTruthy();
      await expect(
        store.range({ site: 'plant-a', station: 'gone', meaning: 'flow.rate', from: T0, to: T0 }),
      ).rejects.toThrow();
      expect(errors).toContain('query');
    } finally {
      await store.close();
    }
  });
});

describe('PGlite on disk', () => {
  test('keeps telemetry across a close and reopen', { timeout: 60_000 }, async () => {
    const before = await stores.pglite!.latest('plant-a', 'latest');
    expect(before.length).toBeGreaterThan(0);
    await stores.pglite!.write([point('disk', 'pressure.inlet', T0, 1.25)]);
    await stores.pglite!.close();
    stores.pglite = await openPgliteStore({ dir: pgliteDir });
    expect(await stores.pglite.latest('plant-a', 'disk')).toEqual([
      { meaning: 'pressure.inlet', ts: T0, value: 1.25, q: 'good' },
    ]);
    expect(await stores.pglite.latest('plant-a', 'latest')).toEqual(before);
  });
});
