// What InfluxDB 1.6 spends on the lines the server writes, at the fleet's rate: N stations' messages
// of the reference profile a second (as the server's group commit sends them, 50 ms apart), written
// for S seconds in alternating rounds of two shapes into databases of their own:
//   `schema`: the lines as stored now (each value beside its `<field>_q` quality string)
//   `values`: the same lines without the quality fields (what a flow that keeps no quality writes)
//   node bin/run-ts.js bench/tools/influx-field-cost.ts [stations=1000] [seconds=60] [rounds=2]
// It prints influxd's CPU per 1,000 messages for each round and the ratio of the medians.
import { execFileSync } from 'node:child_process';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { writeLinesNow } from '../../server/telemetry/influx-direct-write.ts';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { linesFromPoints } from '../../server/telemetry/line-protocol.ts';
import { pointsFromTelemetry } from '../../server/telemetry/point-mapping.ts';
import { DEFAULT_PROFILE } from '../../simulators/config.ts';
import { startInfluxDb } from '../../test/support/influxdb.ts';
import { cpuSeconds } from '../child.ts';
import { sleep } from '../options.ts';
import { median } from '../stats.ts';

const [stations = 1000, seconds = 60, rounds = 2] = process.argv.slice(2).map(Number);
const profile = loadProfile(DEFAULT_PROFILE);
const influx = await startInfluxDb();
const influxdPid = Number(execFileSync('pgrep', ['-n', 'influxd'], { encoding: 'utf8' }).trim());

/** One message's lines: the values drift a little per second, as a station's readings do. */
function linesOf(station: number, ts: number, withQuality: boolean): string[] {
  const message: Telemetry = {
    v: 1,
    site: 'cost',
    station: `s${station}`,
    edge: 'bench',
    model: profile.model,
    seq: ts,
    ts,
    state: 'ok',
    values: Object.fromEntries(
      profile.tags.map((tag, i) => [
        tag.meaning,
        {
          v:
            tag.type === 'bool'
              ? false
              : Math.round((100 + i + Math.sin(ts / 7000 + station) * 5) * 100) / 100,
          q: 'good' as const,
        },
      ]),
    ),
  };
  const lines = linesFromPoints(pointsFromTelemetry(message).points);
  return withQuality
    ? lines
    : lines.map((line) => line.replace(/,?[^,= ]+_q="[^"]*"/g, '').replace(/ ,/, ' '));
}

async function round(database: string, withQuality: boolean): Promise<number> {
  const target = { url: influx.url, writeApi: 'v1' as const, headers: {}, org: '', bucket: database };
  await influxQuery({ url: influx.url, database, headers: {} }, [`CREATE DATABASE "${database}"`]);
  const batchesPerSecond = 20;
  const perBatch = Math.ceil(stations / batchesPerSecond);
  const startSecond = Math.floor(Date.now() / 1000) * 1000 - seconds * 1000;
  const cpu0 = await cpuSeconds(influxdPid);
  const wall0 = performance.now();
  for (let s = 0; s < seconds; s++) {
    const ts = startSecond + s * 1000;
    for (let b = 0; b < batchesPerSecond; b++) {
      const due = wall0 + s * 1000 + b * (1000 / batchesPerSecond);
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const lines: string[] = [];
      for (let k = b * perBatch; k < Math.min(stations, (b + 1) * perBatch); k++)
        lines.push(...linesOf(k, ts, withQuality));
      await writeLinesNow(target, lines);
    }
  }
  // What influxd does with a second's writes (the WAL's fsync, the cache's snapshot) lags them.
  await sleep(2000);
  return ((await cpuSeconds(influxdPid)) - cpu0) / ((stations * seconds) / 1000);
}

try {
  const sample = linesOf(0, Date.now(), true);
  const bare = linesOf(0, Date.now(), false);
  console.log(
    `a message: ${sample.length} lines, ${sample.join('\n').length} bytes with quality, ${bare.join('\n').length} without`,
  );
  const costs: Record<'schema' | 'values', number[]> = { schema: [], values: [] };
  for (let r = 0; r < rounds; r++) {
    for (const shape of r % 2 === 0 ? (['schema', 'values'] as const) : (['values', 'schema'] as const)) {
      const ms = await round(`cost_${shape}_${r}`, shape === 'schema');
      costs[shape].push(ms * 1000);
      console.log(`round ${r + 1} ${shape}: influxd ${(ms * 1000).toFixed(0)} ms CPU per 1,000 messages`);
    }
  }
  const schema = median(costs.schema);
  const values = median(costs.values);
  console.log(
    `median: schema ${schema.toFixed(0)} ms, values only ${values.toFixed(0)} ms per 1,000 messages; ratio ${(schema / values).toFixed(2)}`,
  );
} finally {
  await influx.stop();
}
