import { readFile } from 'node:fs/promises';
import { silentLogger } from '../../core/log.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { startWorker, type Worker } from '../child.ts';
import type { BenchContext } from '../options.ts';
import { sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt, median, percentile } from '../stats.ts';
import { epochMs } from '../workers/protocol.ts';
import type { SimulatorFaultCall, SimulatorWorkerInfo } from '../workers/simulator.ts';

const POLL_MS = 500;
const STATIONS = 20;
const TRIP: SimulatorFaultCall = { stations: [], fault: 'pump_trip', pump: 1 };
/** Largest disagreement between the processes' clocks the figures may carry. */
const MAX_CLOCK_ERROR_MS = 2;

/**
 * Fault-to-ticket latency: a pump trip injected into the simulator's model, until the server has
 * committed its ticket (opened, or an occurrence added). Every hop is real: Modbus TCP poll, MQTT
 * QoS 1 through the project's broker, ingest, alarm rules, the ticket store (PGlite in memory).
 * As deployed, the stations, the edge and the broker are processes of their own (here children on
 * the same machine), so the server's event loop is its own; injection and commit are timed on the
 * epoch clock all of them share.
 */
export async function faultToTicket(ctx: BenchContext): Promise<SectionResult> {
  const cycles = ctx.quick ? 2 : 5;
  const broker = await startWorker<{ url: string }>('broker', {});
  let simulator: Worker<SimulatorWorkerInfo> | undefined;
  let edge: Worker<unknown> | undefined;
  let server: RunningServer | undefined;
  const latencies: number[] = [];
  const toServer: number[] = [];
  const inServer: number[] = [];
  const slowestPerCycle: number[] = [];
  let missed = 0;
  let cpuStall: number | undefined;
  let clockError = Number.POSITIVE_INFINITY;
  try {
    simulator = await startWorker<SimulatorWorkerInfo>('simulator', { stations: STATIONS });
    const { host, ports } = simulator.info;
    const ids = Object.keys(ports);
    const trip = { ...TRIP, stations: ids };
    server = await startServer({
      port: 0,
      mqtt: { url: broker.info.url },
      dataDir: ':memory:',
      logger: silentLogger(),
    });
    const service = server.service;
    if (!service) throw new Error('the server has no service layer');
    clockError = await clockDisagreement(simulator);

    // Committed trip tickets, by station: the service layer tells once the transaction is done.
    const storedAt = new Map<string, number>();
    service.events.on('ticket', (change) => {
      if (!['opened', 'occurrence', 'reopened'].includes(change.change)) return;
      const { station, faultClass, subject } = change.ticket;
      if (faultClass === 'pump_trip' && subject === 'pump[1]' && !storedAt.has(station)) {
        storedAt.set(station, epochMs());
      }
    });

    edge = await startWorker('edge', {
      edgeId: 'bench',
      site: 'bench',
      mqtt: { url: broker.info.url },
      pollClasses: { fast: POLL_MS, slow: 10_000 },
      stations: ids.map((id) => ({
        id,
        profile: 'profiles/booster-3p-380.yaml',
        tcp: { host, port: ports[id], unitId: 1 },
      })),
    });
    await sleep(3000); // first polls, baselines of the alarm rules
    const stalledFrom = await cpuStallMicros();
    const timedFrom = epochMs();
    for (let cycle = 0; cycle < cycles; cycle++) {
      storedAt.clear();
      const injectedAt = await simulator.call<Record<string, number>>('inject', trip);
      const deadline = Date.now() + 10_000;
      while (storedAt.size < ids.length && Date.now() < deadline) await sleep(50);
      // When the server took the telemetry that raised the alarm: the occurrence's time.
      const receivedAt = new Map(
        (await service.stores.tickets.list({ site: 'bench' }))
          .filter((t) => t.fault_class === 'pump_trip' && t.subject === 'pump[1]')
          .map((t) => [t.station, t.last_occurrence_at]),
      );
      let slowest = 0;
      for (const id of ids) {
        const injected = injectedAt[id];
        const stored = storedAt.get(id);
        const received = receivedAt.get(id);
        if (injected === undefined || stored === undefined || received === undefined) {
          missed += 1;
          continue;
        }
        latencies.push(stored - injected);
        slowest = Math.max(slowest, stored - injected);
        toServer.push(received - injected);
        inServer.push(stored - received);
      }
      slowestPerCycle.push(slowest);
      await simulator.call('clear', trip);
      await sleep(4000); // the trip alarm's 2 s off-delay, so the next trip raises it again
    }
    const stalledTo = await cpuStallMicros();
    if (stalledFrom !== undefined && stalledTo !== undefined)
      cpuStall = (stalledTo - stalledFrom) / 1000 / (epochMs() - timedFrom);
  } finally {
    await edge?.stop();
    await server?.stop();
    await simulator?.stop();
    await broker.stop();
  }
  const p50 = median(latencies);
  const p99 = percentile(latencies, 99);
  const limit = POLL_MS + 250;
  const split = (values: number[]) => `p50 ${fmt(median(values))}, p99 ${fmt(percentile(values, 99))} ms`;
  return {
    section: 'fault-to-ticket',
    metric: `ms from injected pump trip to committed ticket, ${latencies.length} faults, poll ${POLL_MS} ms`,
    measured: `p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`,
    reference: `poll interval ${POLL_MS} ms`,
    ratio: p99 / limit,
    target: `p99 <= poll interval + 250 ms (${limit} ms)`,
    pass:
      missed === 0 &&
      clockError <= MAX_CLOCK_ERROR_MS &&
      latencies.length >= 100 * (cycles / 5) &&
      p99 <= limit,
    notes: [
      `${STATIONS} stations tripping at once x ${cycles} cycles; ${missed} faults without a ticket within 10 s`,
      `injection to the server's receipt (wait for the next poll, the poll, the edge, MQTT): ${split(toServer)}`,
      `receipt to commit (rules, the alarm and ticket transaction, queued behind other stations): ${split(inServer)}`,
      `slowest fault of each cycle: ${slowestPerCycle.map((ms) => fmt(ms)).join(' / ')} ms`,
      `simulator, edge and broker in child processes; their clocks and the server's agree within ${fmt(clockError, 2)} ms`,
      cpuStall === undefined
        ? 'CPU pressure not known (no /proc/pressure/cpu)'
        : `tasks of this machine waited for a CPU ${fmt(cpuStall * 100)}% of the measured time (PSI cpu some)`,
      'each trip is an occurrence on its open ticket after the first cycle',
    ],
  };
}

/**
 * How far the simulator's epoch clock can be from this process's: its reading must fall between
 * ours before and after the call. The best of a few calls (IPC delay only widens the window).
 */
async function clockDisagreement(worker: Worker<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    const before = epochMs();
    const theirs = await worker.call<number>('epochMs');
    const after = epochMs();
    best = Math.min(best, Math.max(0, before - theirs, theirs - after));
  }
  return best;
}

/** Microseconds some task of this machine has waited for a CPU since boot (Linux PSI), if known. */
async function cpuStallMicros(): Promise<number | undefined> {
  try {
    const text = await readFile('/proc/pressure/cpu', 'utf8');
    const total = /^some .*total=(\d+)/m.exec(text)?.[1];
    return total === undefined ? undefined : Number(total);
  } catch {
    return undefined;
  }
}
