import { connect as connectTcp } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { type FrameScanResult, INITIAL_FRAME_STATE, scanFrames } from '../../broker/packet-size-guard.ts';
import { silentLogger } from '../../core/log.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { connectClient, endAll, makeUsers, waitFor } from './support.ts';

/** An MQTT frame: type byte, remaining-length varint, body. */
function frame(bodyLength: number): number[] {
  const length: number[] = [];
  let rest = bodyLength;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return [0x30, ...length, ...new Array<number>(bodyLength).fill(0x61)];
}

/** Feeds the bytes in chunks of `chunkSize` and returns the final result. */
function scanInChunks(bytes: number[], max: number, chunkSize: number): FrameScanResult {
  let state = INITIAL_FRAME_STATE;
  for (let i = 0; i < bytes.length; i += chunkSize) {
    const result = scanFrames(state, Uint8Array.from(bytes.slice(i, i + chunkSize)), max);
    if (!result.ok) return result;
    state = result.state;
  }
  return { ok: true, state };
}

describe('frame scan (pure)', () => {
  test.each([
    ['empty packet (PINGREQ-like)', [0xc0, 0x00], 2, true],
    ['exactly at the limit', frame(98), 100, true],
    ['one byte over', frame(99), 100, false],
    ['127-byte body: 1-byte length', frame(127), 129, true],
    ['128-byte body: 2-byte length', frame(128), 130, false],
    ['128-byte body within 131', frame(128), 131, true],
    ['several small frames', [...frame(10), ...frame(0), ...frame(50)], 53, true],
    ['small then too large', [...frame(10), ...frame(60)], 60, false],
  ])('%s', (_name, bytes, max, ok) => {
    for (const chunkSize of [1, 2, 3, 7, 1000]) {
      expect(scanInChunks(bytes, max, chunkSize).ok).toBe(ok);
    }
  });

  test('reports the announced size before the body arrives', () => {
    const header = Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0x7f]);
    expect(scanFrames(INITIAL_FRAME_STATE, header, 1024)).toEqual({
      ok: false,
      reason: 'oversized',
      size: 268_435_460,
    });
  });

  test('a fifth length byte is malformed', () => {
    const bytes = Uint8Array.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(scanFrames(INITIAL_FRAME_STATE, bytes, 1 << 30)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('state carries across a split body', () => {
    const first = scanFrames(INITIAL_FRAME_STATE, Uint8Array.from(frame(20).slice(0, 10)), 100);
    expect(first).toEqual({ ok: true, state: { phase: 'body', length: 20, lengthBytes: 1, bodyLeft: 12 } });
  });
});

describe('max packet size on a live broker', () => {
  const MAX = 2048;
  let broker: RunningBroker;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    const users = await makeUsers([
      { username: 'edge-a', password: 'a', role: 'edge', site: 'a' },
      { username: 'edge-b', password: 'b', role: 'edge', site: 'b' },
      { username: 'viewer', password: 'viewer', role: 'viewer' },
    ]);
    broker = await startBroker({ port: 0, users, maxPacketSize: MAX, logger: silentLogger() });
  });

  afterAll(async () => {
    await endAll(clients);
    await broker?.close();
  });

  test('an oversized publish drops that client only; others keep flowing', async () => {
    const viewer = await connectClient(broker.url, { username: 'viewer', password: 'viewer' });
    const edgeA = await connectClient(broker.url, { username: 'edge-a', password: 'a' });
    const edgeB = await connectClient(broker.url, { username: 'edge-b', password: 'b' });
    clients.push(viewer, edgeA, edgeB);
    const received: string[] = [];
    viewer.on('message', (topic, payload) => received.push(`${topic} ${payload.length}`));
    await viewer.subscribeAsync('aftercare/v1/#', { qos: 1 });

    const closed = new Promise<void>((resolve) => edgeA.once('close', () => resolve()));
    edgeA.publish(topics.telemetry('a', 'st1'), Buffer.alloc(MAX, 1), { qos: 1 });
    await closed;
    expect(broker.stats()).toMatchObject({ oversizedPackets: 1, droppedConnections: 1 });

    await edgeB.publishAsync(topics.telemetry('b', 'st1'), Buffer.alloc(MAX - 100, 1), { qos: 1 });
    await waitFor(() => received.length === 1, 5000, 'delivery from edge-b');
    expect(received).toEqual([`${topics.telemetry('b', 'st1')} ${MAX - 100}`]);
    expect(viewer.connected && edgeB.connected).toBe(true);
  });

  test('a raw socket announcing 256 MiB is cut off before it sends the body', async () => {
    const before = broker.stats();
    const socket = connectTcp(broker.port, broker.host);
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    await closed;
    expect(broker.stats().oversizedPackets).toBe(before.oversizedPackets + 1);
    expect(broker.stats().droppedConnections).toBe(before.droppedConnections + 1);
  });
});
