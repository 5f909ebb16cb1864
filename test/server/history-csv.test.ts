import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { columnHeader, csvField, historyCsv, UTF8_BOM } from '../../core/csv/history-csv.ts';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

describe('history CSV (pure)', () => {
  test.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['出口压力 (bar)', '出口压力 (bar)'],
  ])('field %j is written %j', (text, written) => {
    expect(csvField(text)).toBe(written);
  });

  test.each([
    ['pressure.outlet', 'bar', 'pressure.outlet (bar)'],
    ['pump[1].running', undefined, 'pump[1].running'],
    ['pump[1].running', '', 'pump[1].running'],
  ])('header of %s with unit %j is %j', (name, unit, header) => {
    expect(columnHeader(name, unit)).toBe(header);
  });

  test('rows are the union of the series timestamps in order, blanks where a series has none', () => {
    const csv = historyCsv(
      'time',
      [
        {
          header: 'a (bar)',
          points: [
            { ts: 2000, value: 1.5 },
            { ts: 1000, value: 1 },
          ],
        },
        {
          header: 'b',
          points: [
            { ts: 3000, value: true },
            { ts: 1000, value: Number.NaN },
          ],
        },
      ],
      (ms) => String(ms / 1000),
    );
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['time,a (bar),b', '1,1,', '2,1.5,', '3,,1', '']);
  });

  test('no points is a header row alone', () => {
    expect(historyCsv('time', [{ header: 'a', points: [] }], String)).toBe(`${UTF8_BOM}time,a\r\n`);
  });
});

// GET /api/stations/:id/history.csv against a real broker and server: the rows are the stored points.
let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;
let token: string;
const T0 = Date.now() - 120_000;

function telemetry(seq: number, values: Telemetry['values']): Telemetry {
  return {
    v: 1,
    site: 'plant-c',
    station: 'csv1',
    edge: 'edge-c',
    model: 'booster-3p-380',
    seq,
    ts: T0 + seq * 1000,
    state: 'ok',
    values,
  };
}

async function get(path: string): Promise<Response> {
  return await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    profiles: [loadProfile('profiles/booster-3p-380.yaml')],
  });
  token = (await server.tokens.issue({ username: 'eng', role: 'engineer' })).token;
  publisher = connectMqtt(broker.url, { clientId: 'csv-publisher' });
  await until(async () => publisher.connected, 'publisher on broker');
  await until(
    async () =>
      ((await (await get('/api/health')).json()) as { broker: { connected: boolean } }).broker.connected,
    'server on broker',
  );
  const messages = [
    telemetry(1, { 'pressure.outlet': { v: 4.25, q: 'good' }, 'pump[1].running': { v: true, q: 'good' } }),
    telemetry(2, { 'pressure.outlet': { v: 4.5, q: 'good' } }),
    telemetry(3, { 'pressure.outlet': { v: 3.75, q: 'good' }, 'pump[1].running': { v: false, q: 'good' } }),
  ];
  for (const message of messages)
    await publisher.publishAsync(topics.telemetry('plant-c', 'csv1'), JSON.stringify(message), { qos: 1 });
  await until(async () => {
    const answer = (await (
      await get(`/api/stations/csv1/history?tag=pressure.outlet&from=${T0}`)
    ).json()) as { points?: unknown[] };
    return answer.points?.length === 3;
  }, 'three stored points');
});

afterAll(async () => {
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

describe('GET /api/stations/:id/history.csv', () => {
  test('is UTF-8 CSV with a BOM, a header with units and the stored points as rows', async () => {
    const response = await get(
      `/api/stations/csv1/history.csv?tag=pressure.outlet,pump[1].running&from=${T0}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('csv1-history.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('time (UTC),pressure.outlet (bar),pump[1].running');
    const stored = (await (
      await get(`/api/stations/csv1/history?tag=pressure.outlet&from=${T0}`)
    ).json()) as {
      points: { ts: number; value: number }[];
    };
    expect(lines.slice(1, -1)).toEqual(
      stored.points.map(
        (p, i) => `${new Date(p.ts).toISOString()},${p.value},${i === 0 ? '1' : i === 2 ? '0' : ''}`,
      ),
    );
    expect(lines.slice(1, -1).map((line) => line.split(',')[1])).toEqual(['4.25', '4.5', '3.75']);
  });

  test('takes the same range and step as the JSON history', async () => {
    const from = T0 - (T0 % 3_600_000);
    const response = await get(`/api/stations/csv1/history.csv?tag=pressure.outlet&from=${from}&step=1h`);
    const json = (await (
      await get(`/api/stations/csv1/history?tag=pressure.outlet&from=${from}&step=1h`)
    ).json()) as { points: { ts: number; value: number }[] };
    const rows = (await response.text()).split('\r\n').slice(1, -1);
    expect(rows).toEqual(json.points.map((p) => `${new Date(p.ts).toISOString()},${p.value}`));
    expect(rows.length).toBeGreaterThan(0);
  });

  test.each([
    ['no tag', '', 400, /tag is required/],
    ['an unknown meaning', '?tag=pressure.outlet,nope', 400, /nope|meaning/],
    ['a bad step', '?tag=pressure.outlet&step=1x', 400, /step must be a duration/],
  ])('%s is refused with a sentence', async (_name, query, status, message) => {
    const response = await get(`/api/stations/csv1/history.csv${query}`);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });
});
