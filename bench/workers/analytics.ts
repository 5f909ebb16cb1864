import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { hourCount } from '../../server/predictive/hour-series.ts';
import type { IndicatorTrack } from '../../server/predictive/indicator-track.ts';
import { PredictiveShell } from '../../server/predictive/predictive-shell.ts';
import type { Prediction } from '../../server/predictive/trend.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import type { StationState } from '../../simulators/model/station.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';
import { serveWorker } from './protocol.ts';

export interface AnalyticsWorkerOptions {
  /** Stations of 3 pumps fed by the timed rounds. */
  stations: number;
  /** Every this many stations one has pump 1's bearing wearing out. */
  wearEvery: number;
  /** Simulated days fed before timing (baselines learned, a week's window of hourly medians filling). */
  warmDays: number;
  /** Simulated seconds between two warm-up messages (as the demo's history backfill). */
  warmStepS: number;
  /** The edge's fast poll interval, ms: the spacing of the timed messages. */
  fastPollMs: number;
  /** The edge's slow poll interval, ms: every how many fast cycles a message carries the slow tags too. */
  slowPollMs: number;
}

export interface AnalyticsWorkerInfo {
  pumps: number;
  tracks: number;
  warmMessages: number;
  warmMs: number;
  /** Predictive tickets opened and model failures during the warm-up. */
  ticketsOpened: number;
  failures: number;
}

export interface AnalyticsRound {
  messages: number;
  /** CPU µs (user + system) of every timed tick, one tick = one message per station. */
  tickCpuUs: number[];
  /** Indexes into tickCpuUs of the ticks in which the stations closed an hour. */
  closeTicks: number[];
  /** Tracks whose hour close ran a trend fit (not skipped as near its baseline, not too little data). */
  fits: number;
  /** Tracks that made a new prediction at an hour close. */
  predicted: number;
  tracks: number;
  /** Hourly values of starts per hour added, and how many station-pump-hour closes there were. */
  startsHours: { added: number; expected: number };
  /** Curve windows judged (every 4 simulated minutes per station once judging, as live). */
  curveJudgements: number;
  /** Stations whose curve window was past learning (judged in full) at the round's end. */
  curveWindowsJudging: number;
  ticketsOpened: number;
  failures: number;
  /** Wall ms spent building the messages (untimed) and feeding them (timed). */
  buildMs: number;
  feedMs: number;
}

// Collects the message builder's garbage before each timed stretch, so its collection is not billed to
// the models (the server's own messages are short-lived; these are built ahead and live on).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const START = Date.parse('2026-02-01T00:00:00Z');
const HOUR_S = 3600;
/** Ticks generated ahead at a time: ten simulated minutes keeps the pre-built messages to a few MB. */
const CHUNK_TICKS = 600;

/**
 * Runs the server's predictive models (PredictiveShell over the real ticket store, PGlite in memory)
 * in a process of their own, fed with simulated stations' telemetry shaped as the edge publishes it.
 */
serveWorker(async (options: AnalyticsWorkerOptions) => {
  const profile = loadProfile('profiles/booster-3p-380.yaml');
  const fastMeanings = profile.tags.filter((t) => t.poll === 'fast').map((t) => t.meaning);
  const allMeanings = profile.tags.map((t) => t.meaning);
  const slowEvery = Math.max(1, Math.round(options.slowPollMs / options.fastPollMs));
  const service: ServiceLayer = await startServiceLayer({ dataDir: ':memory:' });
  // The warm-up feeds days in seconds on the real clock (the curve window judged rarely, as after a
  // server's restart); the timed rounds run on the simulated clock, so the curve window is judged
  // every 4 simulated minutes per station, as a live server judges it.
  let clock: () => number = Date.now;
  const shell = new PredictiveShell({
    clock: () => clock(),
    tickets: service.stores.tickets,
    assets: service.stores.assets,
    events: service.events,
    logger: silentLogger(),
    // The hourly series goes to the telemetry store in the server: its cost is the store's, not the models'.
    writeSeries: async () => {},
  });
  const ids = Array.from({ length: options.stations }, (_, i) => `a${i + 1}`);
  const states: StationState[] = ids.map((_, i) => {
    const state = createStationState({
      seed: 1000 + i,
      pumps: 3,
      nominalVoltage: 380,
      phases: 3,
      startTime: START,
    });
    // Wear fast enough that the trend has left the baseline by the end of the warm-up: real fits run.
    if (i % options.wearEvery === 0) {
      const weeks = 1.5 + ((i / options.wearEvery) % 3) * 0.5;
      injectFault(state, { fault: 'bearing_wear', pump: 1, params: { weeks } });
    }
    return state;
  });
  const seq = ids.map(() => 0);
  const telemetry = (i: number, meanings: readonly string[]): Telemetry => {
    const state = states[i]!;
    const now = readings(state);
    const values: Telemetry['values'] = {};
    for (const meaning of meanings) {
      const v = now[meaning];
      if (v !== undefined) values[meaning] = { v, q: 'good' };
    }
    seq[i]! += 1;
    return {
      v: 1,
      site: 'bench',
      station: ids[i]!,
      edge: 'bench',
      model: profile.model,
      seq: seq[i]!,
      ts: START + Math.round(state.time * 1000),
      state: 'ok',
      values,
    };
  };

  const warmStarted = performance.now();
  const warmSteps = Math.round((options.warmDays * 86_400) / options.warmStepS);
  for (let k = 1; k <= warmSteps; k++) {
    for (let i = 0; i < states.length; i++) {
      stepStation(states[i]!, options.warmStepS);
      void shell.onTelemetry(telemetry(i, allMeanings));
    }
    if (k % 100 === 0) await shell.idle();
  }
  await shell.idle();
  const warm = { ...shell.stats };
  const info: AnalyticsWorkerInfo = {
    pumps: states.length * 3,
    tracks: countTracks(shell),
    warmMessages: warm.telemetry,
    warmMs: performance.now() - warmStarted,
    ticketsOpened: warm.ticketsOpened,
    failures: warm.failures,
  };

  let tick = 0;
  // The time of the tick being fed (messages are built a chunk ahead, so not the stations' own clock).
  let feeding = START + Math.round(states[0]!.time * 1000);
  clock = () => feeding;
  // Judged last on the real clock (months ahead of the simulated one): due again on the simulated one.
  for (const entry of shell.stations.values()) entry.curveJudgedAt = 0;
  const round = async (args: unknown): Promise<AnalyticsRound> => {
    const { hours } = args as { hours: number };
    const before = { ...shell.stats };
    const startsBefore = startsHourCount(shell);
    const tickCpuUs: number[] = [];
    const closeTicks: number[] = [];
    let fits = 0;
    let predicted = 0;
    const dtS = options.fastPollMs / 1000;
    const ticks = Math.round((hours * HOUR_S) / dtS);
    let buildMs = 0;
    let feedMs = 0;
    for (let done = 0; done < ticks; done += CHUNK_TICKS) {
      // Built ahead, outside the timing: only the models are timed.
      const built = performance.now();
      const chunk: { messages: Telemetry[]; closes: boolean }[] = [];
      for (let c = 0; c < Math.min(CHUNK_TICKS, ticks - done); c++) {
        tick += 1;
        // The stations share one clock (START is on the hour), so they all cross an hour in the same tick.
        const hourBefore = Math.floor(states[0]!.time / HOUR_S);
        const messages = states.map((state, i) => {
          stepStation(state, dtS);
          // Each station's slow cycle has its own phase, as edges start at their own moments.
          return telemetry(i, (tick + i) % slowEvery === 0 ? allMeanings : fastMeanings);
        });
        const closes = Math.floor(states[0]!.time / HOUR_S) !== hourBefore;
        chunk.push({ messages, closes });
      }
      collectGarbage();
      const fed = performance.now();
      buildMs += fed - built;
      for (const { messages, closes } of chunk) {
        const predictionsBefore = closes ? predictionsOf(shell) : undefined;
        const pending: Promise<void>[] = [];
        feeding = messages[0]!.ts;
        const t0 = process.cpuUsage();
        for (const message of messages) pending.push(shell.onTelemetry(message));
        await Promise.all(pending);
        const used = process.cpuUsage(t0);
        tickCpuUs.push(used.user + used.system);
        if (predictionsBefore) {
          closeTicks.push(tickCpuUs.length - 1);
          for (const [track, prediction] of predictionsOf(shell)) {
            if (prediction === null || predictionsBefore.get(track) === prediction) continue;
            predicted += 1;
            if (prediction.status !== 'too_little_data' && prediction.note !== 'at its healthy baseline')
              fits += 1;
          }
        }
      }
      feedMs += performance.now() - fed;
    }
    return {
      messages: shell.stats.telemetry - before.telemetry,
      tickCpuUs,
      closeTicks,
      fits,
      predicted,
      tracks: countTracks(shell),
      startsHours: {
        added: startsHourCount(shell) - startsBefore,
        expected: closeTicks.length * states.length * 3,
      },
      curveJudgements: shell.stats.curveJudgements - before.curveJudgements,
      curveWindowsJudging: [...shell.stations.values()].filter((e) => e.curve.status === 'judging').length,
      ticketsOpened: shell.stats.ticketsOpened - before.ticketsOpened,
      failures: shell.stats.failures - before.failures,
      buildMs,
      feedMs,
    };
  };

  return {
    info,
    calls: { round },
    stop: async () => {
      await shell.idle();
      await shell.close();
      await service.close();
    },
  };
});

function countTracks(shell: PredictiveShell): number {
  let n = 0;
  for (const entry of shell.stations.values()) n += Object.keys(entry.model.tracks).length;
  return n;
}

function predictionsOf(shell: PredictiveShell): Map<IndicatorTrack, Prediction | null> {
  const out = new Map<IndicatorTrack, Prediction | null>();
  for (const entry of shell.stations.values())
    for (const track of Object.values(entry.model.tracks)) out.set(track, track.prediction);
  return out;
}

function startsHourCount(shell: PredictiveShell): number {
  let n = 0;
  for (const entry of shell.stations.values())
    for (const track of Object.values(entry.model.tracks))
      if (track.indicator === 'starts_per_hour') n += hourCount(track.hours);
  return n;
}
