import { describe, expect, test } from 'vitest';
import { curveHead, curveNpshr, curvePower } from '../../core/profile/pump-curve.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { npshAvailable } from '../../simulators/model/pump-faults.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-04-01T09:00:00Z');
const KEYS = [
  'flow.rate',
  'pressure.outlet',
  'pressure.inlet',
  'pump[1].frequency',
  'pump[1].speed',
  'pump[1].current_l1',
  'pump[1].current_l2',
  'pump[1].current_l3',
  'pump[1].power',
  'pump[1].bearing_vibration',
  'pump[1].bearing_temperature',
  'pump[1].winding_temperature',
] as const;
type Key = (typeof KEYS)[number];
type Stats = Record<Key, { mean: number; sd: number; values: number[] }>;

function station(seed = 3) {
  return createStationState({ seed, pumps: 1, nominalVoltage: 380, phases: 3, startTime: START });
}

/** Readings of a one-pump station over `seconds` at 1 s, after `wait` seconds with or without the fault. */
function run(fault: string | null, params: Record<string, number | string>, wait = 240, seconds = 60) {
  const state = station();
  if (fault) injectFault(state, { fault, params });
  stepStation(state, wait);
  const values = Object.fromEntries(KEYS.map((k) => [k, [] as number[]])) as Record<Key, number[]>;
  for (let s = 0; s < seconds; s++) {
    stepStation(state, 1);
    const r = readings(state);
    for (const k of KEYS) values[k].push(Number(r[k]));
  }
  const stats = {} as Stats;
  for (const k of KEYS) {
    const v = values[k];
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    stats[k] = { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), values: v };
  }
  return { stats, state };
}

const healthy = run(null, {}).stats;
/** The healthy run half an hour on, for the faults that take that long to warm the bearing. */
const later = run(null, {}, 1800).stats;
const perFlow = (x: Stats) => x['pump[1].power'].mean / x['flow.rate'].mean;
/** Relative change of a mean against the healthy run of the same seed. */
const change = (s: Stats, k: Key) => (s[k].mean - healthy[k].mean) / Math.abs(healthy[k].mean);
const head = (s: Stats) => s['pressure.outlet'].mean - s['pressure.inlet'].mean;

describe('the new fault classes: signatures consistent across the readings (same seed with and without)', () => {
  test('every reading is consistent with the others: power from the three currents, speed from frequency less slip', () => {
    const r = readings(station());
    const amps =
      (Number(r['pump[1].current_l1']) + Number(r['pump[1].current_l2']) + Number(r['pump[1].current_l3'])) /
      3;
    const volts = Number(r['supply.voltage_l1']);
    expect(Number(r['pump[1].power'])).toBeCloseTo((Math.sqrt(3) * volts * amps * 0.85) / 1000, 0);
    const hz = Number(r['pump[1].frequency']);
    expect(Number(r['pump[1].speed'])).toBeLessThan(60 * hz);
    expect(Number(r['pump[1].speed'])).toBeGreaterThan(60 * hz - 120);
    expect(Number(r['pump[1].bearing_temperature'])).toBeGreaterThan(Number(r['ambient.temperature']));
  });

  test('cavitation: NPSH available below required, head down and noisy, flow down, inlet low, vibration up', () => {
    const { stats, state } = run('cavitation', { npshaM: 1.8 });
    const inlet = stats['pressure.inlet'].mean;
    const s = stats['pump[1].frequency'].mean / 50;
    expect(npshAvailable(inlet)).toBeCloseTo(1.8, 0);
    expect(npshAvailable(inlet)).toBeLessThan(curveNpshr(state.config.curve, stats['flow.rate'].mean, s));
    expect(inlet).toBeLessThan(-0.5); // a compound gauge reads the vacuum
    // The pump gives less head than its curve at its own speed and flow; the outlet falls with it.
    const onCurve = curveHead(state.config.curve, stats['flow.rate'].mean, s);
    expect(head(stats) / onCurve).toBeLessThan(0.9);
    expect(change(stats, 'pressure.outlet')).toBeLessThan(-0.15);
    expect(stats['pressure.outlet'].sd).toBeGreaterThan(3 * healthy['pressure.outlet'].sd);
    expect(change(stats, 'flow.rate')).toBeLessThan(-0.05);
    expect(change(stats, 'pump[1].bearing_vibration')).toBeGreaterThan(0.4);
    expect(stats['pump[1].bearing_vibration'].sd).toBeGreaterThan(
      2 * healthy['pump[1].bearing_vibration'].sd,
    );
    // Less head and flow: less power; the drive runs flat out trying to hold the pressure.
    expect(change(stats, 'pump[1].power')).toBeLessThan(-0.03);
    expect(stats['pump[1].frequency'].mean).toBeCloseTo(50, 0);
  });

  test('rotor imbalance: vibration up by ~mmS x speed squared (1x), bearing temperature and power slightly up, hydraulics unchanged', () => {
    const { stats } = run('rotor_imbalance', { mmS: 3 }, 1800);
    const s = stats['pump[1].frequency'].mean / 50;
    const added = stats['pump[1].bearing_vibration'].mean - later['pump[1].bearing_vibration'].mean;
    expect(added).toBeGreaterThan(3 * s * s * 0.8);
    expect(added).toBeLessThan(3 * s * s * 1.25);
    const warmer = stats['pump[1].bearing_temperature'].mean - later['pump[1].bearing_temperature'].mean;
    expect(warmer).toBeGreaterThan(2);
    // Power per flow: the demand itself wanders a little between the two runs.
    expect(perFlow(stats) / perFlow(later) - 1).toBeGreaterThan(0.003);
    expect(perFlow(stats) / perFlow(later) - 1).toBeLessThan(0.06);
    expect(Math.abs(stats['pressure.outlet'].mean / later['pressure.outlet'].mean - 1)).toBeLessThan(0.01);
  });

  test('misalignment: vibration up (2x), bearing warmer than an imbalance of the same vibration, power up a little', () => {
    const mis = run('misalignment', { mmS: 2.5 }, 1800).stats;
    const imb = run('rotor_imbalance', { mmS: 2.5 }, 1800).stats;
    const vib = (s: Stats) => s['pump[1].bearing_vibration'].mean - later['pump[1].bearing_vibration'].mean;
    const heat = (s: Stats) =>
      s['pump[1].bearing_temperature'].mean - later['pump[1].bearing_temperature'].mean;
    expect(vib(mis)).toBeGreaterThan(2);
    expect(heat(mis)).toBeGreaterThan(4);
    expect(heat(mis) / vib(mis)).toBeGreaterThan(1.5 * (heat(imb) / vib(imb)));
    expect(perFlow(mis) / perFlow(later) - 1).toBeGreaterThan(0.005);
    expect(perFlow(mis) / perFlow(later) - 1).toBeLessThan(0.08);
  });

  test('misalignment and imbalance slow forms: a third of the way after a third of the days', () => {
    const state = station();
    injectFault(state, { fault: 'misalignment', params: { mmS: 3, days: 21 } });
    const base = state.pumps[0]!.vibrationBase;
    stepStation(state, 7 * 86_400);
    const added = state.pumps[0]!.measured.vibration - base * (0.6 + (0.4 * state.pumps[0]!.frequency) / 50);
    expect(added).toBeGreaterThan(0.5);
    expect(added).toBeLessThan(1.6);
  });

  test('dry running: flow and head collapse, power down to the no-load power, current down, temperature rising', () => {
    const { stats, state } = run('dry_running', {}, 600);
    expect(stats['flow.rate'].mean).toBeLessThan(0.05 * healthy['flow.rate'].mean);
    expect(head(stats)).toBeLessThan(0.3);
    const s = stats['pump[1].frequency'].mean / 50;
    const noLoadKw = curvePower(state.config.curve, 0, s) / 0.9;
    expect(stats['pump[1].power'].mean).toBeLessThan(0.35 * healthy['pump[1].power'].mean);
    expect(Math.abs(stats['pump[1].power'].mean / noLoadKw - 1)).toBeLessThan(0.15);
    expect(change(stats, 'pump[1].current_l1')).toBeLessThan(-0.6);
    const t = stats['pump[1].bearing_temperature'];
    expect(t.mean - healthy['pump[1].bearing_temperature'].mean).toBeGreaterThan(10);
    expect(t.values.at(-1)! - t.values[0]!).toBeGreaterThan(0.3); // still rising within the minute
  });

  test('air in the pump: head and flow drop and fluctuate, and the current with them', () => {
    const { stats } = run('air_in_pump', { percent: 6 }, 240, 300);
    const calm = run(null, {}, 240, 300).stats;
    expect(change(stats, 'flow.rate')).toBeLessThan(-0.03);
    expect(head(stats)).toBeLessThan(head(healthy));
    for (const k of ['flow.rate', 'pressure.outlet', 'pump[1].current_l1'] as const)
      expect(stats[k].sd).toBeGreaterThan(3 * calm[k].sd);
    expect(change(stats, 'pump[1].current_l1')).toBeLessThan(0);
  });

  test('sensor spikes: isolated jumps on one reading while the readings it depends on hold', () => {
    const state = station();
    injectFault(state, {
      fault: 'sensor_spike',
      params: { meaning: 'pressure.outlet', perHour: 120, size: 0.5 },
    });
    let spikes = 0;
    let longest = 0;
    let run = 0;
    for (let s = 0; s < 600; s++) {
      stepStation(state, 1);
      const seen = readings(state);
      // The same instant without the fault: the readings are a pure function of the state.
      const truth = readings({ ...state, faults: [] });
      for (const k of Object.keys(truth))
        if (k !== 'pressure.outlet' && k !== 'station.alarm_word') expect(seen[k]).toBe(truth[k]);
      const jump = Number(seen['pressure.outlet']) / Number(truth['pressure.outlet']) - 1;
      if (jump === 0) {
        run = 0;
        continue;
      }
      expect(Math.abs(jump)).toBeCloseTo(0.5, 6);
      spikes++;
      run++;
      longest = Math.max(longest, run);
    }
    expect(spikes).toBeGreaterThan(5); // ~20 expected in ten minutes
    expect(spikes).toBeLessThan(60);
    // Isolated: a second each (two when two fall side by side), never a step.
    expect(longest).toBeLessThanOrEqual(2);
  });

  test('winding insulation decay: abrupt (water ingress) and slow (weeks) forms; leakage current rises', () => {
    const fast = station();
    const before = Number(readings(fast)['insulation.resistance']);
    injectFault(fast, { fault: 'insulation_decay', params: { tauDays: 0.005 } });
    stepStation(fast, 900);
    expect(Number(readings(fast)['insulation.resistance'])).toBeLessThan(0.2 * before);
    const slow = station();
    injectFault(slow, { fault: 'insulation_decay', params: { tauDays: 4 } });
    stepStation(slow, 4 * 86_400);
    const r = readings(slow);
    // e^-1 after tau days, give or take the temperature's own effect on the resistance.
    expect(Number(r['insulation.resistance']) / before).toBeGreaterThan(0.2);
    expect(Number(r['insulation.resistance']) / before).toBeLessThan(0.6);
    stepStation(slow, 24 * 86_400);
    expect(Number(readings(slow)['insulation.resistance'])).toBeLessThan(1);
    // A few tenths of a mA through 0.5 MOhm at 220 V, on top of the EMC filter's ~3.5 mA.
    expect(Number(readings(slow)['insulation.leakage_current'])).toBeGreaterThan(3.5 + 0.2);
  });

  test('slow impeller wear, strainer and sensor drift: each a third of the way after a third of the days', () => {
    const at = (fault: string | null, params: Record<string, number | string>) => {
      const state = station(7);
      if (fault) injectFault(state, { fault, params });
      stepStation(state, 7 * 86_400);
      return readings(state);
    };
    const base = at(null, {});
    const worn = at('impeller_wear', { percent: 15, days: 21 });
    // 5% less head at a given speed: the drive turns ~2.5% faster for the same duty (or is at its top).
    expect(Number(worn['pump[1].frequency'])).toBeGreaterThan(Number(base['pump[1].frequency']));
    const clogged = at('clogged_strainer', { bar: 0.6, days: 21 });
    const drop = Number(base['pressure.inlet']) - Number(clogged['pressure.inlet']);
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(0.25);
    const drifted = at('sensor_drift', { meaning: 'pressure.outlet', perDay: 0.03 });
    expect(Number(drifted['pressure.outlet']) - Number(base['pressure.outlet'])).toBeCloseTo(0.21, 1);
  });
});
