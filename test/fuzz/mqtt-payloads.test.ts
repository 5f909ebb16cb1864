import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { FUZZ_SITE, generateBadCases, goodTelemetry, prng, telemetryTopic } from './bad-payloads.ts';

const BAD = 10_000;
const GOOD_PER_STATION = 200;
const STATIONS = ['st1', 'st2', 'st3'];
const T0 = Date.now() - 3600_000;

let broker: RunningMosquitto;
let server: RunningServer;
let client: MqttClient;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    service: false,
  });
  client = connectMqtt(broker.url, { clientId: 'fuzzer' });
  await bounded(
    'server and fuzzer on the broker',
    async () => client.connected && (await health()).broker.connected,
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await client?.endAsync();
  await server?.stop();
  await broker?.stop();
});

test(`${BAD} bad payloads beside good traffic: no crash, each bad one counted by reason, each good one stored`, async () => {
  const bad = generateBadCases(BAD, 7);
  const good = STATIONS.flatMap((station) =>
    Array.from({ length: GOOD_PER_STATION }, (_, seq) => ({
      station,
      message: goodTelemetry(station, seq, T0 + seq * 1000),
    })),
  );
  // Exact redeliveries of good messages (at-least-once): stored once, not counted as bad.
  const random = prng(3);
  const duplicates = Array.from({ length: 100 }, () => good[Math.floor(random() * good.length)]!);
  const traffic = [
    ...bad.map((c) => ({ topic: c.topic, payload: c.payload })),
    ...[...good, ...duplicates].map(({ station, message }) => ({
      topic: telemetryTopic(station),
      payload: Buffer.from(JSON.stringify(message)),
    })),
  ];
  shuffle(traffic, prng(11));

  // In chunks, each waited for at the server: mosquitto drops QoS 1 messages past its per-client
  // queue (1000 by default) when a subscriber falls behind.
  for (let start = 0; start < traffic.length; start += 500) {
    await Promise.all(
      traffic.slice(start, start + 500).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })),
    );
    const sent = Math.min(start + 500, traffic.length);
    await bounded(`server received ${sent} messages`, async () => (await messagesIn()) >= sent, 60_000);
  }

  const metrics = await server.metrics();
  const want: Record<string, number> = {};
  for (const c of bad) want[c.reason] = (want[c.reason] ?? 0) + 1;
  const got = Object.fromEntries(
    [...metrics.matchAll(/^aftercare_bad_payloads_total\{reason="([a-z_]+)"\} (\d+)$/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );
  expect(got).toEqual(want);
  expect(await messagesIn()).toBe(traffic.length);

  // Still serving, and every good reading stored once (the last durable write may still linger, up
  // to its 50 ms, after the message is counted in: read once the counts stop growing).
  expect((await health()).status).toBeDefined();
  const stored = async (station: string) => {
    await server.store.flush();
    const counts = await server.store.readingCounts(
      FUZZ_SITE,
      station,
      T0 - 1,
      T0 + GOOD_PER_STATION * 1000,
      86_400_000,
    );
    return counts.reduce((sum, c) => sum + c.count, 0);
  };
  for (const station of STATIONS) {
    await bounded(`${station} stored`, async () => (await stored(station)) >= GOOD_PER_STATION, 10_000).catch(
      () => {},
    );
    expect(await stored(station), station).toBe(GOOD_PER_STATION);
  }
}, 180_000);

async function health(): Promise<{ status: string; broker: { connected: boolean } }> {
  return (await (await fetch(`${server.url}/api/health`)).json()) as {
    status: string;
    broker: { connected: boolean };
  };
}

async function messagesIn(): Promise<number> {
  const text = await server.metrics();
  return [...text.matchAll(/^aftercare_mqtt_messages_total\{kind="[a-zA-Z]+"\} (\d+)$/gm)]
    .map((m) => Number(m[1]))
    .reduce((a, b) => a + b, 0);
}

async function bounded(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
