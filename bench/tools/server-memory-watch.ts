// Drives `aftercare server` (PostgreSQL, influxd, the project broker) with N stations of telemetry at
// 1 Hz and prints its memory every 30 s, to find what grows:
//   node bin/run-ts.js bench/tools/server-memory-watch.ts <stations> <minutes> [snapshot minutes, e.g. 5,25] [fleet]
// The telemetry comes from a synthetic publisher (random analog values), or with `fleet` from the
// fleet simulator polled by `aftercare edge`, as the bench's fleet section runs them.
// Heap snapshots (SIGUSR2) go to --diagnostic-dir: run with
//   BENCH_SERVER_NODE_FLAGS='--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/snap'.
// With --trace-gc in those flags it prints the heap the last full collection left (the live heap's
// trend) and the collections of each 30 s with their pauses.
// With AFTERCARE_BENCH_MODEL_DAYS=8 (fleet only) every station's health model starts as a server that
// had watched it 8 days saved it (bench/seed-health-models.ts): the server as it runs for good.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfluxDb } from '../../test/support/influxdb.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { ensureSystemPackages } from '../../test/support/system-packages.ts';
import { startWorker, type Worker } from '../child.ts';
import { sleep } from '../options.ts';
import { startFleetEdge } from '../sections/fleet.ts';
import { seedHealthModels } from '../seed-health-models.ts';
import { startServerProcess } from '../server-process.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

const [stationsArg = '1000', minutesArg = '20', snapshotsArg = '', source = 'synthetic'] =
  process.argv.slice(2);
const stations = Number(stationsArg);
const minutes = Number(minutesArg);
const snapshotAt = snapshotsArg.split(',').filter(Boolean).map(Number);

ensureSystemPackages();
const dir = await mkdtemp(join(tmpdir(), 'aftercare-memory-watch-'));
const influx = await startInfluxDb();
const postgres = await startPostgres();
const broker = await startWorker<{ url: string }>('broker', {});
const server = await startServerProcess({
  mqttUrl: broker.info.url,
  influxUrl: influx.url,
  dataDir: dir,
  databaseUrl: postgres.url,
});
const modelDays = Number(process.env.AFTERCARE_BENCH_MODEL_DAYS ?? 0);
if (modelDays > 0 && source === 'fleet') {
  const ids = Array.from({ length: stations }, (_, i) => `s${i}`);
  const { bytes } = await seedHealthModels({
    databaseUrl: postgres.url,
    site: 'watch',
    stations: ids,
    days: modelDays,
  });
  console.log(
    `${stations} health models of ${modelDays} days saved (${(bytes / 1024).toFixed(0)} KiB of JSON each)`,
  );
}
let lastMarkCompact = '';
// Collections since the last line printed: count and pause ms, full and young.
const gcs = { full: 0, fullMs: 0, young: 0, youngMs: 0 };
server.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
  // e.g. "[123:0x...]  61234 ms: Mark-Compact 180.2 (210.5) -> 120.3 (205.1) MB, 42.15 / 0.01 ms ..."
  for (const match of chunk.matchAll(
    /(Mark-Compact|Scavenge)(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB,(?: pooled: [\d.]+ MB,)? ([\d.]+) \//g,
  )) {
    const ms = Number(match[4]);
    if (match[1] === 'Scavenge') {
      gcs.young++;
      gcs.youngMs += ms;
    } else {
      gcs.full++;
      gcs.fullMs += ms;
      lastMarkCompact = `${match[2]} of ${match[3]}`;
    }
  }
});
const workers =
  source === 'fleet'
    ? await startFleet(broker.info.url)
    : [
        await startWorker('telemetry-load', {
          url: broker.info.url,
          site: 'watch',
          stations,
          rate: stations,
        }),
      ];
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const gauges = {
  rss: 'aftercare_process_resident_memory_bytes',
  heapUsed: 'aftercare_nodejs_heap_size_used_bytes',
  heapTotal: 'aftercare_nodejs_heap_size_total_bytes',
  external: 'aftercare_nodejs_external_memory_bytes',
  backlog: 'aftercare_ingest_evaluation_backlog',
  // Messages taken but not yet acknowledged, and points waiting for the store: a slower store
  // (influxd compacting) holds more of them in memory.
  inFlight: 'aftercare_ingest_in_flight',
  storeQueue: 'aftercare_store_queue_depth',
};
const start = Date.now();
const taken = new Set<number>();
try {
  while (Date.now() - start < minutes * 60_000) {
    await sleep(30_000);
    const elapsed = (Date.now() - start) / 60_000;
    const row: string[] = [`${elapsed.toFixed(1)} min`];
    for (const [label, name] of Object.entries(gauges)) {
      const value = await server.metric(name);
      const count = label === 'backlog' || label === 'inFlight' || label === 'storeQueue';
      row.push(`${label} ${count ? value : mib(value)}`);
    }
    if (lastMarkCompact) {
      row.push(`after last full GC ${lastMarkCompact} MB`);
      row.push(
        `GC ${gcs.full} full ${gcs.fullMs.toFixed(0)} ms, ${gcs.young} young ${gcs.youngMs.toFixed(0)} ms`,
      );
      Object.assign(gcs, { full: 0, fullMs: 0, young: 0, youngMs: 0 });
    }
    console.log(row.join('  '));
    for (const at of snapshotAt) {
      if (elapsed >= at && !taken.has(at)) {
        taken.add(at);
        server.child.kill('SIGUSR2');
        console.log(`heap snapshot asked at ${elapsed.toFixed(1)} min`);
      }
    }
  }
} finally {
  for (const worker of workers.reverse()) await worker.stop();
  await server.stop();
  await broker.stop();
  await postgres.stop();
  await influx.stop();
  await rm(dir, { recursive: true, force: true });
}

async function startFleet(mqttUrl: string): Promise<Worker<unknown>[]> {
  const sim = await startWorker<SimulatorWorkerInfo>('simulator', {
    stations,
    unitsPerPort: 247,
    tickMs: 1000,
  });
  const edge = await startFleetEdge(sim.info, {
    edgeId: 'watch-edge',
    site: 'watch',
    mqttUrl,
    spoolDir: join(dir, 'spool'),
  });
  return [sim, edge];
}
