import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { EdgeStatus } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

let broker: RunningMosquitto;
let publisher: MqttClient;

const will = (edge: string, station: string): EdgeStatus => ({
  v: 1,
  edge,
  site: 'plant-g',
  online: false,
  ts: Date.now() - 3_600_000,
  stations: { [station]: 'comms_failed' },
});

beforeAll(async () => {
  broker = await startMosquitto();
  publisher = connectMqtt(broker.url, { clientId: 'grace-test' });
  await new Promise<void>((resolve) => publisher.once('connect', () => resolve()));
  // What the broker holds after the whole site restarted: the edges' last wills, retained.
  for (const s of [will('edge-a', 'st1'), will('edge-b', 'st2')]) {
    await publisher.publishAsync(topics.edgeStatus(s.site, s.edge), JSON.stringify(s), {
      qos: 1,
      retain: true,
    });
  }
});

afterAll(async () => {
  await publisher?.endAsync();
  await broker?.stop();
});

async function startedWithGrace(edgeStartGraceMs: number): Promise<RunningServer> {
  return startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    profiles: [loadProfile('profiles/booster-3p-380.yaml')],
    service: { edgeStartGraceMs },
  });
}

async function get(server: RunningServer, path: string) {
  const { token } = await server.tokens.issue({ username: 'ops', role: 'operator' });
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answers field by field
  return (await response.json()) as any;
}

/** Waits until the server has heard both retained statuses and ticked a few times after that. */
async function settled(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const health = await get(server, '/health');
    if ((health.edges ?? []).length >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The service evaluates every station each second.
  await new Promise((resolve) => setTimeout(resolve, 3000));
}

const activeAlarms = async (server: RunningServer): Promise<string[]> =>
  (
    (await get(server, '/alarms?state=active_unack,active_ack')).alarms as Array<{
      station: string;
      faultClass: string;
    }>
  )
    .map((a) => `${a.station}:${a.faultClass}`)
    .sort();

describe('a starting server and the edge statuses the broker retained', () => {
  test('without a grace period, the retained last wills raise "edge gateway offline" at once (what a restart did)', async () => {
    const server = await startedWithGrace(0);
    try {
      await settled(server);
      expect(await activeAlarms(server)).toEqual(['st1:edge_offline', 'st2:edge_offline']);
    } finally {
      await server.stop();
    }
  });

  test('with the default-like grace period, they raise no alarm and open no ticket while the edges have time to report back', async () => {
    const server = await startedWithGrace(600_000);
    try {
      await settled(server);
      expect(await activeAlarms(server)).toEqual([]);
      expect((await get(server, '/tickets')).tickets).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
