import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { childPidsNamed, cpuSeconds, startWorker } from '../child.ts';
import { measureInfluxCeiling, storedLines } from '../influx-ceiling.ts';
import { type BenchContext, repeat, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { startPathServers } from '../server-process.ts';
import { fmt, median, rounds } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

/** Lines one telemetry message of the reference profile makes: pump x3, supply, station. */
const LINES_PER_MESSAGE = 5;

interface EdgeTotals {
  totals: { published: number };
}

interface Window {
  linesPerSecond: number;
  /** Lines the edge handed to MQTT per second in the same window (messages x lines per message). */
  fedPerSecond: number;
  cpu: Record<string, number>;
}

/**
 * InfluxDB points (lines) per second through simulators -> edge -> project broker -> server ->
 * InfluxDB 1.6, against the same InfluxDB's ceiling for batched writes from one process. A second
 * figure drives the path from the broker on with telemetry publishers, to tell the path's own
 * capacity from what the simulators and the edge can feed it.
 */
export async function pipeline(ctx: BenchContext): Promise<SectionResult> {
  const stations = ctx.quick ? 20 : 40;
  const intervalMs = 10;
  const warmMs = ctx.quick ? 3000 : 4000;
  const windowMs = ctx.quick ? 4000 : 5000;
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-bench-pipeline-'));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { influxUrl, broker, server } = await startPathServers(dir, cleanups);
    const sim = await startWorker<SimulatorWorkerInfo>('simulator', { stations });
    cleanups.unshift(() => sim.stop());
    const [influxdPid] = await childPidsNamed('influxd');
    const pids: Record<string, number> = {
      server: server.child.pid!,
      broker: broker.pid,
      simulator: sim.pid,
      ...(influxdPid === undefined ? {} : { influxd: influxdPid }),
    };

    /**
     * Lines stored per second over one window while `feeder` (a worker process) feeds the path,
     * beside the lines it fed (`fedLines`: its running total) and every process's CPU. Counted in
     * InfluxDB itself: a saturated server answers /metrics late.
     */
    const measure = async (
      feeder: { name: string; pid: number },
      fedLines: () => Promise<number>,
    ): Promise<Window> => {
      const all = { ...pids, [feeder.name]: feeder.pid };
      await sleep(warmMs);
      const before = await storedLines(influxUrl, 'bench');
      const fed0 = await fedLines();
      const cpu0 = await cpuOf(all);
      const t0 = performance.now();
      await sleep(windowMs);
      const after = await storedLines(influxUrl, 'bench');
      const fed = (await fedLines()) - fed0;
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = await cpuOf(all);
      const cpu = Object.fromEntries(Object.keys(all).map((k) => [k, (cpu1[k]! - cpu0[k]!) / seconds]));
      return { linesPerSecond: (after - before) / seconds, fedPerSecond: fed / seconds, cpu };
    };

    const edgeDriven = async (): Promise<Window> => {
      // 40 stations every 10 ms is the fast-polling edge the README points to AFTERCARE_EDGE_HEAP=fast
      // for (TurboFan kept: about half the CPU per message of the default, for ~10 MB more).
      const edge = await startWorker(
        'edge',
        {
          edgeId: 'bench-pipeline',
          site: 'bench',
          mqtt: { url: broker.info.url },
          pollClasses: { fast: intervalMs, slow: intervalMs },
          stations: Object.entries(sim.info.ports).map(([id, port]) => ({
            id,
            profile: 'profiles/booster-3p-380.yaml',
            tcp: { host: '127.0.0.1', port, unitId: 1 },
          })),
        },
        60_000,
        { AFTERCARE_EDGE_HEAP: 'fast' },
      );
      try {
        return await measure(
          { name: 'edge', pid: edge.pid },
          async () => (await edge.call<EdgeTotals>('stats')).totals.published * LINES_PER_MESSAGE,
        );
      } finally {
        await edge.stop();
      }
    };

    // The path's own capacity: publishers as fast as PUBACKs return, no simulators or edge.
    const publisherDriven = async (): Promise<Window> => {
      const load = await startWorker<unknown>('telemetry-load', {
        url: broker.info.url,
        site: 'bench',
        stations,
        rate: 0,
      });
      try {
        return await measure(
          { name: 'load', pid: load.pid },
          async () => (await load.call<{ sent: number }>('count')).sent * LINES_PER_MESSAGE,
        );
      } finally {
        await load.stop();
      }
    };

    // Let the server drain what it holds (messages in flight, queued points) before the next
    // phase is timed (bounded).
    const settle = async () => {
      const deadline = Date.now() + (ctx.quick ? 8000 : 10_000);
      while (Date.now() < deadline) {
        const held = await Promise.all([
          server.metric('aftercare_ingest_in_flight'),
          server.metric('aftercare_store_queue_depth'),
        ]).then(
          ([inFlight, queued]) => inFlight + queued,
          () => Number.NaN,
        );
        if (held === 0) return;
        await sleep(1000);
      }
    };
    const results = await repeat(ctx.rounds, async (round) => {
      await settle();
      // Gzip saves bytes but costs CPU on both ends, on the same 2 cores: the reference is the
      // better of the two, so the ratio never gains from a handicapped direct writer.
      const gzipped = await measureInfluxCeiling(influxUrl, `ceiling${round}gz`, windowMs, true, influxdPid);
      const plain = await measureInfluxCeiling(influxUrl, `ceiling${round}`, windowMs, false, influxdPid);
      const ceiling = plain.linesPerSecond >= gzipped.linesPerSecond ? plain : gzipped;
      const full = await edgeDriven();
      await settle();
      const path = await publisherDriven();
      await settle();
      console.log(
        `  round ${round + 1}: path alone (publishers -> broker -> server -> InfluxDB) ${fmt(path.linesPerSecond)} lines/s ` +
          `[CPU in cores: ${describeCpu(path.cpu)}]`,
      );
      console.log(
        `  round ${round + 1}: direct ${fmt(ceiling.linesPerSecond)} lines/s (${fmt(ceiling.messagesPerSecond)} msg/s; gzipped ${fmt(gzipped.linesPerSecond)}, plain ${fmt(plain.linesPerSecond)}) [CPU in cores: ${describeCpu(ceiling.cpu)}]; ` +
          `pipeline ${fmt(full.linesPerSecond)} lines/s stored of ${fmt(full.fedPerSecond)} lines/s the edge published ` +
          `[CPU in cores: ${describeCpu(full.cpu)}]`,
      );
      return { ceiling, gzipped, plain, full, path };
    });
    const stored = await storedCheck(influxUrl);
    const ceiling = median(results.map((r) => r.ceiling.linesPerSecond));
    const full = median(results.map((r) => r.full.linesPerSecond));
    const serverCpu = median(results.map((r) => r.full.cpu.server ?? 0));
    const path = median(results.map((r) => r.path.linesPerSecond));
    const pathServerCpu = median(results.map((r) => r.path.cpu.server ?? 0));
    const fed = median(results.map((r) => r.full.fedPerSecond));
    const linesPerMessage = results[0]!.ceiling.linesPerMessage;
    const perKilo = (cpu: Record<string, number | undefined>, linesPerSecond: number) =>
      Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, ((v ?? 0) / linesPerSecond) * 1e6]));
    const medianCost = (costs: Array<Record<string, number>>) =>
      Object.fromEntries(Object.keys(costs[0] ?? {}).map((k) => [k, median(costs.map((c) => c[k] ?? 0))]));
    const fullCost = medianCost(results.map((r) => perKilo(r.full.cpu, r.full.linesPerSecond)));
    const pathCost = medianCost(results.map((r) => perKilo(r.path.cpu, r.path.linesPerSecond)));
    const directCost = medianCost(results.map((r) => perKilo(r.ceiling.cpu, r.ceiling.linesPerSecond)));
    const sum = (cost: Record<string, number>) => Object.values(cost).reduce((a, b) => a + b, 0);
    const ratio = full / ceiling;
    return {
      section: 'pipeline',
      metric: `InfluxDB points/s, ${stations} stations`,
      measured: `${fmt(full)} points/s`,
      reference: `direct batched writes ${fmt(ceiling)} points/s`,
      ratio,
      target: '>= 0.6x direct',
      pass: ratio >= 0.6,
      notes: [
        `rounds (pipeline): ${rounds(results.map((r) => r.full.linesPerSecond))}; (direct): ${rounds(results.map((r) => r.ceiling.linesPerSecond))}`,
        `a point is an InfluxDB line: one telemetry message of the reference profile is ${fmt(linesPerMessage, 0)} lines (pump x3, supply, station) carrying 48 values; pipeline figures are lines stored in InfluxDB (InfluxQL count per measurement and site) over a ${windowMs / 1000} s window after ${warmMs / 1000} s warm-up; direct figures are lines the write API confirmed`,
        `pipeline: ${stations} simulated stations (one child), one edge child (AFTERCARE_EDGE_HEAP=fast) polling each every ${intervalMs} ms (both classes), the project broker (aedes) child, \`aftercare server\` child, influxd 1.6; ratio ${fmt(ratio, 2)}`,
        `bottleneck: the edge published ${fmt(fed)} lines/s (median) in the same windows; ${full < 0.9 * fed ? 'the path from the broker on stores less than it is fed, so the path, not the simulators and edge, limits the rate' : 'the path stores what it is fed, so the feed (simulators and edge) limits the rate'}; the server process used ${fmt(serverCpu, 2)} cores (median)`,
        `path alone: telemetry publishers (QoS 1, up to 500 in flight) -> broker -> server -> InfluxDB stored ${fmt(path)} lines/s = ${fmt(path / ceiling, 2)}x direct, the server using ${fmt(pathServerCpu, 2)} cores; rounds ${rounds(results.map((r) => r.path.linesPerSecond))}`,
        `direct: the server's own openInfluxStore (same WriteApi and lines, 5000-line batches, up to 4 in flight) in the bench process, measured gzipped and plain each round; the reference is the better of the two (rounds gzipped: ${rounds(results.map((r) => r.gzipped.linesPerSecond))}; plain: ${rounds(results.map((r) => r.plain.linesPerSecond))}). The server writes plain (its durable path: one request per group of messages, at most 25,000 points (about 2,600 lines), up to 4 under way, acked only after InfluxDB's 204)`,
        `CPU is in cores over the window; all of it shares 2 cores, so each stage takes CPU from the others`,
        `CPU per 1000 stored lines (ms, median of rounds): pipeline ${describeCost(fullCost)} = ${fmt(sum(fullCost), 0)} ms; path alone ${describeCost(pathCost)} = ${fmt(sum(pathCost), 0)} ms; direct ${describeCost(directCost)} = ${fmt(sum(directCost), 0)} ms. With all of 2 cores for itself, the pipeline at that cost could store at most ${fmt(2e6 / sum(fullCost))} lines/s = ${fmt(2e6 / sum(fullCost) / ceiling, 2)}x the median direct figure (the path alone ${fmt(2e6 / sum(pathCost) / ceiling, 2)}x)`,
        stored,
      ],
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function cpuOf(pids: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(pids).map(async ([k, pid]) => [k, await cpuSeconds(pid)]));
  return Object.fromEntries(entries);
}

function describeCpu(cpu: Record<string, number | undefined>): string {
  return Object.entries(cpu)
    .map(([k, v]) => `${k} ${fmt(v ?? 0, 2)}`)
    .join(', ');
}

function describeCost(cost: Record<string, number>): string {
  return Object.entries(cost)
    .map(([k, v]) => `${k} ${fmt(v, 0)}`)
    .join(' + ');
}

/** InfluxQL cross-check: supply lines (one per stored message) of each site. */
async function storedCheck(url: string): Promise<string> {
  try {
    const [result] = await influxQuery({ url, database: 'aftercare', headers: {} }, [
      'SELECT count("voltage_l1_q") FROM "supply" GROUP BY "site"',
    ]);
    const counts = (result?.series ?? []).map((s) => `${s.tags?.site}: ${fmt(Number(s.values[0]?.[1]))}`);
    return `messages stored in all (supply lines per site): ${counts.join(', ') || 'none'}`;
  } catch (error) {
    return `InfluxQL check failed: ${(error as Error).message}`;
  }
}
