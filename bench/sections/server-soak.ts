import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssBytes, startWorker } from '../child.ts';
import { storedLines } from '../influx-ceiling.ts';
import { type BenchContext, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { type ServerProcess, startPathServers } from '../server-process.ts';
import { fmt, median, mib } from '../stats.ts';

const LINES_PER_MESSAGE = 5;

/**
 * Memory of `aftercare server` (InfluxDB store, project broker) over a soak at the highest rate it
 * sustains: a calibration steps the rate up until InfluxDB stops receiving what is sent, then a
 * publisher holds the last rate that kept up while RSS is sampled.
 */
export async function serverSoak(ctx: BenchContext): Promise<SectionResult> {
  const sampleMs = ctx.soakSeconds >= 60 ? 10_000 : 4000;
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-bench-soak-'));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { influxUrl, broker, server } = await startPathServers(dir, cleanups);
    const load = await startWorker('telemetry-load', {
      url: broker.info.url,
      site: 'soak',
      stations: 40,
      rate: 100,
    });
    cleanups.unshift(() => load.stop());

    // Calibration: step the rate up while InfluxDB still receives what is sent (full blast makes a
    // server without backpressure queue without bound, which is not a rate it sustains).
    const stepMs = ctx.quick ? 2000 : 5000;
    // The server's first seconds (start-up, JIT, first writes) are not its sustained rate.
    await sleep(ctx.quick ? 5000 : 10_000);
    let rate = 0;
    for (const step of [50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000]) {
      await load.call('setRate', step);
      await sleep(ctx.quick ? 1000 : 2000);
      const stored = await storedLines(influxUrl, 'soak');
      const sent = (await load.call<{ sent: number }>('count')).sent;
      await sleep(stepMs);
      const storedMsgs = ((await storedLines(influxUrl, 'soak')) - stored) / LINES_PER_MESSAGE;
      const sentMsgs = (await load.call<{ sent: number }>('count')).sent - sent;
      const kept = storedMsgs >= 0.9 * sentMsgs && sentMsgs >= 0.9 * step * (stepMs / 1000);
      console.log(
        `  calibration ${fmt(step)} msg/s: sent ${fmt(sentMsgs)}, stored ${fmt(storedMsgs)}${kept ? '' : ' (falls behind)'}`,
      );
      if (!kept) break;
      rate = step;
    }
    rate = Math.max(25, rate);
    await load.call('setRate', rate);
    await drain(server);
    console.log(
      `  soaking at ${fmt(rate)} msg/s (${fmt(rate * 48)} values/s), the highest step that kept up`,
    );

    const samples: Array<{ at: number; rss: number }> = [];
    const start = performance.now();
    const stored0 = await storedLines(influxUrl, 'soak');
    const deadline = start + ctx.soakSeconds * 1000;
    while (performance.now() < deadline) {
      samples.push({ at: (performance.now() - start) / 1000, rss: await rssOf(server) });
      await sleep(Math.min(sampleMs, Math.max(0, deadline - performance.now())));
    }
    samples.push({ at: (performance.now() - start) / 1000, rss: await rssOf(server) });
    const storedRate =
      ((await storedLines(influxUrl, 'soak')) - stored0) /
      LINES_PER_MESSAGE /
      ((performance.now() - start) / 1000);
    const queued = await server.metric('aftercare_store_queue_depth').catch(() => Number.NaN);
    const first = median(samples.slice(0, 3).map((s) => s.rss));
    const last = median(samples.slice(-3).map((s) => s.rss));
    const growth = (last - first) / first;
    console.log(`  RSS samples: ${samples.map((s) => `${fmt(s.at)} s ${mib(s.rss)}`).join(', ')}`);
    return {
      section: 'server-soak',
      metric: `server RSS growth over ${ctx.soakSeconds} s at ${fmt(rate)} msg/s`,
      measured: `${mib(first)} -> ${mib(last)} (${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)}%)`,
      reference: '',
      ratio: last / first,
      target: '< 10% growth',
      pass: growth < 0.1,
      notes: [
        `server: \`aftercare server\` child with InfluxDB 1.6 and the project broker (child); load: one publisher child, valid telemetry of the reference profile (48 values, 40 stations) with QoS 1 at the highest rate (steps 50, 100, 150, 200, 300, 400, 600 ... 3000 msg/s) whose messages all reached InfluxDB during calibration`,
        `stored during the soak: ${fmt(storedRate)} msg/s (${fmt(storedRate * LINES_PER_MESSAGE)} lines/s); store queue depth at the end: ${fmt(queued)}`,
        `VmRSS every ${sampleMs / 1000} s after the queue drained; growth = median of the last 3 samples over the median of the first 3`,
      ],
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

function rssOf(server: ServerProcess): Promise<number> {
  return rssBytes(server.child.pid!);
}

/** Waits (at most 60 s) until the server's store queue is near empty after the calibration burst. */
async function drain(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const queued = await server.metric('aftercare_store_queue_depth').catch(() => Number.NaN);
    if (queued < 5000) return;
    await sleep(1000);
  }
}
