import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { curveRows } from '../../server/predictive/curve-window.ts';
import { hourCount, savedHours } from '../../server/predictive/hour-series.ts';
import { INDICATOR_SPECS } from '../../server/predictive/indicator-specs.ts';
import { predictTrack } from '../../server/predictive/indicator-track.ts';
import {
  HealthModelSnapshots,
  type SavedHealthModel,
  snapshotOf,
} from '../../server/predictive/model-snapshots.ts';
import { predictiveRoutes } from '../../server/predictive/predictive-routes.ts';
import { type HealthUpdate, PredictiveShell } from '../../server/predictive/predictive-shell.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { openPgliteStore, type PgliteStore } from '../../server/telemetry/pglite-store.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import type { StationState } from '../../simulators/model/station.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const START = Date.parse('2026-02-01T00:00:00Z');
const STEP_S = 300;
let now = START;
let layer: ServiceLayer;
let shell: PredictiveShell;
let series: PgliteStore;
const healthUpdates: HealthUpdate[] = [];

function telemetry(station: string, state: StationState, seq: number): Telemetry {
  const values: Telemetry['values'] = {};
  for (const [meaning, v] of Object.entries(readings(state))) values[meaning] = { v, q: 'good' };
  return {
    v: 1,
    site: 'demo',
    station,
    edge: 'edge-1',
    model: 'booster-3p-380',
    seq,
    ts: START + Math.round(state.time * 1000),
    state: 'ok',
    values,
  };
}

/** A shell as a restarted server makes it: on the same service database, nothing in memory. */
const restartedShell = () =>
  new PredictiveShell({
    tickets: layer.stores.tickets,
    assets: layer.stores.assets,
    events: layer.events,
    logger: silentLogger(),
    snapshots: new HealthModelSnapshots(layer.db),
  });

/** A station's first message to a restarted shell, a minute after the last one its model saw. */
function firstMessageAfter(station: string, lastAt: number): Telemetry {
  const state = createStationState({ seed: 12, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
  stepStation(state, 60);
  return { ...telemetry(station, state, 1), ts: lastAt + 60_000 };
}

let rest: RoleApi;
const api = (method: string, path: string, role: string | null, body?: unknown) =>
  rest.call(method, path, role, body);

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  series = await openPgliteStore();
  shell = new PredictiveShell({
    writeSeries: (points) => series.write(points),
    tickets: layer.stores.tickets,
    assets: layer.stores.assets,
    events: layer.events,
    logger: silentLogger(),
    onHealth: (update) => healthUpdates.push(update),
    snapshots: new HealthModelSnapshots(layer.db),
  });
  rest = await serveWithTestRoles([...layer.routers, predictiveRoutes(shell, () => now)]);
}, 180_000);

afterAll(async () => {
  await shell?.close();
  await rest?.close();
  await layer?.close();
  await series?.close();
});

describe('predictive shell on the service layer', () => {
  test('a wearing bearing opens exactly one predictive ticket with its evidence; a healthy pump none', async () => {
    const worn = createStationState({ seed: 11, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
    const healthy = createStationState({
      seed: 12,
      pumps: 3,
      nominalVoltage: 380,
      phases: 3,
      startTime: START,
    });
    injectFault(worn, { fault: 'bearing_wear', pump: 1, params: { weeks: 4 } });
    // 16 simulated days at one message per 5 minutes per station: the wear reaches the demo site's
    // zone D (group 2 rigid, 4.5 mm/s) around day 20.
    const steps = (16 * 86_400) / STEP_S;
    for (let i = 1; i <= steps; i++) {
      stepStation(worn, STEP_S);
      stepStation(healthy, STEP_S);
      now = START + Math.round(worn.time * 1000);
      void shell.onTelemetry(telemetry('st2', worn, i));
      void shell.onTelemetry(telemetry('st1', healthy, i));
      if (i % 200 === 0) await shell.idle();
    }
    await shell.idle();
    expect(shell.stats.failures).toBe(0);

    const tickets = await layer.stores.tickets.list({});
    const predictive = tickets.filter((t) => t.fault_class === 'predictive');
    expect(predictive).toHaveLength(1);
    const [ticket] = predictive;
    expect(ticket).toMatchObject({
      site: 'demo',
      station: 'st2',
      pump: 1,
      subject: 'pump[1].vibration',
      source: 'predictive',
      state: 'new',
    });
    expect(ticket!.occurrence_count).toBe(1);
    expect(ticket!.description).toMatch(
      /Bearing vibration .* predicted to cross 4.5 mm\/s .* in [\d.]+ days \(band/,
    );
    const events = await layer.stores.tickets.events(ticket!.id);
    const evidence = events.find((e) => e.action === 'evidence')?.data as Record<string, unknown>;
    expect(evidence).toMatchObject({ indicator: 'vibration', pump: 1, threshold: 4.5, model: 'exponential' });
    expect(evidence.daysToThreshold).toBeLessThanOrEqual(14);
    expect((evidence.bandDays as { low: number }).low).toBeGreaterThan(0);
    expect(tickets.filter((t) => t.station === 'st1')).toHaveLength(0);
    expect(healthUpdates.length).toBeGreaterThan(24 * 20);
  }, 240_000);

  test('indicators and health scores are kept as hourly time series in the telemetry store', async () => {
    await series.flush();
    const day = 86_400_000;
    const range = async (station: string, meaning: string) =>
      (await series.range({ site: 'demo', station, meaning, from: START, to: now, step: day })).map((row) =>
        Number(row.value),
      );
    const vibration = await range('st2', 'health.pump[1].vibration');
    // Learning takes the first days; from then one hourly median per hour, averaged per day here.
    expect(vibration.length).toBeGreaterThanOrEqual(12);
    expect(vibration.at(-1)!).toBeGreaterThan(vibration[0]! * 1.5);
    const hourly = await series.range({
      site: 'demo',
      station: 'st2',
      meaning: 'health.pump[1].vibration',
      from: now - day,
      to: now,
    });
    expect(hourly.length).toBeGreaterThanOrEqual(22);
    expect(new Set(hourly.map((row) => row.ts % 3_600_000))).toEqual(new Set([1_800_000]));
    const wornScore = await range('st2', 'health.score');
    const healthyScore = await range('st1', 'health.score');
    expect(wornScore.at(-1)!).toBeLessThan(60);
    expect(healthyScore.at(-1)!).toBeGreaterThan(wornScore.at(-1)!);
    expect((await range('st2', 'health.pump[1].score')).at(-1)!).toBe(wornScore.at(-1)!);
    expect(shell.stats.seriesPoints).toBeGreaterThan(24 * 20 * 2);
    // The series are the server's own: latest telemetry values do not include them.
    expect((await series.latest('demo', 'st2')).some((v) => v.meaning.startsWith('health.'))).toBe(false);
  });

  test('GET /api/health-scores: per station and pump with the driving indicator', async () => {
    expect((await api('GET', '/health-scores', null)).status).toBe(401);
    const { status, body } = await api('GET', '/health-scores', 'operator');
    expect(status).toBe(200);
    const st2 = body.stations.find((s: { station: string }) => s.station === 'st2');
    const st1 = body.stations.find((s: { station: string }) => s.station === 'st1');
    expect(st2.score).toBeLessThan(60);
    expect(st2.driver).toMatchObject({ indicator: 'vibration', pump: 1 });
    expect(st2.pumps.find((p: { pump: number }) => p.pump === 1).score).toBe(st2.score);
    expect(st1.score).toBeGreaterThan(st2.score);
  });

  test('GET /api/stations/:id/indicators: trend, crossing with band, or too little data', async () => {
    const { status, body } = await api('GET', '/stations/st2/indicators', 'operator');
    expect(status).toBe(200);
    const vibration = body.indicators.find((i: { key: string }) => i.key === 'pump[1].vibration');
    expect(vibration.zone).toMatch(/[BC]/);
    expect(vibration.prediction.status).toBe('degrading');
    expect(vibration.prediction.daysToThreshold).toBeGreaterThan(0);
    expect(vibration.prediction.bandDays.low).toBeLessThanOrEqual(vibration.prediction.daysToThreshold);
    expect(body.episodes.some((e: { indicator: string }) => e.indicator === 'vibration')).toBe(true);
    // The standby pump never ran: only its counters (run hours, starts), never a running indicator.
    const pump3 = body.indicators
      .filter((i: { pump: number | null }) => i.pump === 3)
      .map((i: { indicator: string }) => i.indicator);
    expect(pump3.sort()).toEqual(['run_hours_since_maintenance', 'starts_per_hour']);
    expect((await api('GET', '/stations/nope/indicators', 'operator')).status).toBe(404);
  });

  test('the maintenance that resolves the ticket makes the model relearn the indicator', async () => {
    const [ticket] = (await layer.stores.tickets.list({})).filter((t) => t.fault_class === 'predictive');
    expect(
      (
        await api('POST', `/tickets/${ticket!.id}/transitions`, 'service', {
          action: 'triage',
          mode: 'remote',
          department: 'after_sales',
        })
      ).status,
    ).toBe(200);
    const resolved = await api('POST', `/tickets/${ticket!.id}/transitions`, 'service', {
      action: 'resolve',
      workDone: 'replaced the drive-end bearing',
      rootCause: 'bearing_wear',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const track = shell.entry('demo', 'st2')!.model.tracks['pump[1].vibration'];
    expect(track).toMatchObject({ hours: { length: 0 }, prediction: null });
    expect(shell.entry('demo', 'st2')!.flagged.has('pump[1].vibration')).toBe(false);
    const { body } = await api('GET', '/stations/st2/indicators', 'operator');
    const vibration = body.indicators.find((i: { key: string }) => i.key === 'pump[1].vibration');
    expect(vibration.prediction.status).toBe('too_little_data');
  });

  test("the site's machine class sets the vibration zones of its health models as of its alarm rules", async () => {
    const indicator = async () =>
      (await api('GET', '/stations/st1/indicators', 'operator')).body.indicators.find(
        (i: { key: string }) => i.key === 'pump[1].vibration',
      );
    expect((await indicator()).prediction.threshold).toBe(4.5);
    const changed = await api('PUT', '/assets/sites/demo/thresholds', 'admin', {
      machineClass: 'group1_flexible',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    // A change of one setting keeps the others as stored.
    expect(changed.body.thresholds).toMatchObject({ machineClass: 'group1_flexible', nominalVoltage: 380 });
    await expect.poll(async () => (await indicator()).prediction.threshold, { timeout: 5000 }).toBe(11);
    expect(shell.entry('demo', 'st1')!.config.vibrationZones).toEqual({ ab: 3.5, bc: 7.1, cd: 11 });
    const refused = await api('PUT', '/assets/sites/demo/thresholds', 'admin', { machineClass: 'group3' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/machineClass/);
    const back = await api('PUT', '/assets/sites/demo/thresholds', 'admin', { machineClass: 'group2_rigid' });
    expect(back.status).toBe(200);
    await expect.poll(async () => (await indicator()).prediction.threshold, { timeout: 5000 }).toBe(4.5);
  });

  test('a restarted shell takes each station model saved at close and predicts on from it', async () => {
    const before = structuredClone(shell.entry('demo', 'st1')!.model);
    expect(before.tracks['pump[1].vibration']!.baseline.closed).toBe(true);
    const curveBefore = curveRows(shell.entry('demo', 'st1')!.curve.window);
    expect(curveBefore.length).toBeGreaterThan(20);
    await shell.close();
    expect(shell.stats.saved).toBe(2);
    // A predictive ticket standing open across the restart (here: opened by hand for st1's pump 2).
    await layer.stores.tickets.openOrAddOccurrence({
      site: 'demo',
      station: 'st1',
      pump: 2,
      faultClass: 'predictive',
      subject: 'pump[2].temperature_rise',
      title: 'Predictive maintenance: winding temperature rise (pump 2)',
      description: 'opened before the restart',
      severity: 'minor',
      at: now,
      reopenWindowMs: 0,
      source: 'predictive',
    });
    const restarted = restartedShell();
    try {
      await restarted.onTelemetry(firstMessageAfter('st1', before.lastAt!));
      expect(restarted.stats.restored).toBe(1);
      // The open predictive ticket is known at once: the restarted models add no occurrences to it.
      expect([...restarted.entry('demo', 'st1')!.flagged]).toEqual(['pump[2].temperature_rise']);
      const model = restarted.entry('demo', 'st1')!.model;
      const track = model.tracks['pump[1].vibration']!;
      // Baselines and anomaly state as they were; the hourly medians of the trend window (7 days + 1).
      expect(track.baseline).toEqual(before.tracks['pump[1].vibration']!.baseline);
      expect(savedHours(track.hours)).toEqual(snapshotOf(before, 8).tracks['pump[1].vibration']!.hours);
      expect(hourCount(track.hours)).toBeGreaterThanOrEqual(7 * 24);
      // In memory too the models keep the trend's window and a day of hours, not weeks more.
      expect(hourCount(before.tracks['pump[1].vibration']!.hours)).toBeLessThanOrEqual(8 * 24 + 1);
      expect(model.lastAt).toBe(before.lastAt! + 60_000);
      // Enough data to predict at once: no 48 hours of "too little data" after a restart.
      const entry = restarted.entry('demo', 'st1')!;
      const prediction = predictTrack(track, INDICATOR_SPECS.vibration, model.lastAt!, entry.config);
      expect(prediction?.status).toBe('stable');
      expect(prediction?.points).toBeGreaterThanOrEqual(48);
      // The live curve's minutes of the last four hours come back as saved (to a float's digits),
      // so the curve models judge on at once instead of learning for 40 minutes.
      const restored = curveRows(entry.curve.window);
      const kept = curveBefore.filter((row) => row.at > model.lastAt! - 240 * 60_000);
      expect(kept.length).toBeGreaterThan(0);
      expect(restored.map((row) => row.at)).toEqual(kept.map((row) => row.at));
      expect(restored.map((row) => row.running)).toEqual(kept.map((row) => row.running));
      expect(restored.map((row) => Object.keys(row.values).sort())).toEqual(
        kept.map((row) => Object.keys(row.values).sort()),
      );
      for (const [i, row] of restored.entries())
        for (const [name, v] of Object.entries(row.values)) expect(v).toBeCloseTo(kept[i]!.values[name]!, 3);
    } finally {
      await restarted.close();
    }
  });

  test('a saved curve that cannot be read is counted and learnt anew; the model is restored', async () => {
    const row = await layer.db
      .selectFrom('health_models')
      .select('model')
      .where('station', '=', 'st2')
      .executeTakeFirstOrThrow();
    const saved = row.model as SavedHealthModel;
    expect(saved.curve?.window.minutes.length).toBeGreaterThan(0);
    // A column shorter than the minutes: not a window.
    const broken = { ...saved, curve: { ...saved.curve!, window: { ...saved.curve!.window, running: [1] } } };
    await layer.db
      .updateTable('health_models')
      .set({ model: JSON.stringify(broken) })
      .where('station', '=', 'st2')
      .execute();
    const restarted = restartedShell();
    try {
      await restarted.onTelemetry(firstMessageAfter('st2', saved.lastAt!));
      expect(restarted.stats.restored).toBe(1);
      expect(restarted.stats.curvesRefused).toBe(1);
      expect(restarted.entry('demo', 'st2')!.curve.window.length).toBe(0);
      expect(restarted.entry('demo', 'st2')!.model.lastAt).toBe(saved.lastAt! + 60_000);
    } finally {
      await restarted.close();
    }
  });
});
