import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { EdgeSpool, EdgeStatus } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

// Issue 17: an edge whose spool cannot write says so in its status; the server raises the edge's
// disk fault at each of its stations (a ticket each, by the default policy) and clears it when the
// edge reports its spool healthy again.
let broker: RunningMosquitto;
let publisher: MqttClient;
let server: RunningServer;

const status = (spool: EdgeSpool | undefined): EdgeStatus => ({
  v: 1,
  edge: 'edge-d',
  site: 'plant-d',
  online: true,
  ts: Date.now(),
  stations: { st1: 'ok', st2: 'ok' },
  ...(spool ? { spool } : {}),
});

async function publishStatus(spool: EdgeSpool | undefined): Promise<void> {
  await publisher.publishAsync(topics.edgeStatus('plant-d', 'edge-d'), JSON.stringify(status(spool)), {
    qos: 1,
    retain: true,
  });
}

async function get(path: string) {
  const { token } = await server.tokens.issue({ username: 'ops', role: 'operator' });
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answers field by field
  return (await response.json()) as any;
}

async function activeAlarms(): Promise<string[]> {
  const { alarms } = await get('/alarms?state=active_unack,active_ack');
  return (alarms as Array<{ station: string; faultClass: string }>)
    .map((a) => `${a.station}:${a.faultClass}`)
    .sort();
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (active: ${(await activeAlarms()).join(', ')})`);
}

beforeAll(async () => {
  broker = await startMosquitto();
  publisher = connectMqtt(broker.url, { clientId: 'edge-disk-test' });
  await new Promise<void>((resolve) => publisher.once('connect', () => resolve()));
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    profiles: [loadProfile('profiles/booster-3p-380.yaml')],
    service: { edgeStartGraceMs: 0 },
  });
}, 150_000);

afterAll(async () => {
  await server?.stop();
  await publisher?.endAsync();
  await broker?.stop();
});

test('"edge disk full" and "spool read-only" are raised from the edge status, ticketed once per station, and cleared by a healthy spool', async () => {
  await publishStatus({ state: 'ok' });
  await until('the edge is known', async () => (await get('/health')).edges.length === 1);
  expect(await activeAlarms()).toEqual([]);

  await publishStatus({ state: 'full', code: 'ENOSPC' });
  await until(
    'edge disk full raised',
    async () => (await activeAlarms()).join() === ['st1:edge_disk_full', 'st2:edge_disk_full'].join(),
  );
  expect((await get('/health')).edges[0].spool).toEqual({ state: 'full', code: 'ENOSPC' });
  const tickets = (await get('/tickets')).tickets as Array<{
    station: string;
    faultClass: string;
    titleCode: string;
    titleParams: Record<string, string>;
  }>;
  expect(tickets.map((t) => `${t.station}:${t.faultClass}`).sort()).toEqual([
    'st1:edge_disk_full',
    'st2:edge_disk_full',
  ]);
  expect(tickets[0]).toMatchObject({ titleCode: 'ticket.fault', titleParams: { fault: 'edge_disk_full' } });

  // The same fault reported again opens nothing new.
  await publishStatus({ state: 'full', code: 'ENOSPC' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await get('/tickets')).tickets).toHaveLength(2);

  await publishStatus({ state: 'ok' });
  await until('edge disk full cleared', async () => (await activeAlarms()).length === 0);

  await publishStatus({ state: 'read_only', code: 'EROFS' });
  await until(
    'spool read-only raised',
    async () =>
      (await activeAlarms()).join() === ['st1:edge_spool_read_only', 'st2:edge_spool_read_only'].join(),
  );
  // An edge going offline (its last will has no spool) leaves the fault as it is: unknown, not healthy.
  await publisher.publishAsync(
    topics.edgeStatus('plant-d', 'edge-d'),
    JSON.stringify({ ...status(undefined), online: false }),
    { qos: 1, retain: true },
  );
  await until('edge offline raised', async () => (await activeAlarms()).includes('st1:edge_offline'));
  expect(await activeAlarms()).toContain('st1:edge_spool_read_only');
  await publishStatus({ state: 'ok' });
  await until('all cleared', async () => (await activeAlarms()).length === 0);
}, 90_000);
