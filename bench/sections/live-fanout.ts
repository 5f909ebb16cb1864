import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker } from '../child.ts';
import { type BenchContext, repeat, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { startServerProcess } from '../server-process.ts';
import { fmt, median, percentile, rounds } from '../stats.ts';

const CLIENTS = 500;
const STATIONS = 20;
/** Telemetry messages per second: each of the stations once a second, as a real poll plan does. */
const RATE = STATIONS;

/**
 * Live fan-out: 500 socket.io clients (one worker process, a connection each) subscribed to every
 * station of a site, while telemetry for 20 stations arrives at 1 Hz each through the project
 * broker; the latency of each station:update from the reading's source timestamp (so it also
 * holds the MQTT hop: an upper bound of the latency from the server's receipt).
 */
export async function liveFanout(ctx: BenchContext): Promise<SectionResult> {
  const windowMs = ctx.quick ? 5000 : 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-bench-fanout-'));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const broker = await startWorker<{ url: string }>('broker', {});
    cleanups.unshift(() => broker.stop());
    const server = await startServerProcess({ mqttUrl: broker.info.url, dataDir: dir });
    cleanups.unshift(() => server.stop());
    const clients = await startWorker<{ connected: number }>(
      'live-clients',
      { url: server.url, token: await server.token('operator'), clients: CLIENTS, site: 'fanout' },
      120_000,
    );
    cleanups.unshift(() => clients.stop());
    const load = await startWorker('telemetry-load', {
      url: broker.info.url,
      site: 'fanout',
      stations: STATIONS,
      rate: RATE,
    });
    cleanups.unshift(() => load.stop());
    await sleep(2000);
    const results = await repeat(ctx.rounds, async (round) => {
      await clients.call('record');
      await sleep(windowMs);
      const { latencies, connected } = await clients.call<{ latencies: number[]; connected: number }>('take');
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      console.log(
        `  round ${round + 1}: ${fmt(latencies.length)} updates to ${connected} clients; p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`,
      );
      return { p50, p99, updates: latencies.length, connected };
    });
    const p50 = median(results.map((r) => r.p50));
    const p99 = median(results.map((r) => r.p99));
    return {
      section: 'live-fanout',
      metric: `station:update latency, ${CLIENTS} socket.io clients`,
      measured: `p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`,
      reference: '',
      ratio: p99 / 200,
      target: 'p99 < 200 ms',
      pass: p99 < 200,
      notes: [
        `rounds p99 (ms): ${rounds(results.map((r) => r.p99))}; p50: ${rounds(results.map((r) => r.p50))}`,
        `updates received per round: ${rounds(results.map((r) => r.updates))} (expected about ${fmt((RATE * CLIENTS * windowMs) / 1000)}); clients connected: ${results.map((r) => r.connected).join(' / ')}`,
        `${STATIONS} stations at 1 Hz each (telemetry-load worker, QoS 1) -> project broker -> \`aftercare server\` (PGlite store) -> socket.io site room -> ${CLIENTS} websocket clients in one worker process; latency from each reading's source timestamp, all on the same 2 cores`,
      ],
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
