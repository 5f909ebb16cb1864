import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { type InfluxStore, openInfluxStore } from '../../server/telemetry/influx-store.ts';
import { type RunningVictoriaMetrics, startVictoriaMetrics } from '../support/victoria-metrics.ts';

// Debian has no InfluxDB 2.x; victoria-metrics is a real server that speaks its /api/v2/write.
let vm: RunningVictoriaMetrics;
let store: InfluxStore;
// Dated an hour ago, whole seconds: VictoriaMetrics drops points older than its retention (one month
// by default), so a fixed date would fail once the calendar passed it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

beforeAll(async () => {
  vm = await startVictoriaMetrics();
  store = await openInfluxStore({
    url: vm.url,
    token: 'test-token',
    org: 'aftercare',
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await store?.close();
  await vm?.stop();
});

describe('InfluxDB v2 write path', () => {
  test('a server that reports no 1.x version is written through /api/v2/write', () => {
    expect(store.info.writeApi).toBe('v2');
  });

  test('points arrive with their tags, typed fields and source timestamps', async () => {
    store.write([
      {
        site: 'plant-v2',
        station: 'st9',
        meaning: 'pump[2].bearing_vibration',
        ts: T0,
        value: 2.75,
        q: 'good',
      },
      { site: 'plant-v2', station: 'st9', meaning: 'pump[2].running', ts: T0, value: true, q: 'good' },
      { site: 'plant-v2', station: 'st9', meaning: 'pressure.outlet', ts: T0 + 1000, value: 4.02, q: 'good' },
    ]);
    await store.flush();
    const series = await vm.exportSeries('(pump|station)_.*');
    const byName = new Map(series.map((s) => [s.metric.__name__, s]));
    expect(byName.get('pump_bearing_vibration')).toMatchObject({
      metric: { site: 'plant-v2', station: 'st9', pump: '2' },
      values: [2.75],
      timestamps: [T0],
    });
    // A boolean field arrives as 1.
    expect(byName.get('pump_running')).toMatchObject({ values: [1], timestamps: [T0] });
    expect(byName.get('station_pressure_outlet')).toMatchObject({
      metric: { site: 'plant-v2', station: 'st9' },
      values: [4.02],
      timestamps: [T0 + 1000],
    });
  });
});
