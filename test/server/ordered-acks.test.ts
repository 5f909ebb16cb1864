import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type MqttSubscriber, startMqttSubscriber } from '../../server/ingest/subscriber.ts';
import { connectClient, endAll, makeUsers, waitFor } from '../broker/support.ts';

const COUNT = 50;
let broker: RunningBroker;
let edge: MqttClient;
const subscribers: MqttSubscriber[] = [];

beforeAll(async () => {
  const users = await makeUsers([
    { username: 'edge-n', password: 'n', role: 'edge', site: 'north' },
    { username: 'server', password: 's', role: 'server' },
  ]);
  broker = await startBroker({ port: 0, users, logger: silentLogger() });
  edge = await connectClient(broker.url, { username: 'edge-n', password: 'n' });
});

afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.stop()));
  await endAll([edge]);
  await broker.close();
});

interface Held {
  seq: number;
  release: () => void;
}

/** A server subscriber whose handler holds every telemetry message until the test releases it. */
async function heldSubscriber(clientId: string) {
  const held: Held[] = [];
  const acked: number[] = [];
  const subscriber = startMqttSubscriber({
    url: broker.url,
    username: 'server',
    password: 's',
    clientId,
    logger: silentLogger(),
    onMessage: (topic, payload) => {
      if (!topic.endsWith('/telemetry')) return;
      const { seq } = JSON.parse(Buffer.from(payload).toString()) as { seq: number };
      return new Promise<void>((resolve) => held.push({ seq, release: resolve }));
    },
  });
  subscribers.push(subscriber);
  const idToSeq = new Map<number, number>();
  subscriber.client.on('packetreceive', (packet) => {
    if (packet.cmd === 'publish' && packet.topic.endsWith('/telemetry') && packet.messageId !== undefined)
      idToSeq.set(packet.messageId, (JSON.parse(packet.payload.toString()) as { seq: number }).seq);
  });
  subscriber.client.on('packetsend', (packet) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined) acked.push(idToSeq.get(packet.messageId)!);
  });
  await waitFor(() => subscriber.connected(), 5000, 'subscriber connected');
  // The subscription is in place once a probe message arrives.
  return { subscriber, held, acked };
}

/** Destroys the subscriber's socket after what it wrote has reached the kernel (a crash, not a goodbye). */
async function crash(subscriber: MqttSubscriber): Promise<void> {
  const stream = subscriber.client.stream;
  await new Promise<void>((resolve) => stream.write(Buffer.alloc(0), () => resolve()));
  await subscriber.stop().catch(() => {});
  subscriber.client.end(true);
}

async function publish(from: number, to: number) {
  for (let seq = from; seq < to; seq++) {
    await edge.publishAsync(topics.telemetry('north', 'st1'), JSON.stringify({ seq }), { qos: 1 });
  }
}

describe('server subscriber: concurrent handling, PUBACK after each message is handled, in order', () => {
  test('messages are handled concurrently; nothing is acknowledged before its handler resolves', async () => {
    const first = await heldSubscriber('server-ordered-acks-1');
    await first.subscriber.client.subscribeAsync(topics.allTelemetry, { qos: 1 });
    await publish(0, COUNT);
    // All fifty reach the handler while none has resolved: handling overlaps.
    await waitFor(() => first.held.length === COUNT, 5000, 'all messages held at once');
    expect(first.subscriber.inFlight()).toBe(COUNT);
    expect(first.acked).toEqual([]);

    // Resolve out of order: 1..19 first; the PUBACKs wait for message 0, then go out in order.
    for (const h of first.held.slice(1, 20)) h.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.acked).toEqual([]);
    first.held[0]!.release();
    await waitFor(() => first.acked.length === 20, 5000, 'twenty PUBACKs');
    expect(first.acked).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(first.subscriber.inFlight()).toBe(COUNT - 20);

    // A crash with thirty still held: the broker delivers exactly those thirty to the next session.
    await crash(first.subscriber);
    const second = await heldSubscriber('server-ordered-acks-1');
    await waitFor(() => second.held.length === COUNT - 20, 5000, 'redelivery of the unacknowledged');
    expect(second.held.map((h) => h.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: COUNT - 20 }, (_, i) => i + 20),
    );
    for (const h of second.held) h.release();
    await waitFor(() => second.acked.length === COUNT - 20, 5000, 'the rest acknowledged');
    expect(second.subscriber.inFlight()).toBe(0);
  });

  test('maxInFlight bounds what is held: reading pauses until acknowledgements free room', async () => {
    const held: Held[] = [];
    const subscriber = startMqttSubscriber({
      url: broker.url,
      username: 'server',
      password: 's',
      clientId: 'server-ordered-acks-bounded',
      persistentSession: false,
      maxInFlight: 5,
      logger: silentLogger(),
      onMessage: (topic, payload) => {
        if (!topic.endsWith('/telemetry')) return;
        const { seq } = JSON.parse(Buffer.from(payload).toString()) as { seq: number };
        return new Promise<void>((resolve) => held.push({ seq, release: resolve }));
      },
    });
    subscribers.push(subscriber);
    await waitFor(() => subscriber.connected(), 5000, 'subscriber connected');
    await subscriber.client.subscribeAsync(topics.allTelemetry, { qos: 1 });
    await publish(100, 120);
    await waitFor(() => held.length === 5, 5000, 'five held');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(held.length).toBe(5);
    for (let i = 0; i < 20; i++) {
      await waitFor(() => held.length > i, 5000, `message ${i}`);
      held[i]!.release();
    }
    expect(held.map((h) => h.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    await waitFor(() => subscriber.inFlight() === 0, 5000, 'all acknowledged');
  });
});
