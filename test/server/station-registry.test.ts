import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { stationTelemetry } from '../service/station-telemetry.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

// An edge credential of a site could invent stations (7 tickets opened for stations nobody
// registered) and report status for stations that are not its own. The server now accepts, in a
// site with registered stations, only those, each from the edge it is assigned to.
let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    // The demo's master data: site "demo" with stations st1 and st2 (st3 is Riverside's).
    service: { edgeStartGraceMs: 0, seedDemo: true },
  });
  const { db } = server.service!;
  await db
    .insertInto('edges')
    .values({
      id: 'gw-a',
      site_id: 'demo',
      name: 'A',
      created_at: Date.now(),
      secret_hash: 'x',
      credential_version: 1,
    })
    .execute();
  await server.service!.stores.assets.upsertStation({
    site_id: 'demo',
    id: 'st5',
    name: 'st5',
    model: 'booster',
    serial_number: '',
    acceptance_date: null,
    warranty_end: null,
    contract_id: null,
  });
  await db
    .updateTable('stations')
    .set({ edge_id: 'gw-a' })
    .where('site_id', '=', 'demo')
    .where('id', '=', 'st5')
    .execute();
  publisher = connectMqtt(broker.url, { clientId: 'registry-test' });
  await new Promise<void>((resolve) => publisher.once('connect', () => resolve()));
}, 120_000);

afterAll(async () => {
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

const publish = (t: Telemetry) =>
  publisher.publishAsync(topics.telemetry(t.site, t.station), JSON.stringify(t), { qos: 1 });

async function badPayloads(reason: string): Promise<number> {
  const text = await server.metrics();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('aftercare_bad_payloads_total{') && l.includes(`reason="${reason}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('only registered stations of the edge are accepted', () => {
  test('an invented station is counted, never stored, never ticketed', async () => {
    const now = Date.now();
    for (let seq = 1; seq <= 7; seq++)
      await publish(
        stationTelemetry('st99', seq, now - 10_000 + seq, { 'pump[1].fault': { v: true, q: 'good' } }),
      );
    await until('7 refusals counted', async () =>
      (await badPayloads('unknown_station')) >= 7 ? true : undefined,
    );
    expect(server.latest.get('demo', 'st99')).toBeUndefined();
    const stored = await server.store.range({
      site: 'demo',
      station: 'st99',
      meaning: 'pump[1].running',
      from: now - 60_000,
      to: now + 1000,
    });
    expect(stored).toEqual([]);
    const tickets = await server
      .service!.db.selectFrom('tickets')
      .selectAll()
      .where('station', '=', 'st99')
      .execute();
    expect(tickets).toEqual([]);
  });

  test('a registered station is accepted; one assigned to another edge is refused', async () => {
    const now = Date.now();
    await publish(stationTelemetry('st1', 1, now - 500, {}));
    await publish(stationTelemetry('st5', 1, now - 500, {})); // from edge-1, st5 is gw-a's
    await until('st1 held', async () => server.latest.get('demo', 'st1'));
    await until('the foreign one counted', async () =>
      (await badPayloads('foreign_station')) >= 1 ? true : undefined,
    );
    expect(server.latest.get('demo', 'st5')).toBeUndefined();
    await publish({ ...stationTelemetry('st5', 2, now - 400, {}), edge: 'gw-a' });
    await until('st5 from its own edge held', async () => server.latest.get('demo', 'st5'));
  });

  test('a station registered a moment ago is accepted at once', async () => {
    await server.service!.stores.assets.upsertStation({
      site_id: 'demo',
      id: 'st4',
      name: 'st4',
      model: 'booster',
      serial_number: '',
      acceptance_date: null,
      warranty_end: null,
      contract_id: null,
    });
    await publish(stationTelemetry('st4', 1, Date.now() - 100, {}));
    await until('st4 held', async () => server.latest.get('demo', 'st4'));
  });

  test('edge status for a station that is not its own is refused', async () => {
    const before = await badPayloads('unknown_station');
    const status: EdgeStatus = {
      v: 1,
      edge: 'edge-1',
      site: 'demo',
      online: true,
      ts: Date.now(),
      stations: { st1: 'ok', st42: 'ok' },
    };
    await publisher.publishAsync(topics.edgeStatus('demo', 'edge-1'), JSON.stringify(status), { qos: 1 });
    await until('the status refused', async () =>
      (await badPayloads('unknown_station')) > before ? true : undefined,
    );
    expect(server.service!.hub.edges.list().some((e) => e.edge === 'edge-1')).toBe(false);
  });
});

describe('sequence numbers', () => {
  test('a seq already stored for the station is counted as duplicate and not stored twice', async () => {
    const before = await badPayloads('duplicate');
    const t = Date.now() - 5000;
    await publish(stationTelemetry('st2', 50, t, {}));
    for (let i = 1; i <= 20; i++) await publish(stationTelemetry('st2', 50, t + i * 10, {}));
    // A QoS 1 redelivery (same seq, same time) is not a duplicate.
    await publish(stationTelemetry('st2', 50, t, {}));
    await until('20 duplicates counted', async () =>
      (await badPayloads('duplicate')) - before >= 20 ? true : undefined,
    );
    await server.service!.hub.idle();
    const stored = await server.store.range({
      site: 'demo',
      station: 'st2',
      meaning: 'pump[1].running',
      from: t,
      to: t + 1000,
    });
    expect(stored.map((row) => row.ts)).toEqual([t]);
    expect((await badPayloads('duplicate')) - before).toBe(20);
  });
});
