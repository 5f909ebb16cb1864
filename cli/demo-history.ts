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
  /**
   * The last minutes of the history stored closer together (the pump-curve models judge minutes, over
   * the last hours): `minutes` before the end, a reading every `everySeconds`. Default none.
   */
  tail?: { minutes: number; everySeconds: number };
  /** Things that happen to the stations on the way, minutes before the end (a valve closed, then opened). */
  events?: readonly { minutesBeforeEnd: number; act: (simulator: RunningSimulator) => void }[];
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
  const times = historyTimes(options);
  const events = [...(options.events ?? [])]
    .map((e) => ({ at: end - e.minutesBeforeEnd * 60_000, act: e.act }))
    .sort((a, b) => a.at - b.at);
  let simulated = options.startTime;
  for (let i = 1; i <= times.length; i++) {
    const ts = times[i - 1]!;
    // Events fall between readings: the simulator is stepped to each, acted on, then on to the reading.
    while (events.length > 0 && events[0]!.at <= ts) {
      const event = events.shift()!;
      simulator.advance((event.at - simulated) / 1000);
      simulated = event.at;
      event.act(simulator);
    }
    simulator.advance((ts - simulated) / 1000);
    simulated = ts;
    if (stations.length === 0) continue;
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
  // The backfill fed hours in seconds: the curve windows are judged now, not 4 minutes into the live run.
  if (stations.length > 0) await server.predictive?.judgeCurvesNow();
  const result = { messages, points, skipped, ms: Date.now() - started };
  options.logger.info(result, 'demo history backfilled');
  return result;
}

/** The stored readings' times: every `everySeconds` from the start, then every tail step to the end. Pure. */
export function historyTimes(
  options: Pick<HistoryOptions, 'startTime' | 'days' | 'everySeconds' | 'tail'>,
): number[] {
  const end = options.startTime + options.days * DAY;
  const tailFrom = options.tail ? Math.max(options.startTime, end - options.tail.minutes * 60_000) : end;
  const times: number[] = [];
  for (
    let t = options.startTime + options.everySeconds * 1000;
    t <= tailFrom;
    t += options.everySeconds * 1000
  )
    times.push(t);
  if (options.tail) {
    const step = options.tail.everySeconds * 1000;
    const first = (times.at(-1) ?? options.startTime) + step;
    for (let t = first; t <= end; t += step) times.push(t);
  }
  return times;
}
