import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { SIMULATOR_CONCURRENT_REQUESTS } from '../../simulators/edge-config-file.ts';
import { childPidsNamed, cpuSeconds, startWorker, type Worker } from '../child.ts';
import { diyFlow } from '../diy-flow.ts';
import { startDiyNodeRed } from '../node-red-diy.ts';
import { type BenchContext, repeat, sleep } from '../options.ts';
import { referenceProfile } from '../profile-reads.ts';
import type { SectionResult } from '../report.ts';
import { startPathServers } from '../server-process.ts';
import { fmt, median, rounds } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

const POLL_MS = 1000;
const DIY_DATABASE = 'diy';

/** One timed window of one side: readings (station polls) stored per second and each process's CPU in cores. */
interface Window {
  readingsPerSecond: number;
  cpu: Record<string, number>;
}

interface Round {
  aftercare: Window;
  diy: Window;
}

/**
 * CPU per stored reading (one station poll in the database), Aftercare against the flow a plant
 * engineer builds by hand in Node-RED 4.1 (node-red-contrib-modbus 5.23.3 getters making the same
 * reads, a function node decoding per the profile, node-red-contrib-influxdb 0.7 writing one point
 * per station per poll), on the same simulated stations at a 1 s poll and the same influxd, in
 * alternating rounds. Aftercare's side is every process of its path: edge, broker, server.
 */
export async function diyNodeRed(ctx: BenchContext): Promise<SectionResult> {
  // AFTERCARE_BENCH_DIY=40,500 picks the station counts.
  const sizes =
    process.env.AFTERCARE_BENCH_DIY?.split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0) ?? (ctx.quick ? [40] : [40, 200]);
  const warmMs = ctx.quick ? 8000 : 12_000;
  const windowMs = ctx.quick ? 15_000 : 30_000;
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-bench-diy-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  try {
    const { influxUrl, broker, server } = await startPathServers(dir, cleanups);
    await fetch(`${influxUrl}/query?q=${encodeURIComponent(`CREATE DATABASE ${DIY_DATABASE}`)}`, {
      method: 'POST',
    });
    const [influxdPid] = await childPidsNamed('influxd');
    const shared: Record<string, number> = influxdPid === undefined ? {} : { influxd: influxdPid };
    const influxPort = Number(new URL(influxUrl).port);
    const perSize: Array<{ stations: number; rounds: Round[] }> = [];
    for (const stations of sizes) {
      const sim = await startWorker<SimulatorWorkerInfo>('simulator', { stations });
      try {
        const window = (pids: Record<string, number>, stored: StoredBetween) =>
          measure({ ...pids, ...shared, simulator: sim.pid }, stored, warmMs, windowMs);
        const aftercare = async (round: number): Promise<Window> => {
          const site = `ac${stations}r${round}`;
          const edge = await startEdge(sim, broker.info.url, site);
          try {
            return await window(
              { edge: edge.pid, broker: broker.pid, server: server.child.pid! },
              (from, to) => countReadings(influxUrl, 'aftercare', site, 'pressure_outlet_q', from, to),
            );
          } finally {
            await edge.stop();
          }
        };
        const diy = async (round: number): Promise<Window> => {
          const site = `diy${stations}r${round}`;
          const stationList = Object.entries(sim.info.ports).map(([id, port]) => ({
            id,
            host: '127.0.0.1',
            port,
            unitId: sim.info.unitIds[id] ?? 1,
          }));
          const flow = diyFlow(
            referenceProfile(),
            stationList,
            { host: '127.0.0.1', port: influxPort, database: DIY_DATABASE },
            POLL_MS,
            site,
          );
          const userDir = await mkdtemp(join(dir, 'node-red-'));
          const red = await startDiyNodeRed(userDir, flow);
          try {
            return await window({ 'node-red': red.child.pid! }, (from, to) =>
              countReadings(influxUrl, DIY_DATABASE, site, 'pressure_outlet', from, to),
            );
          } finally {
            await red.stop();
          }
        };
        const results = await repeat(ctx.rounds, async (round): Promise<Round> => {
          // Alternate which side goes first, so a drift of the shared machine favours neither.
          const first = round % 2 === 0 ? await aftercare(round) : await diy(round);
          const second = round % 2 === 0 ? await diy(round) : await aftercare(round);
          const r = round % 2 === 0 ? { aftercare: first, diy: second } : { aftercare: second, diy: first };
          console.log(
            `  ${stations} stations, round ${round + 1}: Aftercare ${fmt(r.aftercare.readingsPerSecond, 1)} readings/s, ` +
              `${describe(r.aftercare)}; DIY ${fmt(r.diy.readingsPerSecond, 1)} readings/s, ${describe(r.diy)}`,
          );
          return r;
        });
        perSize.push({ stations, rounds: results });
      } finally {
        await sim.stop();
      }
    }
    return summarise(perSize, windowMs);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

function startEdge(sim: Worker<SimulatorWorkerInfo>, mqttUrl: string, site: string) {
  return startWorker('edge', {
    edgeId: `bench-${site}`,
    site,
    mqtt: { url: mqttUrl },
    pollClasses: { fast: POLL_MS, slow: POLL_MS },
    stations: Object.entries(sim.info.ports).map(([id, port]) => ({
      id,
      profile: 'profiles/booster-3p-380.yaml',
      tcp: {
        host: '127.0.0.1',
        port,
        unitId: sim.info.unitIds[id] ?? 1,
        maxConcurrentRequests: SIMULATOR_CONCURRENT_REQUESTS,
      },
    })),
  });
}

/** Station polls stored for a site: a count of one field every station point carries. */
async function countReadings(
  url: string,
  database: string,
  site: string,
  field: string,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const [result] = await influxQuery({ url, database, headers: {}, timeoutMs: 30_000 }, [
    `SELECT count("${field}") FROM "station" WHERE "site" = '${site}' AND time >= ${fromMs}ms AND time < ${toMs}ms`,
  ]);
  return Number(result?.series?.[0]?.values[0]?.[1] ?? 0);
}

/** Readings stored with a time stamp in [fromMs, toMs). */
type StoredBetween = (fromMs: number, toMs: number) => Promise<number>;

async function measure(
  pids: Record<string, number>,
  stored: StoredBetween,
  warmMs: number,
  windowMs: number,
): Promise<Window> {
  await sleep(warmMs);
  const cpuOf = async () =>
    Object.fromEntries(
      await Promise.all(Object.entries(pids).map(async ([k, pid]) => [k, await cpuSeconds(pid)])),
    );
  const cpu0 = await cpuOf();
  const from = Date.now();
  const t0 = performance.now();
  await sleep(windowMs);
  const cpu1 = await cpuOf();
  const to = Date.now();
  const seconds = (performance.now() - t0) / 1000;
  // Readings polled in the window's last seconds may still be on their way: wait before counting.
  await sleep(3000);
  return {
    readingsPerSecond: (await stored(from, to)) / ((to - from) / 1000),
    cpu: Object.fromEntries(Object.keys(pids).map((k) => [k, (cpu1[k]! - cpu0[k]!) / seconds])),
  };
}

/** Milliseconds of CPU per 1,000 stored readings, per process and in all. */
function costPerKilo(w: Window): Record<string, number> {
  const cost = Object.fromEntries(
    Object.entries(w.cpu).map(([k, cores]) => [k, (cores / Math.max(w.readingsPerSecond, 1e-9)) * 1e6]),
  );
  return { ...cost, all: Object.values(cost).reduce((a, b) => a + b, 0) };
}

function describe(w: Window): string {
  const cost = costPerKilo(w);
  return `CPU ms per 1,000 readings ${fmt(cost.all!)} (${Object.entries(cost)
    .filter(([k]) => k !== 'all')
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ')})`;
}

function summarise(perSize: Array<{ stations: number; rounds: Round[] }>, windowMs: number): SectionResult {
  const rows = perSize.map(({ stations, rounds: rs }) => {
    const ac = median(rs.map((r) => costPerKilo(r.aftercare).all!));
    const diy = median(rs.map((r) => costPerKilo(r.diy).all!));
    const stored = (side: 'aftercare' | 'diy') =>
      median(rs.map((r) => r[side].readingsPerSecond)) / (stations * (1000 / POLL_MS));
    // The simulator and influxd serve both sides: the processes each side adds, apart.
    const own = (w: Window) => {
      const { simulator = 0, influxd = 0, all = 0 } = costPerKilo(w);
      return all - simulator - influxd;
    };
    const ownRatio = median(rs.map((r) => own(r.diy))) / median(rs.map((r) => own(r.aftercare)));
    return {
      stations,
      ac,
      diy,
      ownRatio,
      ratio: diy / ac,
      rs,
      storedAc: stored('aftercare'),
      storedDiy: stored('diy'),
    };
  });
  const worst = Math.min(...rows.map((r) => r.ratio));
  return {
    section: 'diy-node-red',
    metric: `CPU per stored reading, ${rows.map((r) => r.stations).join(' and ')} stations at a 1 s poll`,
    measured: rows.map((r) => `${r.stations}: ${fmt(r.ac)} ms`).join(', '),
    reference: `Node-RED DIY ${rows.map((r) => `${r.stations}: ${fmt(r.diy)} ms`).join(', ')} per 1,000 readings`,
    ratio: worst,
    target: '>= 3x fewer CPU ms per reading than the DIY flow',
    pass: worst >= 3,
    notes: [
      ...rows.map(
        (r) =>
          `${r.stations} stations: readings per CPU second, Aftercare / DIY = ${fmt(r.ratio, 2)} (their own processes alone, without the shared simulator and influxd: ${fmt(r.ownRatio, 2)}); stored of polled ${fmt(r.storedAc * 100, 1)}% / ${fmt(r.storedDiy * 100, 1)}%; ` +
          `Aftercare ms per 1,000 readings by round ${rounds(r.rs.map((x) => costPerKilo(x.aftercare).all!))}, DIY ${rounds(r.rs.map((x) => costPerKilo(x.diy).all!))}`,
      ),
      `a reading is one station poll stored (one InfluxDB point of measurement station); CPU of every process on the path over a ${windowMs / 1000} s window (from /proc), the simulator's and influxd's included on both sides; Aftercare = simulator, edge (disk spool), broker (aedes), server, influxd; DIY = simulator, node-red, influxd`,
    ],
  };
}
