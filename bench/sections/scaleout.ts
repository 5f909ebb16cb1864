import { runScaleoutDrill } from '../../test/cluster/scaleout-drill.ts';
import type { BenchContext } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt } from '../stats.ts';

/**
 * The scale-out drill (test/cluster/scaleout-drill.ts): three `aftercare server` processes on
 * nats-server (JetStream + MQTT), redis-server, PostgreSQL and influxd, 300 stations at 1 s, the
 * instance with most partitions SIGKILLed under load.
 */
export async function scaleout(ctx: BenchContext): Promise<SectionResult> {
  const result = await runScaleoutDrill({
    stations: 300,
    partitions: 12,
    secondsBeforeKill: ctx.quick ? 20 : 30,
    secondsAfterKill: ctx.quick ? 30 : 45,
    log: (line) => console.log(`  ${line}`),
  });
  const pass =
    result.lost === 0 &&
    result.duplicateTickets === 0 &&
    result.faultsWithOneTicket === result.faults &&
    result.unexpectedTickets === 0 &&
    result.leaseTakeoverSeconds <= 10 &&
    result.victimStationsSeenAfter === result.victimStations;
  return {
    section: 'scaleout',
    metric: "seconds from SIGKILL to every one of the victim's partitions leased by a survivor, 300 stations",
    measured: `${fmt(result.leaseTakeoverSeconds, 1)} s`,
    reference: '',
    ratio: result.leaseTakeoverSeconds / 10,
    target: '<= 10 s, 0 lost, one ticket per fault',
    pass,
    notes: [
      `killed ${result.victim} holding partitions ${result.victimPartitions.join(', ')} (${result.victimStations} stations); stations back on the other instance's dashboard in ${fmt(result.stationTakeoverSeconds, 1)} s`,
      `published ${result.published} (PUBACKed), stored ${result.stored}, lost ${result.lost}`,
      `faults ${result.faults}: ${result.faultsWithOneTicket} with exactly one ticket, ${result.duplicateTickets} duplicate tickets, ${result.unexpectedTickets} tickets of stations never faulted`,
      `victim stations seen by the other instance's dashboard: ${result.victimStationsSeenBefore} before the kill, ${result.victimStationsSeenAfter} after; longest silence after takeover ${fmt(result.longestGapAfterTakeoverSeconds, 1)} s`,
      `CPU per 1,000 stored telemetry messages: ${result.cpu.map((c) => `${c.instance} ${fmt(c.msPer1000)} ms (${c.telemetry} messages)`).join(', ')}`,
      `leases lost by live instances: ${result.leaseLossesLogged}`,
    ],
  };
}
