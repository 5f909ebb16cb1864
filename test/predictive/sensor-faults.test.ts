import { describe, expect, test } from 'vitest';
import { healthSentence } from '../../dashboards/app/i18n/health-text.ts';
import { analyzeReadings } from '../../server/predictive/offline-analysis.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-04-01T09:00:00Z');
const MIN = 60_000;
type Row = { at: number; values: Record<string, number> };

const analyze = (rows: Row[]) =>
  analyzeReadings({
    timeColumn: 'time',
    columns: Object.keys(rows[0]!.values),
    rows,
    droppedRows: 0,
    droppedCells: 0,
  });

/** A one-pump booster at 1 s, exported by meaning, with a fault from `faultAt` minutes on. */
function booster(
  seed: number,
  minutes: number,
  fault?: { at: number; name: string; params: Record<string, number | string> },
) {
  const state = createStationState({ seed, pumps: 1, nominalVoltage: 380, phases: 3, startTime: START });
  const rows: Row[] = [];
  for (let s = 0; s < minutes * 60; s++) {
    if (fault && s === fault.at * 60) injectFault(state, { fault: fault.name, params: fault.params });
    stepStation(state, 1);
    const r = readings(state);
    const values: Record<string, number> = {};
    for (const k of [
      'pressure.outlet',
      'pressure.inlet',
      'flow.rate',
      'pump[1].power',
      'pump[1].frequency',
      'pump[1].current_l1',
      'pump[1].winding_temperature',
      'pump[1].bearing_temperature',
      'insulation.resistance',
    ]) {
      const v = r[k];
      if (typeof v === 'number') values[k] = v;
    }
    rows.push({ at: START + state.time * 1000, values });
  }
  return rows;
}

/** Deterministic noise in [-1, 1]. */
const noise = (i: number, salt: number) =>
  Math.sin(i * 12.9898 + salt * 78.233) * 0.5 + Math.sin(i * 4.1414 + salt) * 0.5;

describe('temperatures that follow the load', () => {
  test('a winding warming and cooling with the load over half an hour is not flagged', () => {
    const rows: Row[] = [];
    let winding = 70;
    for (let i = 0; i < 1800; i++) {
      // The demand falls a quarter over the second half and comes back: the winding follows with its lag.
      const load = 1 - 0.25 * Math.max(0, Math.sin(((i - 900) / 900) * Math.PI));
      const power = 8 * load;
      winding += (25 + 45 * load * load - winding) / 600;
      rows.push({
        at: START + i * 1000,
        values: {
          'flow.rate': 40 * load + 0.4 * noise(i, 1),
          'pump[1].power': power + 0.05 * noise(i, 2),
          'pump[1].winding_temperature': winding + 0.1 * noise(i, 3),
          'pump[1].bearing_temperature': 25 + 1.1 * power + 0.2 * noise(i, 4),
        },
      });
    }
    const out = analyze(rows);
    expect(
      rows[1799]!.values['pump[1].winding_temperature']! - rows[900]!.values['pump[1].winding_temperature']!,
    ).toBeLessThan(-3);
    expect(out.episodes.filter((e) => e.indicator.includes('temperature'))).toEqual([]);
  });

  test('healthy booster runs (a drive at its top speed, the pressure regaining its set point) raise nothing', () => {
    for (const seed of [1001, 1009, 1020])
      expect(analyze(booster(seed, 30)).episodes, `seed ${seed}`).toEqual([]);
  });

  test('a winding heating with no load behind it is still flagged', () => {
    const rows = booster(1001, 30).map((r, i) => ({
      at: r.at,
      values: {
        ...r.values,
        'pump[1].winding_temperature': r.values['pump[1].winding_temperature']! + (i > 900 ? 8 : 0),
      },
    }));
    const out = analyze(rows);
    expect(
      out.episodes.some((e) => e.indicator === 'pump[1].winding_temperature' && e.direction === 'high'),
    ).toBe(true);
  });
});

describe('sensor faults', () => {
  test('a flow sensor frozen while power and speed move is a stuck sensor', () => {
    for (const seed of [2, 5]) {
      const out = analyze(
        booster(seed, 30, { at: 15, name: 'sensor_stuck', params: { meaning: 'flow.rate' } }),
      );
      const stuck = out.episodes.filter((e) => e.sensor === 'stuck');
      expect(stuck.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(stuck.every((e) => e.indicator === 'flow.rate' && Date.parse(e.start) >= START + 15 * MIN)).toBe(
        true,
      );
      const x = out.explanations.find((e) => e.code === 'health.explain.sensorStuck');
      expect(x?.params.column).toBe('flow.rate');
      expect(x?.columns).toEqual(['flow.rate']);
    }
  });

  test('an outlet pressure spiking for single samples while the rest holds is a spiking sensor', () => {
    for (const seed of [2, 5]) {
      const rows = booster(seed, 30, {
        at: 15,
        name: 'sensor_spike',
        params: { meaning: 'pressure.outlet', perHour: 30, size: 0.5 },
      });
      const out = analyze(rows);
      const spikes = out.episodes.filter((e) => e.sensor === 'spike');
      expect(spikes.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(
        spikes.every((e) => e.indicator === 'pressure.outlet' && Date.parse(e.start) >= START + 15 * MIN),
      ).toBe(true);
      const x = out.explanations.find((e) => e.code === 'health.explain.sensorSpike');
      expect(x?.params).toMatchObject({ column: 'pressure.outlet' });
      expect(Number(x?.params.count)).toBeGreaterThanOrEqual(3);
    }
  });

  test('the explanations read in both languages', () => {
    expect(
      healthSentence('zh-CN', 'health.explain.sensorStuck', {
        column: 'flow.rate',
        value: 41.2,
        minutes: 15,
      }),
    ).toBe('flow.rate 停在 41.2 不变已有 15 分钟，而与之相关的读数仍在变化：传感器或其信号卡滞');
    expect(
      healthSentence('en', 'health.explain.sensorSpike', { column: 'pressure.outlet', count: 7 }),
    ).toMatch(/^pressure\.outlet jumped 7 times for single samples/);
    expect(
      healthSentence('zh-CN', 'health.explain.sensorSpike', { column: 'pressure.outlet', count: 7 }),
    ).toMatch(/pressure\.outlet 出现 7 次单点跳变/);
  });
});
