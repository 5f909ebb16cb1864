import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { good, stationTelemetry } from '../service/station-telemetry.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

// One reading dated decades ahead (a forged message, or an edge whose clock jumped) used to become
// the station's newest forever: every real message after it was "late", so a real pump trip was
// stored but raised no alarm and no ticket. Now it is quarantined, counted and shown.
let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;
let token: string;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    service: { edgeStartGraceMs: 0 },
  });
  token = (await server.tokens.issue({ username: 'eng', role: 'engineer' })).token;
  publisher = connectMqtt(broker.url, { clientId: 'future-test' });
  await new Promise<void>((resolve) => publisher.once('connect', () => resolve()));
}, 120_000);

afterAll(async () => {
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

const publish = (t: Telemetry) =>
  publisher.publishAsync(topics.telemetry(t.site, t.station), JSON.stringify(t), { qos: 1 });

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answers field by field
async function get(path: string): Promise<any> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return await response.json();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('telemetry dated ahead of the server clock', () => {
  test('a forged reading from 2099 is quarantined, and a real trip after it opens its ticket', async () => {
    const now = Date.now();
    await publish(stationTelemetry('st7', 1, now - 2_000, {}));
    await until('the station', async () => ((await get('/api/stations/st7')).values ? true : undefined));

    const forged = Date.parse('2099-01-01T00:00:00Z');
    await publish(stationTelemetry('st7', 2, forged, { 'pressure.outlet': good(99) }));
    // The quarantine is counted where operators look: the bad-payload counter and the edge's clock.
    await until('the quarantine counter', async () => {
      const metrics = await (
        await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      return /bad_payloads_total\{[^}]*reason="future_timestamp"[^}]*\} 1/.test(metrics) ? true : undefined;
    });
    const station = await get('/api/stations/st7');
    expect(station.ts).toBeLessThan(now + 60_000);
    expect(station.values['pressure.outlet'].v).toBe(3.5);

    await publish(
      stationTelemetry('st7', 3, Date.now(), { 'pump[1].fault': good(true), 'pump[1].running': good(false) }),
    );
    const ticket = await until('the trip ticket', async () => {
      const { tickets } = await get('/api/tickets?station=st7');
      return tickets.find((t: { faultClass: string }) => t.faultClass === 'pump_trip');
    });
    expect(ticket.subject).toBe('pump[1]');
  });

  test('the edge whose clock ran ahead is shown as such', async () => {
    await publisher.publishAsync(
      topics.edgeStatus('demo', 'edge-1'),
      JSON.stringify({
        v: 1,
        edge: 'edge-1',
        site: 'demo',
        online: true,
        ts: Date.now(),
        stations: { st7: 'ok' },
      }),
      { qos: 1, retain: true },
    );
    const edge = await until('the edge status', async () => {
      const health = await get('/api/health');
      return health.edges.find((e: { edge: string }) => e.edge === 'edge-1');
    });
    expect(edge.clockAheadMs).toBeGreaterThan(365 * 86_400_000);
  });

  test('a message a little ahead (within the allowed skew) is still live', async () => {
    await publish(stationTelemetry('st8', 1, Date.now() + 30_000, { 'pressure.outlet': good(4.2) }));
    const station = await until('st8', async () => {
      const answer = await get('/api/stations/st8');
      return answer.values ? answer : undefined;
    });
    expect(station.values['pressure.outlet'].v).toBe(4.2);
  });
});
