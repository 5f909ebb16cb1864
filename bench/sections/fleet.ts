import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EdgeStats } from '../../edge/index.ts';
import { LevelSpool } from '../../edge/store-forward/spool.ts';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { SIMULATOR_CONCURRENT_REQUESTS } from '../../simulators/edge-config-file.ts';
import { startInfluxDb } from '../../test/support/influxdb.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { childPidsNamed, cpuSeconds, processesNamed, rssBytes, startWorker, type Worker } from '../child.ts';
import type { BenchContext } from '../options.ts';
import { sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { seedHealthModels } from '../seed-health-models.ts';
import { type ServerProcess, startServerProcess } from '../server-process.ts';
import { fmt, median } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

/** Station counts of the table; AFTERCARE_BENCH_FLEET=100,250 runs only those. */
const DEFAULT_COUNTS = [100, 250, 500, 1000, 2000];

interface Row {
  stations: number;
  polled: number;
  stored: number;
  spooled: number;
  /** Station polls (messages) in the measured window, and its length in s. */
  windowPolls: number;
  windowS: number;
  /** Polls missed and cycles deferred in the measured window; `startMissed` before it (warm-up). */
  missed: number;
  deferred: number;
  startMissed: number;
  ageMeanS: number;
  ageMaxS: number;
  cpu: Record<string, number>;
  /** Share of the window the edge's and the simulator's event loops were busy, %. */
  loopBusy: { edge: number; sim: number };
  serverRssMiB: number;
  /** The server's RSS: median of the window's first and last sixth (5 s samples), MiB, and the change. */
  serverRssGrowth: { firstMiB: number; lastMiB: number; maxMiB: number };
  /** PostgreSQL's processes together (proportional set size), MiB; 0 with the embedded database. */
  postgresMiB: number;
  /** The server's V8 heap in use and its memory outside the heap (buffers, WebAssembly), MiB. */
  serverHeapMiB: number;
  serverExternalMiB: number;
  polling: EdgeStats['polling'];
}

/**
 * The stations table of issue 21: the fleet simulator (one process, gateway ports), `aftercare edge`
 * with its disk spool, the project broker, `aftercare server` and influxd, every part on this machine,
 * stations at a 1 s poll (the reference profile's 42 values each). Per count: stored share of the
 * polled readings, missed polls, the newest stored reading's age, CPU per process.
 */
export async function fleet(ctx: BenchContext): Promise<SectionResult> {
  const counts = (process.env.AFTERCARE_BENCH_FLEET?.split(',').map(Number) ?? DEFAULT_COUNTS).filter(
    (n) => Number.isInteger(n) && n > 0,
  );
  const windowS = Number(process.env.AFTERCARE_BENCH_FLEET_SECONDS ?? (ctx.quick ? 20 : 60));
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-bench-fleet-'));
  // The service records in PostgreSQL, as a fleet runs in production (DATABASE_URL); =pglite keeps them
  // in the server's embedded database instead.
  const withPostgres = (process.env.AFTERCARE_BENCH_FLEET_DB ?? 'postgres') === 'postgres';
  const influx = await startInfluxDb();
  const cleanups: Array<() => Promise<void>> = [() => influx.stop()];
  const load = loadavg()[0]!;
  try {
    const postgres = withPostgres ? await startPostgres() : undefined;
    if (postgres) cleanups.unshift(() => postgres.stop());
    const broker = await startWorker<{ url: string }>('broker', {});
    cleanups.unshift(() => broker.stop());
    const server = await startServerProcess({
      mqttUrl: broker.info.url,
      influxUrl: influx.url,
      dataDir: dir,
      ...(postgres ? { databaseUrl: postgres.url } : {}),
    });
    cleanups.unshift(() => server.stop());
    const [influxdPid] = await childPidsNamed('influxd');
    const rows: Row[] = [];
    // AFTERCARE_BENCH_FLEET_MODEL_DAYS=8: every station's health model as a server that had watched it
    // that long saved it, so the window measures the server as it runs for good, not its first hour.
    const modelDays = Number(process.env.AFTERCARE_BENCH_FLEET_MODEL_DAYS ?? 0);
    for (const stations of counts) {
      if (modelDays > 0 && postgres) {
        const ids = Array.from({ length: stations }, (_, i) => `s${i}`);
        await seedHealthModels({
          databaseUrl: postgres.url,
          site: `fleet${stations}`,
          stations: ids,
          days: modelDays,
        });
      }
      const row = await measureCount(stations, windowS, dir, broker, server, influx.url, influxdPid);
      rows.push(row);
      console.log(`  ${describeRow(row)}`);
    }
    const table = [
      `| stations | stored | missed polls in the window | newest reading age mean / max | CPU % of one core (${Object.keys(rows[0]?.cpu ?? {}).join(', ')} = all) | server RSS | edge poll plan |`,
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.stations} | ${fmt((100 * r.stored) / Math.max(1, r.polled), 2)}%${r.spooled ? ` (${r.spooled} waiting in the spool)` : ''} | ${r.missed}${r.deferred ? ` (+${r.deferred} deferred)` : ''}${r.startMissed ? `; ${r.startMissed} in the warm-up` : ''} | ${fmt(r.ageMeanS, 2)} / ${fmt(r.ageMaxS, 2)} s | ${cpuCell(r.cpu)} | ${fmt(r.serverRssMiB, 0)} MiB (heap ${fmt(r.serverHeapMiB, 0)}, external ${fmt(r.serverExternalMiB, 0)})${r.postgresMiB ? `; PostgreSQL ${fmt(r.postgresMiB, 0)} MiB` : ''} | ${planCell(r.polling)} |`,
      ),
    ];
    console.log(table.map((l) => `  ${l}`).join('\n'));
    const full = rows.filter((r) => r.stations <= 1000);
    const pass = full.every(
      (r) => r.stored + r.spooled >= r.polled && r.missed + r.deferred === 0 && sumCpu(r.cpu) < 160,
    );
    const largest = rows.at(-1)!;
    return {
      section: 'fleet',
      metric: `stations at a 1 s poll, every part on this machine (${counts.join(', ')})`,
      measured: `${largest.stations} stations: ${fmt((100 * largest.stored) / Math.max(1, largest.polled), 2)}% stored, ${largest.missed} missed, ${fmt(sumCpu(largest.cpu), 0)}% of one core in all`,
      reference: '',
      ratio: largest.stored / Math.max(1, largest.polled),
      target:
        'up to 1,000 stations: every polled reading stored or spooled, no missed polls, under 80% of the 2 cores in all; past that the stretch reported',
      pass,
      notes: [
        ...table,
        ...(modelDays > 0 && withPostgres
          ? [
              `every station's health model loaded as saved after ${modelDays} days of watching (bench/seed-health-models.ts)`,
            ]
          : []),
        `windows of ${windowS} s after 10 s warm-up; load average when the section started: ${fmt(load, 2)} (2 cores shared with other work: CPU figures are CPU time per process, not wall clock)`,
        `stored: telemetry messages in InfluxDB (supply lines of the site, counted once the count stopped growing after the edge stopped) over the readings the edge polled; "waiting in the spool": messages the stopped edge still held for its next run (not lost)`,
        `age: now minus the newest stored reading's source time per station, sampled every 5 s`,
        ...rows.map(
          (r) =>
            `${r.stations} stations: server RSS over the window ${fmt(r.serverRssGrowth.firstMiB, 0)} MiB (first sixth, median) -> ${fmt(r.serverRssGrowth.lastMiB, 0)} MiB (last sixth), ${fmt((100 * r.serverRssGrowth.lastMiB) / r.serverRssGrowth.firstMiB - 100, 1)}%, max ${fmt(r.serverRssGrowth.maxMiB, 0)} MiB`,
        ),
        ...rows.map(
          (r) =>
            `${r.stations} stations: CPU per 1,000 readings polled in the window ${fmt((sumCpu(r.cpu) * r.windowS * 1e4) / Math.max(1, r.windowPolls), 0)} ms (all processes; ${r.windowPolls} polls in ${fmt(r.windowS, 0)} s)`,
        ),
      ],
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `aftercare edge` (a bench worker, disk spool) polling every station of a fleet simulator. The
 * stations behind one gateway port share its connection (`tcp.shareConnection`), as an edge polls
 * a real gateway; AFTERCARE_BENCH_FLEET_SHARE=0 gives each station a connection of its own.
 */
export function startFleetEdge(
  sim: SimulatorWorkerInfo,
  options: { edgeId: string; site: string; mqttUrl: string; spoolDir: string },
): Promise<Worker<unknown>> {
  const shareConnection = process.env.AFTERCARE_BENCH_FLEET_SHARE !== '0';
  return startWorker(
    'edge',
    {
      edgeId: options.edgeId,
      site: options.site,
      mqtt: { url: options.mqttUrl },
      spool: { dir: options.spoolDir },
      stations: Object.keys(sim.ports).map((id) => ({
        id,
        profile: 'profiles/booster-3p-380.yaml',
        tcp: {
          host: '127.0.0.1',
          port: sim.ports[id]!,
          unitId: sim.unitIds[id]!,
          maxConcurrentRequests: SIMULATOR_CONCURRENT_REQUESTS,
          shareConnection,
        },
      })),
    },
    120_000,
  );
}

async function measureCount(
  stations: number,
  windowS: number,
  dir: string,
  broker: { url?: string; info: { url: string }; pid: number },
  server: ServerProcess,
  influxUrl: string,
  influxdPid: number | undefined,
): Promise<Row> {
  const site = `fleet${stations}`;
  const sim = await startWorker<SimulatorWorkerInfo>('simulator', {
    stations,
    unitsPerPort: 247,
    tickMs: 1000,
  });
  const edge = await startFleetEdge(sim.info, {
    edgeId: `bench-${site}`,
    site,
    mqttUrl: broker.info.url,
    spoolDir: join(dir, `spool-${stations}`),
  });
  try {
    await sleep(10_000);
    const pids: Record<string, number> = {
      sim: sim.pid,
      edge: edge.pid,
      broker: broker.pid,
      server: server.child.pid!,
      ...(influxdPid === undefined ? {} : { influxd: influxdPid }),
    };
    const cpu0 = await cpuOf(pids);
    const pg0 = await processesNamed('postgres');
    const atStart = await edge.call<EdgeStats>('stats');
    await Promise.all([edge.call('loopBusy'), sim.call('loopBusy')]);
    const t0 = performance.now();
    const ages: number[] = [];
    const rss: number[] = [];
    let maxAge = 0;
    while (performance.now() - t0 < windowS * 1000) {
      await sleep(5000);
      const sample = await newestAges(influxUrl, site).catch((error: unknown) => {
        console.log(`  age sample failed: ${(error as Error).message.split('\n')[0]}`);
        return [];
      });
      ages.push(...sample);
      for (const age of sample) maxAge = Math.max(maxAge, age);
      rss.push(await rssBytes(server.child.pid!));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = await cpuOf(pids);
    const pg1 = await processesNamed('postgres');
    const [edgeBusy, simBusy] = await Promise.all([
      edge.call<number>('loopBusy'),
      sim.call<number>('loopBusy'),
    ]);
    const cpu = Object.fromEntries(
      Object.keys(pids).map((k) => [k, (100 * (cpu1[k]! - cpu0[k]!)) / seconds]),
    ) as Record<string, number>;
    if (pg1.cpuSeconds > 0) cpu.postgres = (100 * (pg1.cpuSeconds - pg0.cpuSeconds)) / seconds;
    const serverRssMiB = (await rssBytes(server.child.pid!)) / 2 ** 20;
    const serverRssGrowth = rssGrowth(rss);
    const postgresMiB = pg1.pssBytes / 2 ** 20;
    const serverHeapMiB = (await server.metric('aftercare_nodejs_heap_size_used_bytes')) / 2 ** 20;
    const serverExternalMiB = (await server.metric('aftercare_nodejs_external_memory_bytes')) / 2 ** 20;
    const after = await edge.call<EdgeStats>('stats');
    await edge.stop();
    const settled = await settleStored(influxUrl, site);
    // What the stopped edge left for its next run: read from its closed spool (messages still waiting
    // for the spool when it stopped are written there on the way out, after the stats were taken).
    const spooled = await spoolEntries(join(dir, `spool-${stations}`));
    return {
      stations,
      polled: after.totals.cycles,
      stored: settled,
      spooled,
      windowPolls: after.totals.cycles - atStart.totals.cycles,
      windowS: seconds,
      missed: after.totals.missedCycles - atStart.totals.missedCycles,
      deferred: after.totals.deferredCycles - atStart.totals.deferredCycles,
      startMissed: atStart.totals.missedCycles + atStart.totals.deferredCycles,
      ageMeanS: ages.length ? ages.reduce((a, b) => a + b, 0) / ages.length / 1000 : Number.NaN,
      ageMaxS: maxAge / 1000,
      cpu,
      loopBusy: { edge: 100 * edgeBusy, sim: 100 * simBusy },
      serverRssMiB,
      serverRssGrowth,
      postgresMiB,
      serverHeapMiB,
      serverExternalMiB,
      polling: after.polling,
    };
  } finally {
    await edge.stop().catch(() => {});
    await sim.stop().catch(() => {});
  }
}

/** Messages stored for the site once InfluxDB stopped growing for 3 readings 2 s apart (at most 90 s). */
async function settleStored(url: string, site: string): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 45 && same < 3; i++) {
    const count = await storedMessages(url, site).catch(() => last);
    same = count === last ? same + 1 : 0;
    last = count;
    await sleep(2000);
  }
  return last;
}

async function storedMessages(url: string, site: string): Promise<number> {
  const [result] = await influxQuery({ url, database: 'aftercare', headers: {}, timeoutMs: 30_000 }, [
    `SELECT count("voltage_l1_q") FROM "supply" WHERE "site" = '${site}'`,
  ]);
  return Number(result?.series?.[0]?.values[0]?.[1] ?? 0);
}

function rssGrowth(samples: number[]): { firstMiB: number; lastMiB: number; maxMiB: number } {
  const sixth = Math.max(1, Math.floor(samples.length / 6));
  const mib = (xs: number[]) => (xs.length ? median(xs) / 2 ** 20 : Number.NaN);
  return {
    firstMiB: mib(samples.slice(0, sixth)),
    lastMiB: mib(samples.slice(-sixth)),
    maxMiB: samples.length ? Math.max(...samples) / 2 ** 20 : Number.NaN,
  };
}

async function spoolEntries(spoolDir: string): Promise<number> {
  const spool = new LevelSpool(spoolDir);
  try {
    return (await spool.open()).entries.length;
  } finally {
    await spool.close();
  }
}

/** Per station, ms since its newest stored reading. */
async function newestAges(url: string, site: string): Promise<number[]> {
  const [result] = await influxQuery({ url, database: 'aftercare', headers: {}, timeoutMs: 30_000 }, [
    `SELECT last("voltage_l1_q") FROM "supply" WHERE "site" = '${site}' AND time > now() - 10m GROUP BY "station"`,
  ]);
  const now = Date.now();
  // influxQuery asks for ms epochs: the time column is a number.
  return (result?.series ?? [])
    .map((s) => now - Number(s.values[0]?.[0]))
    .filter((age) => Number.isFinite(age));
}

async function cpuOf(pids: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(pids).map(async ([k, pid]) => [k, await cpuSeconds(pid)]));
  return Object.fromEntries(entries);
}

const sumCpu = (cpu: Record<string, number>) => Object.values(cpu).reduce((a, b) => a + b, 0);

function cpuCell(cpu: Record<string, number>): string {
  return `${Object.values(cpu)
    .map((v) => fmt(v, 0))
    .join(', ')} = ${fmt(sumCpu(cpu), 0)}`;
}

function planCell(polling: EdgeStats['polling']): string {
  if (!polling.stretched && polling.stretches === 0) return 'as planned';
  return Object.entries(polling.classes)
    .map(([c, k]) => `${c} ${k.plannedMs} -> ${k.targetMs} ms (read every ${k.actualMs ?? '?'} ms)`)
    .concat(`${polling.stretches} stretches, ${polling.recoveries} recoveries, ${polling.deferred} deferred`)
    .join('; ');
}

function describeRow(r: Row): string {
  return (
    `${r.stations} stations: polled ${r.polled}, stored ${r.stored}, missed ${r.missed}, deferred ${r.deferred} (warm-up ${r.startMissed}), ` +
    `age ${fmt(r.ageMeanS, 2)} / ${fmt(r.ageMaxS, 2)} s, CPU ${cpuCell(r.cpu)}, event loops busy edge ${fmt(r.loopBusy.edge, 0)}% sim ${fmt(r.loopBusy.sim, 0)}%, server ${fmt(r.serverRssMiB, 0)} MiB; plan: ${planCell(r.polling)}`
  );
}
