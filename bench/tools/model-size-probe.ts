// The heap one station's health model holds as it learns: N models fed a simulated station's readings
// once a minute (the models' own sample spacing) for D simulated days, measured after a full GC at
// 1, 2, 3, 6, 24, 72, 96 and 192 hours (the heap and typed arrays' buffers). Optionally a heap snapshot
// at the end.
//   node --expose-gc bin/run-ts.js bench/tools/model-size-probe.ts [models, 50] [days, 8] [snapshot file]
// The live curve's window (live-curve.ts, ~21 KiB a station when full) is not part of the model.
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { DEFAULT_PREDICTIVE_CONFIG } from '../../server/predictive/config.ts';
import { hourCount } from '../../server/predictive/hour-series.ts';
import { feedStation, newStationModel } from '../../server/predictive/station-model.ts';
import { StationRuntime } from '../../simulators/station-runtime.ts';

const N = Number(process.argv[2] ?? 50);
const days = Number(process.argv[3] ?? 8);
const gc = (globalThis as { gc?: () => void }).gc!;
const profile = loadProfile('profiles/booster-3p-380.yaml');
const start = Date.now() - (days + 1) * 86_400_000;
const rt = new StationRuntime({
  id: 'm',
  profile,
  seed: 3,
  startTime: start,
  utcOffsetMinutes: 480,
  logger: silentLogger(),
});
gc();
// Typed arrays' contents live outside the JS heap: counted with it.
const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const base = used();
const models = Array.from({ length: N }, () => newStationModel());
const marks = new Set([1, 2, 3, 6, 24, 72, 96, 192].map((h) => h * 60));
for (let minute = 1; minute <= days * 1440; minute++) {
  rt.advance(60);
  const readings: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(rt.readings()))
    if (typeof v === 'number' || typeof v === 'boolean') readings[k] = v;
  const at = start + minute * 60_000;
  for (const m of models) feedStation(m, at, readings, DEFAULT_PREDICTIVE_CONFIG);
  if (marks.has(minute)) {
    gc();
    const per = (used() - base) / N;
    const m = models[0]!;
    const tracks = Object.keys(m.tracks).length;
    const samples = Object.values(m.tracks).reduce(
      (a, t) => a + Object.values(t.baseline.bands).reduce((b, band) => b + band.samples.length, 0),
      0,
    );
    const hours = Object.values(m.tracks).reduce((a, t) => a + hourCount(t.hours), 0);
    console.log(
      `${minute / 60} h: ${(per / 1024).toFixed(1)} KiB a station; ${tracks} tracks, ${samples} baseline samples, ${hours} hourly points`,
    );
  }
}
if (process.argv[4]) {
  const { writeHeapSnapshot } = await import('node:v8');
  console.log(writeHeapSnapshot(process.argv[4]));
  console.log(JSON.stringify(models[0]).length, 'bytes of JSON a model');
}
