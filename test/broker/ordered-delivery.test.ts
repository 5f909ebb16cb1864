import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { connectClient, endAll, makeUsers, waitFor } from './support.ts';

const PUBLISHERS = 3;
const EACH = 300;
let dataDir: string;
let broker: RunningBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-broker-order-'));
  const users = await makeUsers([
    ...Array.from({ length: PUBLISHERS }, (_, i) => ({
      username: `edge-${i}`,
      password: 'p',
      role: 'edge' as const,
      site: `site${i}`,
    })),
    { username: 'server', password: 's', role: 'server' },
  ]);
  broker = await startBroker({ port: 0, users, dataDir, logger: silentLogger() });
});

afterAll(async () => {
  await endAll(clients);
  await broker?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('every acknowledged QoS 1 message reaches the subscriber', () => {
  // aedes 1.2 drops a message as a "duplicate" when a later one (higher brokerCounter) reached the
  // same subscriber first, which concurrent publishers and disk persistence make happen
  // (moscajs/aedes#955, #994): PUBACKed to the publisher, never delivered.
  test(`${PUBLISHERS} publishers x ${EACH} concurrent messages, disk persistence`, async () => {
    const subscriber = await connectClient(broker.url, {
      username: 'server',
      password: 's',
      clean: false,
      clientId: 'server-order-sub',
    });
    clients.push(subscriber);
    await subscriber.subscribeAsync({ [topics.allTelemetry]: { qos: 1 }, 'aftercare/v1/+/+/+': { qos: 1 } });
    const received = new Set<string>();
    let copies = 0;
    subscriber.on('message', (_topic, payload) => {
      copies += 1;
      received.add(payload.toString());
    });
    const publishers = await Promise.all(
      Array.from({ length: PUBLISHERS }, (_, i) =>
        connectClient(broker.url, { username: `edge-${i}`, password: 'p' }),
      ),
    );
    clients.push(...publishers);
    await Promise.all(
      publishers.map((publisher, i) =>
        Promise.all(
          Array.from({ length: EACH }, (_, n) =>
            publisher.publishAsync(topics.telemetry(`site${i}`, `st${n % 3}`), `${i}:${n}`, { qos: 1 }),
          ),
        ),
      ),
    );
    await waitFor(() => received.size === PUBLISHERS * EACH, 10_000, 'every message delivered').catch(
      () => {},
    );
    expect(received.size).toBe(PUBLISHERS * EACH);
    // Two overlapping subscriptions still bring each message once.
    expect(copies).toBe(PUBLISHERS * EACH);
  });
});
