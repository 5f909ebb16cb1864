// The first hour's close after a restart, in one process: N station models at their full 8 days,
// read from one saved snapshot (as the server reads them from PostgreSQL), fed a message each second
// for the hour's last minute, then the message that closes it, with the health score and hourly
// values the server writes. Prints the close's time, the heap and typed arrays' buffers around it and
// the resident memory after it, against a minute of messages without a close.
//   node --expose-gc bin/run-ts.js bench/tools/hour-close-probe.ts [stations, 1000]
import { DEFAULT_PREDICTIVE_CONFIG as config } from '../../server/predictive/config.ts';
import { snapshotOf } from '../../server/predictive/model-snapshots.ts';
import {
  feedStation,
  hourlyValues,
  stationHealth,
  upgradeStationModel,
} from '../../server/predictive/station-model.ts';
import { modelWatchedFor } from '../seed-health-models.ts';

const HOUR = 3_600_000;
const stations = Number(process.argv[2] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc!;
const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

const closesAt = Math.floor(Date.now() / HOUR) * HOUR;
const end = closesAt - 60_000;
const { model: seed, readings } = modelWatchedFor(8, end);
const json = JSON.stringify(snapshotOf(seed, config.keepDays));
const models = Array.from({ length: stations }, () => upgradeStationModel(JSON.parse(json)));

const t0 = performance.now();
for (let s = 1; s < 60; s++) for (const model of models) feedStation(model, end + s * 1000, readings, config);
const minuteMs = performance.now() - t0;
gc();
gc();
const before = process.memoryUsage();
const t1 = performance.now();
let points = 0;
for (const model of models) {
  const change = feedStation(model, closesAt, readings, config);
  if (change.hourClosed && change.closedHourStart !== null)
    points += hourlyValues(model, change.closedHourStart, stationHealth(model, config)).length;
}
const closeMs = performance.now() - t1;
const during = process.memoryUsage();
gc();
gc();
const after = process.memoryUsage();
console.log(
  `${stations} stations (a snapshot of ${json.length} bytes each): the hour's close ${closeMs.toFixed(0)} ms ` +
    `(${points} hourly values), against ${(minuteMs / 59).toFixed(0)} ms for a message each without a close`,
);
console.log(
  `heap used ${mib(before.heapUsed)} -> ${mib(during.heapUsed)} -> ${mib(after.heapUsed)} MiB after a full GC; ` +
    `typed arrays' buffers ${mib(before.arrayBuffers)} -> ${mib(during.arrayBuffers)} -> ${mib(after.arrayBuffers)}; ` +
    `RSS ${mib(before.rss)} -> ${mib(after.rss)} MiB`,
);
