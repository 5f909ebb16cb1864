import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrokerStats } from '../../broker/index.ts';
import { freePort } from '../../core/net.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { aftercare, type Component, sleep, until } from '../faults/processes.ts';
import { connectClient, makeUsers } from './support.ts';

// Large payloads for a persistent session that went away used to be held without a limit (350-560
// MB of broker memory). Now each client's queue has a budget: what does not fit is counted.
const PAYLOAD = 200 * 1024;
const MESSAGES = 2000; // 400 MB published
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

let dir: string;
let broker: Component;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-queue-budget-'));
  const users = await makeUsers([
    { username: 'edge-q', password: 'e', role: 'edge', site: 'q' },
    { username: 'viewer', password: 'viewer', role: 'viewer' },
  ]);
  await writeFile(join(dir, 'broker.json'), JSON.stringify({ users }));
  const port = await freePort();
  url = `mqtt://127.0.0.1:${port}`;
  broker = aftercare(
    'broker',
    'broker',
    [
      '--port',
      String(port),
      '--users',
      join(dir, 'broker.json'),
      '--max-queued-bytes',
      String(MAX_QUEUED_BYTES),
      '--stats-every',
      '1',
    ],
    { LOG_LEVEL: 'info' },
  );
  broker.start();
  await until(
    'broker listening',
    async () => (broker.output().includes('broker listening') ? true : undefined),
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The newest stats line the broker logged. */
function lastStats(): BrokerStats | undefined {
  const lines = broker
    .output()
    .split('\n')
    .filter((line) => line.includes('"broker stats"'));
  const last = lines.at(-1);
  return last ? (JSON.parse(last) as { stats: BrokerStats }).stats : undefined;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

test('large payloads for a session that went away: its queue stays within budget, the rest is counted', async () => {
  const viewer = await connectClient(url, {
    username: 'viewer',
    password: 'viewer',
    clientId: 'viewer-away',
    clean: false,
  });
  await viewer.subscribeAsync(topics.telemetry('q', 's1'), { qos: 1 });
  await viewer.endAsync(true);
  const edge = await connectClient(url, { username: 'edge-q', password: 'e' });
  const payload = Buffer.alloc(PAYLOAD, 0x61);
  let peakRss = 0;
  for (let sent = 0; sent < MESSAGES; sent += 20) {
    await Promise.all(
      Array.from({ length: 20 }, () => edge.publishAsync(topics.telemetry('q', 's1'), payload, { qos: 1 })),
    );
    if (sent % 200 === 0) peakRss = Math.max(peakRss, await rssOf(broker.child.pid!));
  }
  await sleep(1500);
  peakRss = Math.max(peakRss, await rssOf(broker.child.pid!));
  console.log(`peak broker RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  const stats = await until(
    'a stats line after the burst',
    async () => {
      const s = lastStats();
      return s && s.queueDrops > 0 ? s : undefined;
    },
    10_000,
  );
  const kept = Math.floor(MAX_QUEUED_BYTES / PAYLOAD);
  expect(stats.queueDrops).toBe(MESSAGES - kept);
  expect(stats.queuedBytes).toBeLessThanOrEqual(MAX_QUEUED_BYTES);
  // Without the budget the broker held all 400 MB (over 450 MB of RSS); with it, the 32 MiB queue plus the process.
  expect(peakRss).toBeLessThan(256 * 1024 * 1024);
  expect(broker.output()).toContain('client queue full');
  await edge.endAsync(true);

  // The viewer comes back and gets what was kept, then its queue is empty again.
  const back = await connectClient(url, {
    username: 'viewer',
    password: 'viewer',
    clientId: 'viewer-away',
    clean: false,
  });
  let received = 0;
  back.on('message', () => received++);
  await until('the kept messages delivered', async () => (received >= kept ? true : undefined), 20_000);
  await until('the queue emptied', async () => (lastStats()?.queuedBytes === 0 ? true : undefined), 10_000);
  await back.endAsync(true);
}, 120_000);

test('a payload over the packet size limit is refused and counted', async () => {
  const before = lastStats()?.oversizedPackets ?? 0;
  const edge = await connectClient(url, { username: 'edge-q', password: 'e', reconnectPeriod: 0 });
  const closed = new Promise<void>((resolve) => edge.once('close', () => resolve()));
  edge.publish(topics.telemetry('q', 's1'), Buffer.alloc(300 * 1024), { qos: 1 });
  await closed;
  await until(
    'the refusal counted',
    async () => ((lastStats()?.oversizedPackets ?? 0) > before ? true : undefined),
    10_000,
  );
  await edge.endAsync(true);
}, 60_000);
