import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type MqttSubscriber, startMqttSubscriber } from '../../server/ingest/subscriber.ts';
import { makeTestCertificates } from '../support/certificates.ts';
import { connectClient, endAll, makeUsers, waitFor } from './support.ts';

let dir: string;
let broker: RunningBroker;
let ca: Buffer;
const clients: MqttClient[] = [];
let subscriber: MqttSubscriber | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-tls-'));
  const certificates = await makeTestCertificates(dir);
  ca = certificates.ca;
  const users = await makeUsers([
    { username: 'edge-n', password: 'n', role: 'edge', site: 'north' },
    { username: 'server', password: 's', role: 'server' },
  ]);
  broker = await startBroker({
    port: 0,
    users,
    logger: silentLogger(),
    tls: { cert: certificates.cert, key: certificates.key },
  });
}, 60_000);

afterAll(async () => {
  await subscriber?.stop();
  await endAll(clients);
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('MQTT over TLS', () => {
  test('the broker serves mqtts://; an edge trusting its CA publishes and the server subscriber receives', async () => {
    expect(broker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const received: string[] = [];
    subscriber = startMqttSubscriber({
      url: broker.url,
      username: 'server',
      password: 's',
      clientId: 'server-tls',
      ca,
      logger: silentLogger(),
      onMessage: (topic, payload) => {
        if (topic.endsWith('/telemetry')) received.push(Buffer.from(payload).toString());
      },
    });
    await waitFor(() => subscriber!.connected(), 10_000, 'server subscriber over TLS');
    await subscriber.client.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const edge = await connectClient(broker.url, { username: 'edge-n', password: 'n', ca });
    clients.push(edge);
    await edge.publishAsync(topics.telemetry('north', 'st1'), 'over tls', { qos: 1 });
    await waitFor(() => received.includes('over tls'), 5000, 'the message over TLS');
  });

  test('a client that does not trust the certificate is refused at the handshake', async () => {
    await expect(connectClient(broker.url, { username: 'edge-n', password: 'n' })).rejects.toThrow(
      /self[- ]signed|unable to (get|verify)/i,
    );
  });

  test('plain MQTT to the TLS port gets no CONNACK', async () => {
    const plain = broker.url.replace('mqtts://', 'mqtt://');
    await expect(
      connectClient(plain, { username: 'edge-n', password: 'n', connectTimeout: 2000 }),
    ).rejects.toThrow();
  });
});
