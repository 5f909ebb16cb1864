import { availableParallelism } from 'node:os';
import { loadProfile } from '../../core/profile/load.ts';
import { parseEdgeConfig } from '../../edge/config.ts';
import { startWorker } from '../child.ts';
import type { BenchContext } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt, median, rounds } from '../stats.ts';
import type { AnalyticsRound, AnalyticsWorkerInfo, AnalyticsWorkerOptions } from '../workers/analytics.ts';

const STATIONS = 12;
const PUMPS_PER_STATION = 3;
const FLEET_PUMPS = 1000;
/** Share of one core the models may take at FLEET_PUMPS (see the note in the result). */
const LIMIT_PCT_ONE_CORE = 10;

/**
 * Analytics cost: CPU (user + system) the server's predictive models take per pump per evaluation,
 * where one evaluation is one telemetry message of a 3-pump station fed to PredictiveShell.onTelemetry
 * (what server/index.ts does for every message). Messages come every fast poll interval, with the
 * slow tags every slow interval, as the edge publishes them; the timed hours include their hour
 * closes (hourly medians, trend fits, health scores) in their real proportion. Derived from it: the
 * share of the CPU the models take at 1,000 pumps.
 */
export async function analytics(ctx: BenchContext): Promise<SectionResult> {
  const hours = ctx.quick ? 2 : 3;
  // The edge's own defaults: the interval its messages come at in production.
  const { pollClasses } = parseEdgeConfig({
    edgeId: 'bench',
    site: 'bench',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    stations: [
      {
        id: 'a1',
        profile: loadProfile('profiles/booster-3p-380.yaml'),
        tcp: { host: '127.0.0.1', port: 502 },
      },
    ],
  });
  const options: AnalyticsWorkerOptions = {
    stations: STATIONS,
    wearEvery: 3,
    warmDays: 6,
    warmStepS: 300,
    fastPollMs: pollClasses.fast,
    slowPollMs: pollClasses.slow,
  };
  const worker = await startWorker<AnalyticsWorkerInfo>('analytics', options, 120_000);
  const results: AnalyticsRound[] = [];
  try {
    for (let r = 0; r < ctx.rounds; r++)
      results.push(await worker.call<AnalyticsRound>('round', { hours }, 180_000));
  } finally {
    await worker.stop();
  }
  const perRound = results.map((round) => {
    const total = round.tickCpuUs.reduce((a, b) => a + b, 0);
    const closes = new Set(round.closeTicks);
    const plainTick = median(round.tickCpuUs.filter((_, i) => !closes.has(i)));
    // An hour close's own cost: its tick less a tick without one, shared by the stations that closed.
    const closeExtra = round.closeTicks.map((i) => round.tickCpuUs[i]! - plainTick);
    const closeExtraSum = closeExtra.reduce((a, b) => a + b, 0);
    return {
      usPerMessage: total / round.messages,
      usPerPumpEval: total / round.messages / PUMPS_PER_STATION,
      closeMsPerStation: closeExtra.length ? closeExtraSum / closeExtra.length / STATIONS / 1000 : Number.NaN,
      closeShare: closeExtraSum / total,
    };
  });
  const usPerPumpEval = median(perRound.map((r) => r.usPerPumpEval));
  const usPerMessage = median(perRound.map((r) => r.usPerMessage));
  const closeMs = median(perRound.map((r) => r.closeMsPerStation));
  const closeShare = median(perRound.map((r) => r.closeShare));
  const fleetStations = Math.ceil(FLEET_PUMPS / PUMPS_PER_STATION);
  const messagesPerS = fleetStations * (1000 / pollClasses.fast);
  const pctOneCore = ((usPerMessage * messagesPerS) / 1e6) * 100;
  const cores = availableParallelism();
  const pctMachine = pctOneCore / cores;
  const last = results[results.length - 1]!;
  const fits = median(results.map((r) => r.fits / Math.max(1, r.closeTicks.length)));
  const predicted = median(results.map((r) => r.predicted / Math.max(1, r.closeTicks.length)));
  const starts = results.reduce(
    (sum, r) => ({ added: sum.added + r.startsHours.added, expected: sum.expected + r.startsHours.expected }),
    { added: 0, expected: 0 },
  );
  // Once every station is judging, a live server judges each window every 4 minutes: a round's count
  // should come near stations x simulated minutes / 4 (the first round still learns for 40 minutes).
  const judgementsPerRound = median(results.map((r) => r.curveJudgements));
  const judgementsLive = (STATIONS * hours * 60) / 4;
  const tickets = results.reduce((n, r) => n + r.ticketsOpened, worker.info.ticketsOpened);
  const failures = results.reduce((n, r) => n + r.failures, worker.info.failures);
  return {
    section: 'analytics',
    metric: `CPU per pump per evaluation (1 message of a 3-pump station every ${pollClasses.fast} ms), ${STATIONS} stations, ${hours} simulated h a round`,
    measured:
      `${fmt(usPerPumpEval, 2)} µs per pump per evaluation; at ${fmt(FLEET_PUMPS)} pumps ` +
      `${fmt(pctOneCore, 2)}% of one core, ${fmt(pctMachine, 2)}% of ${cores} cores`,
    reference: '',
    ratio: pctOneCore / LIMIT_PCT_ONE_CORE,
    target: `under ${LIMIT_PCT_ONE_CORE}% of one core at ${fmt(FLEET_PUMPS)} pumps`,
    pass: failures === 0 && pctOneCore < LIMIT_PCT_ONE_CORE,
    notes: [
      `rounds: ${rounds(
        perRound.map((r) => r.usPerPumpEval),
        2,
      )} µs per pump per evaluation (${fmt(usPerMessage, 1)} µs per message)`,
      `${fmt(FLEET_PUMPS)} pumps = ${fleetStations} stations x ${fmt(messagesPerS)} msg/s (fast poll ${pollClasses.fast} ms, slow tags every ${pollClasses.slow} ms)`,
      `hour close: ${fmt(closeMs, 2)} ms per station over its ${fmt(last.tracks / STATIONS, 1)} tracks ` +
        `(${fmt(predicted, 0)} predictions, ${fmt(fits, 0)} trend fits per hour across ${STATIONS} stations), ` +
        `${fmt(closeShare * 100, 1)}% of the CPU; rounds ${rounds(
          perRound.map((r) => r.closeMsPerStation),
          2,
        )} ms`,
      `hours close on the clock, so at ${fmt(FLEET_PUMPS)} pumps the ${fleetStations} stations' closes fall in one poll interval: ` +
        `~${fmt(closeMs * fleetStations)} ms of CPU in that second`,
      `pump-curve windows judged in a round: ${fmt(judgementsPerRound)} (a live server: ${fmt(judgementsLive)}, every 4 minutes per station), included in the CPU above; ` +
        `windows past learning at the rounds' ends: ${results.map((r) => r.curveWindowsJudging).join(' / ')} of ${STATIONS}`,
      `models warmed on ${options.warmDays} simulated days (a message every ${options.warmStepS} s, ` +
        `${fmt(worker.info.warmMessages)} messages in ${fmt(worker.info.warmMs / 1000, 1)} s); ` +
        `pump 1 of every ${options.wearEvery}rd station has a wearing bearing; ${tickets} predictive tickets, ${failures} failures`,
      `a round took ${fmt(median(results.map((r) => r.feedMs)) / 1000, 1)} s feeding (timed) and ` +
        `${fmt(median(results.map((r) => r.buildMs)) / 1000, 1)} s building the messages (untimed), wall clock`,
      `hourly starts/h values stored at ${starts.added} of ${starts.expected} pump-hour closes (counters come in the slow poll class, one message in ten)`,
      `target: the models ride along ingest, storage, alarms and live updates on the same ${cores}-core server; ` +
        `a tenth of one core leaves the rest of the machine to them`,
      'PredictiveShell over the real ticket store (PGlite in memory) in a worker process; writing the hourly health series to the telemetry store is not counted',
    ],
  };
}
