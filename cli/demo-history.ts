import type { Logger } from '../core/log.ts';
import type { Telemetry } from '../core/telemetry/payloads.ts';
import type { RunningServer } from '../server/index.ts';
import { pointsFromTelemetry } from '../server/telemetry/point-mapping.ts';
import type { RunningSimulator } from '../simulators/index.ts';

const DAY = 86_400_000;

export interface HistoryOptions {
  simulator: RunningSimulator;
  server: RunningServer;
  /** The sites and their stations, as the edges would publish them. */
  fleet: readonly { site: string; stations: readonly string[] }[];
  model: string;
  /** Simulated time of the simulator's second 0 (epoch ms): where the history starts. */
  startTime: number;
  days: number;
  /** Simulated seconds between two stored readings. */
  everySeconds: number;
  logger: Logger;
}

export interface HistoryResult {
  messages: number;
  points: number;
  /** Stations skipped because the store already holds readings of theirs from the period. */
  skipped: string[];
  ms: number;
}

/**
 * Gives a fresh demo a past: steps the simulated stations through `days` of simulated time, from
 * `startTime` to now, and hands a reading every `everySeconds` to the telemetry store and the health
 * models, as if an edge had been polling them all along. Charts then open on weeks of data and the
 * wearing bearing's trend is already there. Alarms start live: the past raises no tickets.
 */
export async function backfillHistory(options: HistoryOptions): Promise<HistoryResult> {
  const started = Date.now();
  const { server, simulator } = options;
  const end = options.startTime + options.days * DAY;
  const skipped: string[] = [];
  const stations: { site: string; station: string }[] = [];
  for (const { site, stations: ids } of options.fleet)
    for (const station of ids) {
      const counts = await server.store.readingCounts(site, station, options.startTime, end, DAY);
      if (counts.some((c) => c.count > 0)) skipped.push(station);
      else stations.push({ site, station });
    }
  let messages = 0;
  let points = 0;
  const steps = Math.floor((options.days * DAY) / 1000 / options.everySeconds);
  for (let i = 1; i <= steps; i++) {
    simulator.advance(options.everySeconds);
    if (stations.length === 0) continue;
    const ts = options.startTime + i * options.everySeconds * 1000;
    for (const { site, station } of stations) {
      const telemetry: Telemetry = {
        v: 1,
        site,
        station,
        edge: 'history',
        model: options.model,
        seq: i,
        ts,
        state: 'ok',
        values: Object.fromEntries(
          Object.entries(simulator.readings(station)).map(([meaning, v]) => [
            meaning,
            { v, q: 'good' as const },
          ]),
        ),
      };
      const stored = pointsFromTelemetry(telemetry).points;
      points += stored.length;
      messages += 1;
      await server.store.write(stored);
      void server.predictive?.onTelemetry(telemetry);
    }
    // The broker, the server and the simulator share this process: let their sockets breathe.
    if (i % 6 === 0) await new Promise((resolve) => setImmediate(resolve));
    // Bounded queues: let the store and the models catch up every simulated day or so.
    if (i % Math.max(1, Math.round(86_400 / options.everySeconds)) === 0) {
      await Promise.all([server.store.flush(), server.predictive?.idle()]);
    }
  }
  await Promise.all([server.store.flush(), server.predictive?.idle()]);
  const result = { messages, points, skipped, ms: Date.now() - started };
  options.logger.info(result, 'demo history backfilled');
  return result;
}
