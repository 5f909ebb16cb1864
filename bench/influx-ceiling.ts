import { silentLogger } from '../core/log.ts';
import { loadProfile } from '../core/profile/load.ts';
import type { Telemetry } from '../core/telemetry/payloads.ts';
import { openInfluxStore } from '../server/telemetry/influx-store.ts';
import { influxQuery } from '../server/telemetry/influxql.ts';
import { pointsFromTelemetry } from '../server/telemetry/point-mapping.ts';
import { DEFAULT_PROFILE } from '../simulators/config.ts';
import { cpuSeconds } from './child.ts';

export interface CeilingRun {
  /** InfluxDB lines (points) confirmed written per second. */
  linesPerSecond: number;
  messagesPerSecond: number;
  linesPerMessage: number;
  /** CPU in cores over the timed window: this (the writing) process and, when its pid was given, influxd. */
  cpu: { writer: number; influxd?: number };
}

/**
 * The InfluxDB's ceiling for batched writes from one process: the server's own store
 * (openInfluxStore: same WriteApi, batch size, line shape; gzipped or plain) fed telemetry messages of the
 * reference profile as fast as it confirms them, into a database of its own.
 */
export async function measureInfluxCeiling(
  url: string,
  database: string,
  ms: number,
  gzip = true,
  influxdPid?: number,
): Promise<CeilingRun> {
  const profile = loadProfile(DEFAULT_PROFILE);
  let written = 0;
  const store = await openInfluxStore({
    url,
    bucket: database,
    logger: silentLogger(),
    observer: { pointsWritten: (n) => (written += n), writeLatency: () => {}, error: () => {} },
    // The client gzips bodies from gzipThreshold bytes on: past any batch, it sends them plain.
    ...(gzip ? {} : { writeOptions: { gzipThreshold: Number.MAX_SAFE_INTEGER } }),
  });
  const stations = 40;
  const message = (i: number, ts: number): Telemetry => ({
    v: 1,
    site: 'ceiling',
    station: `c${i % stations}`,
    edge: 'bench',
    model: profile.model,
    seq: i,
    ts,
    state: 'ok',
    values: Object.fromEntries(
      profile.tags.map((t) => [
        t.meaning,
        { v: t.type === 'bool' ? i % 2 === 0 : (i % 1000) / 10, q: 'good' },
      ]),
    ),
  });
  let messages = 0;
  // A distinct ms timestamp per message of a station, so no line overwrites another.
  const t0 = Date.now() - 3_600_000;
  const warmMs = 1500;
  let started = performance.now();
  let warm = false;
  let base = { written: 0, messages: 0 };
  const cpuNow = async () => ({
    writer: process.cpuUsage(),
    influxd: influxdPid === undefined ? 0 : await cpuSeconds(influxdPid),
  });
  let cpu0 = await cpuNow();
  try {
    while (!warm || performance.now() - started < ms) {
      if (!warm && performance.now() - started >= warmMs) {
        // JIT and connection warm-up are not the database's ceiling.
        warm = true;
        started = performance.now();
        base = { written, messages };
        cpu0 = await cpuNow();
      }
      // About four 5000-line batches, then wait for them: at most four requests in flight.
      for (let k = 0; k < 4000; k++) {
        await store.write(
          pointsFromTelemetry(message(messages, t0 + Math.floor(messages / stations))).points,
        );
        messages++;
      }
      await store.flush();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = await cpuNow();
    const writerCpu = process.cpuUsage(cpu0.writer);
    return {
      cpu: {
        writer: (writerCpu.user + writerCpu.system) / 1e6 / seconds,
        ...(influxdPid === undefined ? {} : { influxd: (cpu1.influxd - cpu0.influxd) / seconds }),
      },
      linesPerSecond: (written - base.written) / seconds,
      messagesPerSecond: (messages - base.messages) / seconds,
      linesPerMessage: written / messages,
    };
  } finally {
    await store.close();
  }
}

/** InfluxDB lines of one site: a count of a field every line of its measurement carries. */
export async function storedLines(url: string, site: string): Promise<number> {
  const where = `WHERE "site" = '${site}'`;
  const results = await influxQuery({ url, database: 'aftercare', headers: {}, timeoutMs: 30_000 }, [
    `SELECT count("voltage_l1_q") FROM "supply" ${where}`,
    `SELECT count("frequency_q") FROM "pump" ${where}`,
    `SELECT count("pressure_outlet_q") FROM "station" ${where}`,
  ]);
  return results.reduce((sum, r) => sum + Number(r.series?.[0]?.values[0]?.[1] ?? 0), 0);
}
