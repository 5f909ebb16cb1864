import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { freePort } from '../../core/net.ts';
import { hashSecret } from '../../core/secrets.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { aftercare, type Component, sleep, until } from '../faults/processes.ts';
import { TEST_COST } from './support.ts';

// A read-only viewer connecting with the server's client id used to take over its session (33 of
// 218 readings lost in 8 s as the two kicked each other off), and with an edge's id it fired the
// edge's last will (false "edge gateway offline" alarms). The broker now refuses both at CONNACK.
const SITE = 'cid';
const STATION = 'st1';
const EDGE_ID = 'e1';

let dir: string;
let simulator: Component;
let broker: Component;
let edge: Component;
let server: RunningServer;
let monitor: MqttClient;
let brokerUrl: string;
const offlineStatuses: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-client-ids-'));
  const [modbus, control, mqtt] = [await freePort(), await freePort(), await freePort()];
  const hash = (password: string) => hashSecret(password, TEST_COST);
  await writeFile(
    join(dir, 'broker.json'),
    JSON.stringify({
      users: [
        { username: 'edge-cid', role: 'edge', site: SITE, passwordHash: await hash('edge-pw') },
        { username: 'srv', role: 'server', passwordHash: await hash('srv-pw') },
        { username: 'viewer', role: 'viewer', passwordHash: await hash('viewer') },
        { username: 'root', role: 'admin', passwordHash: await hash('root-pw') },
      ],
    }),
  );
  simulator = aftercare('simulator', 'simulator', [
    '--stations',
    STATION,
    '--port',
    String(modbus),
    '--control-port',
    String(control),
    '--seed',
    '3',
  ]);
  broker = aftercare('broker', 'broker', ['--port', String(mqtt), '--users', join(dir, 'broker.json')]);
  const url = `mqtt://127.0.0.1:${mqtt}`;
  brokerUrl = url;
  await writeFile(
    join(dir, 'edge.json'),
    JSON.stringify({
      edgeId: EDGE_ID,
      site: SITE,
      mqtt: { url, username: 'edge-cid', password: 'edge-pw' },
      pollClasses: { fast: 250, slow: 5000 },
      modbus: { timeoutMs: 300, retries: 0, backoffMs: 100, maxBackoffMs: 1000 },
      spool: { dir: join(dir, 'spool') },
      stations: [
        {
          id: STATION,
          profile: resolve(import.meta.dirname, '../../profiles/booster-3p-380.yaml'),
          tcp: { host: '127.0.0.1', port: modbus },
        },
      ],
    }),
  );
  edge = aftercare('edge', 'edge', ['--config', join(dir, 'edge.json'), '--stats-every', '0']);
  simulator.start();
  broker.start();
  await until('broker listens', async () => (await connects(mqtt)) || undefined, 30_000);
  server = await startServer({
    port: 0,
    mqtt: { url, username: 'srv', password: 'srv-pw' },
    dataDir: join(dir, 'server'),
    logger: silentLogger(),
    service: false,
  });
  monitor = connectMqtt(url, { clientId: 'root-monitor', username: 'root', password: 'root-pw' });
  monitor.on('message', (_topic, payload) => {
    const status = JSON.parse(payload.toString()) as { online: boolean };
    if (!status.online) offlineStatuses.push(payload.toString());
  });
  await monitor.subscribeAsync(topics.edgeStatus(SITE, EDGE_ID), { qos: 1 });
  edge.start();
  await until(
    'the station streams to the server',
    async () => ((server.latest.get(SITE, STATION)?.seq ?? 0) > 5 ? true : undefined),
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${edge.output()}\n${broker.output()}`);
  });
}, 180_000);

afterAll(async () => {
  await monitor?.endAsync(true);
  await server?.stop();
  for (const component of [edge, broker, simulator]) await component?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

/** A viewer connecting again and again with `clientId` for `ms`; resolves with what the broker answered. */
async function impersonate(clientId: string, ms: number): Promise<{ refused: number; connected: number }> {
  const result = { refused: 0, connected: 0 };
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    const client = connectMqtt(brokerUrl, {
      clientId,
      username: 'viewer',
      password: 'viewer',
      reconnectPeriod: 0,
    });
    await new Promise<void>((done) => {
      client.once('connect', () => {
        result.connected++;
        done();
      });
      client.once('error', (error: Error & { code?: number }) => {
        if (error.code === 2) result.refused++;
        done();
      });
      client.once('close', () => done());
    });
    await client.endAsync(true);
    await sleep(100);
  }
  return result;
}

test("a viewer using the server's or the edge's client id is refused, and nothing is lost", async () => {
  const serverId = (await readFile(join(dir, 'server', 'mqtt-client-id'), 'utf8')).trim();
  expect(serverId).toMatch(/^aftercare-server-[0-9a-f]{16}$/);
  const before = server.latest.get(SITE, STATION)!;

  const [asServer, asEdge] = await Promise.all([
    impersonate(serverId, 4000),
    impersonate(`aftercare-edge-${EDGE_ID}`, 4000),
  ]);
  expect(asServer.connected).toBe(0);
  expect(asServer.refused).toBeGreaterThan(5);
  expect(asEdge.connected).toBe(0);
  expect(asEdge.refused).toBeGreaterThan(5);

  await sleep(1500);
  const after = server.latest.get(SITE, STATION)!;
  const expected = after.seq - before.seq;
  let stored = 0;
  await until(
    'every reading published since the mark is stored',
    async () => {
      const rows = await server.store.range({
        site: SITE,
        station: STATION,
        meaning: 'pump[1].running',
        from: before.ts + 1,
        to: after.ts,
      });
      stored = rows.length;
      return stored >= expected ? true : undefined;
    },
    20_000,
  ).catch(() => undefined);
  expect(expected).toBeGreaterThan(10);
  expect(stored).toBe(expected);
  expect(offlineStatuses).toEqual([]);
  expect(broker.output()).toContain('client id reserved for servers');
}, 60_000);

async function connects(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return await new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
