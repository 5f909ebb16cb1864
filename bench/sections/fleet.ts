import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EdgeStats } from '../../edge/index.ts';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { startInfluxDb } from '../../test/support/influxdb.ts';
import { childPidsNamed, cpuSeconds, rssBytes, startWorker } from '../child.ts';
import type { BenchContext } from '../options.ts';
import { sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { startServerProcess } from '../server-process.ts';
import { fmt } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

/** Station counts of the table; AFTERCARE_BENCH_FLEET=100,250 runs only those. */
const DEFAULT_COUNTS = [100, 250, 500, 1000, 2000];

interface Row {
  stations: number;
  polled: number;
  stored: number;
  spooled: number;
  missed: number;
  deferred: number;
  ageMeanS: number;
  ageMaxS: number;
  cpu: Record<string, number>;
  serverRssMiB: number;
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
  const influx = await startInfluxDb();
  const cleanups: Array<() => Promise<void>> = [() => influx.stop()];
  const load = loadavg()[0]!;
  try {
    const broker = await startWorker<{ url: string }>('broker', {});
    cleanups.unshift(() => broker.stop());
    const server = await startServerProcess({
      mqttUrl: broker.info.url,
      influxUrl: influx.url,
      dataDir: dir,
    });
    cleanups.unshift(() => server.stop());
    const [influxdPid] = await childPidsNamed('influxd');
    const rows: Row[] = [];
    for (const stations of counts) {
      const row = await measureCount(stations, windowS, dir, broker, server, influx.url, influxdPid);
      rows.push(row);
      console.log(`  ${describeRow(row)}`);
    }
    const table = [
      '| stations | stored | missed polls | newest reading age mean / max | CPU % of one core (sim, edge, broker, server, influxd = all) | server RSS | edge poll plan |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.stations} | ${fmt((100 * r.stored) / Math.max(1, r.polled), 2)}%${r.spooled ? ` (${r.spooled} waiting in the spool)` : ''} | ${r.missed}${r.deferred ? ` (+${r.deferred} deferred)` : ''} | ${fmt(r.ageMeanS, 2)} / ${fmt(r.ageMaxS, 2)} s | ${cpuCell(r.cpu)} | ${fmt(r.serverRssMiB, 0)} MiB | ${planCell(r.polling)} |`,
      ),
    ];
    console.log(table.map((l) => `  ${l}`).join('\n'));
    const full = rows.filter((r) => r.stations <= 1000);
    const pass = full.every((r) => r.stored + r.spooled >= r.polled && r.missed === 0);
    const largest = rows.at(-1)!;
    return {
      section: 'fleet',
      metric: `stations at a 1 s poll, every part on this machine (${counts.join(', ')})`,
      measured: `${largest.stations} stations: ${fmt((100 * largest.stored) / Math.max(1, largest.polled), 2)}% stored, ${largest.missed} missed, ${fmt(sumCpu(largest.cpu), 0)}% of one core in all`,
      reference: '',
      ratio: largest.stored / Math.max(1, largest.polled),
      target:
        'up to 1,000 stations: every polled reading stored or spooled, no missed polls; past that the stretch reported',
      pass,
      notes: [
        ...table,
        `windows of ${windowS} s after 10 s warm-up; load average when the section started: ${fmt(load, 2)} (2 cores shared with other work: CPU figures are CPU time per process, not wall clock)`,
        `stored: telemetry messages in InfluxDB (supply lines of the site, counted once the count stopped growing after the edge stopped) over the readings the edge polled; "waiting in the spool": messages the stopped edge still held for its next run (not lost)`,
        `age: now minus the newest stored reading's source time per station, sampled every 5 s`,
        ...rows.map(
          (r) =>
            `${r.stations} stations: CPU per 1,000 stored readings ${fmt((sumCpu(r.cpu) * 10 * windowS * 1000) / Math.max(1, r.stored), 0)} ms (all processes)`,
        ),
      ],
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureCount(
  stations: number,
  windowS: number,
  dir: string,
  broker: { url?: string; info: { url: string }; pid: number },
  server: { child: { pid?: number }; url: string },
  influxUrl: string,
  influxdPid: number | undefined,
): Promise<Row> {
  const site = `fleet${stations}`;
  const sim = await startWorker<SimulatorWorkerInfo>('simulator', {
    stations,
    unitsPerPort: 247,
    tickMs: 1000,
  });
  const edge = await startWorker(
    'edge',
    {
      edgeId: `bench-${site}`,
      site,
      mqtt: { url: broker.info.url },
      spool: { dir: join(dir, `spool-${stations}`) },
      stations: Object.keys(sim.info.ports).map((id) => ({
        id,
        profile: 'profiles/booster-3p-380.yaml',
        tcp: { host: '127.0.0.1', port: sim.info.ports[id]!, unitId: sim.info.unitIds[id]! },
      })),
    },
    120_000,
  );
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
    const t0 = performance.now();
    const ages: number[] = [];
    let maxAge = 0;
    while (performance.now() - t0 < windowS * 1000) {
      await sleep(5000);
      const sample = await newestAges(influxUrl, site).catch((error: unknown) => {
        console.log(`  age sample failed: ${(error as Error).message.split('\n')[0]}`);
        return [];
      });
      ages.push(...sample);
      for (const age of sample) maxAge = Math.max(maxAge, age);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = await cpuOf(pids);
    const cpu = Object.fromEntries(
      Object.keys(pids).map((k) => [k, (100 * (cpu1[k]! - cpu0[k]!)) / seconds]),
    ) as Record<string, number>;
    const serverRssMiB = (await rssBytes(server.child.pid!)) / 2 ** 20;
    const before = await edge.call<EdgeStats>('stats');
    const after = await edge.call<EdgeStats>('stats').catch(() => before);
    await edge.stop();
    const settled = await settleStored(influxUrl, site);
    return {
      stations,
      polled: after.totals.cycles,
      stored: settled,
      spooled: after.mqtt.spool.entries,
      missed: after.totals.missedCycles,
      deferred: after.totals.deferredCycles,
      ageMeanS: ages.length ? ages.reduce((a, b) => a + b, 0) / ages.length / 1000 : Number.NaN,
      ageMaxS: maxAge / 1000,
      cpu,
      serverRssMiB,
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
    `${r.stations} stations: polled ${r.polled}, stored ${r.stored}, missed ${r.missed}, deferred ${r.deferred}, ` +
    `age ${fmt(r.ageMeanS, 2)} / ${fmt(r.ageMaxS, 2)} s, CPU ${cpuCell(r.cpu)}, server ${fmt(r.serverRssMiB, 0)} MiB; plan: ${planCell(r.polling)}`
  );
}
