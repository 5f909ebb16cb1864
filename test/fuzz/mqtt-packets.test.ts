import { connect as connectTcp } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { prng } from './bad-payloads.ts';

/** MQTT 3.1.1 §2.2.3 remaining length. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}
const str = (bytes: Buffer) => [bytes.length >> 8, bytes.length & 0xff, ...bytes];
const packet = (type: number, body: number[]) => Buffer.from([type, ...varint(body.length), ...body]);
/** CONNECT, protocol MQTT level 4, clean session, keepalive 30 s. */
const CONNECT = packet(0x10, [...str(Buffer.from('MQTT')), 4, 0x02, 0, 30, ...str(Buffer.from('fuzz'))]);
const publish = (topic: Buffer, payload: Buffer) => packet(0x30, [...str(topic), ...payload]);

/** Malformed streams, each on its own socket; the broker must drop that client. */
const CASES: Array<{ name: string; bytes: Buffer }> = [
  { name: 'five remaining-length bytes', bytes: Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01]) },
  { name: 'oversized announced packet', bytes: Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]) },
  {
    name: 'PUBLISH before CONNECT',
    bytes: publish(Buffer.from('aftercare/v1/a/st1/telemetry'), Buffer.from('{}')),
  },
  {
    name: 'wrong protocol name',
    bytes: packet(0x10, [...str(Buffer.from('MQTX')), 4, 0x02, 0, 30, ...str(Buffer.from('x'))]),
  },
  { name: 'reserved packet type 0', bytes: Buffer.from([0x00, 0x00]) },
  {
    name: 'reserved packet type 15 after CONNECT',
    bytes: Buffer.concat([CONNECT, Buffer.from([0xf0, 0x00])]),
  },
  {
    name: 'topic with invalid UTF-8 after CONNECT',
    bytes: Buffer.concat([CONNECT, publish(Buffer.from([0x61, 0xff, 0xfe, 0x2f, 0x62]), Buffer.from('x'))]),
  },
  {
    name: 'topic with a NUL character after CONNECT',
    bytes: Buffer.concat([CONNECT, publish(Buffer.from('a/\u0000/b'), Buffer.from('x'))]),
  },
  {
    name: 'topic length past the packet end',
    bytes: Buffer.concat([CONNECT, packet(0x30, [0xff, 0xff, 0x61, 0x62])]),
  },
  { name: 'second CONNECT', bytes: Buffer.concat([CONNECT, CONNECT]) },
];

let broker: RunningBroker;
let subscriber: MqttClient;
let publisher: MqttClient;

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    allowAnonymous: true,
    maxPacketSize: 64 * 1024,
    logger: silentLogger(),
  });
  subscriber = connectMqtt(broker.url, { clientId: 'good-sub' });
  publisher = connectMqtt(broker.url, { clientId: 'good-pub' });
  await until(() => subscriber.connected && publisher.connected, 10_000);
  await subscriber.subscribeAsync('good/#', { qos: 1 });
});

afterAll(async () => {
  await subscriber?.endAsync(true);
  await publisher?.endAsync(true);
  await broker?.close();
});

test.each(CASES)('$name: that client is dropped, others keep flowing', async ({ bytes }) => {
  expect(await dropped(bytes)).toBe(true);
  await stillFlowing();
});

test('200 random byte streams (with and without a valid CONNECT first): each dropped or ignored, none harms others', async () => {
  const random = prng(5);
  let cut = 0;
  for (let i = 0; i < 200; i++) {
    const noise = Buffer.alloc(1 + Math.floor(random() * 200));
    for (let j = 0; j < noise.length; j++) noise[j] = Math.floor(random() * 256);
    if (await dropped(i % 2 ? Buffer.concat([CONNECT, noise]) : noise, 1500)) cut += 1;
  }
  // A random stream may also stop mid-packet, waiting for bytes that never come: then the socket is
  // closed by us after the wait, which must not harm the broker either.
  expect(cut).toBeGreaterThan(100);
  await stillFlowing();
}, 120_000);

/** Writes the bytes on a fresh socket; true when the broker closes it within `waitMs`. */
async function dropped(bytes: Buffer, waitMs = 5000): Promise<boolean> {
  const socket = connectTcp(broker.port, broker.host);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise<boolean>((resolve) => {
    socket.once('close', () => resolve(true));
    setTimeout(() => resolve(false), waitMs);
  });
  socket.on('data', () => {});
  socket.write(bytes);
  const result = await closed;
  socket.destroy();
  return result;
}

let n = 0;
async function stillFlowing(): Promise<void> {
  const tag = `m${n++}`;
  const got = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('good message not delivered within 5 s')), 5000);
    const onMessage = (_topic: string, payload: Buffer) => {
      if (payload.toString() !== tag) return;
      clearTimeout(timer);
      subscriber.off('message', onMessage);
      resolve(tag);
    };
    subscriber.on('message', onMessage);
  });
  await publisher.publishAsync('good/x', tag, { qos: 1 });
  expect(await got).toBe(tag);
  expect(subscriber.connected && publisher.connected).toBe(true);
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
