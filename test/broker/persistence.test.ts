import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BrokerUser, type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { connectClient, endAll, makeUsers, waitFor } from './support.ts';

const COUNT = 60;
let dataDir: string;
let users: BrokerUser[];
const brokers: RunningBroker[] = [];
const clients: MqttClient[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-broker-'));
  users = await makeUsers([
    { username: 'edge-n', password: 'n', role: 'edge', site: 'north' },
    { username: 'server', password: 's', role: 'server' },
  ]);
});

afterAll(async () => {
  await endAll(clients);
  for (const broker of brokers) await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(dir: string | undefined): Promise<RunningBroker> {
  const broker = await startBroker({ port: 0, users, dataDir: dir, logger: silentLogger() });
  brokers.push(broker);
  return broker;
}

const subscriberOptions = {
  username: 'server',
  password: 's',
  clientId: 'server-ingest-1',
  clean: false,
} as const;

/** Persistent subscriber goes offline, the edge publishes QoS 1 (each PUBACKed), the broker restarts. */
async function publishWhileSubscriberOffline(dir: string | undefined): Promise<RunningBroker> {
  const first = await start(dir);
  const subscriber = await connectClient(first.url, subscriberOptions);
  await subscriber.subscribeAsync(topics.allTelemetry, { qos: 1 });
  await subscriber.endAsync();

  const edge = await connectClient(first.url, { username: 'edge-n', password: 'n', clientId: 'edge-n-1' });
  clients.push(edge);
  for (let seq = 0; seq < COUNT; seq++) {
    // publishAsync resolves on PUBACK: the broker has acknowledged each message.
    await edge.publishAsync(topics.telemetry('north', 'st1'), JSON.stringify({ seq }), { qos: 1 });
  }
  await edge.endAsync();
  await first.close();
  return await start(dir);
}

describe('QoS 1 sessions across a broker restart', () => {
  test('with a data dir: the reconnecting subscriber gets every acknowledged message', async () => {
    const second = await publishWhileSubscriberOffline(dataDir);
    const received: number[] = [];
    const subscriber = await connectClient(second.url, subscriberOptions);
    clients.push(subscriber);
    subscriber.on('message', (_topic, payload) =>
      received.push((JSON.parse(payload.toString()) as { seq: number }).seq),
    );
    await waitFor(() => received.length >= COUNT, 10_000, `${COUNT} queued messages`);
    expect(received.sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    expect(second.stats().messagesOut).toBeGreaterThanOrEqual(COUNT);
    await subscriber.endAsync();
  });

  test('without a data dir (in memory) the same restart loses the session', async () => {
    const second = await publishWhileSubscriberOffline(undefined);
    const received: string[] = [];
    const subscriber = await connectClient(second.url, subscriberOptions);
    clients.push(subscriber);
    subscriber.on('message', (_topic, payload) => received.push(payload.toString()));
    // The session is gone, so subscribe again and send a marker through the same path.
    await subscriber.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const edge = await connectClient(second.url, { username: 'edge-n', password: 'n' });
    clients.push(edge);
    await edge.publishAsync(topics.telemetry('north', 'st1'), 'marker', { qos: 1 });
    await waitFor(() => received.includes('marker'));
    expect(received).toEqual(['marker']);
  });

  test('a data dir held by a running broker is refused with a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-broker-lock-'));
    const holder = await start(dir);
    try {
      await expect(startBroker({ port: 0, users, dataDir: dir, logger: silentLogger() })).rejects.toThrow(
        /cannot open the broker store .*another broker/,
      );
    } finally {
      await holder.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
