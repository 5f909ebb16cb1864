import { describe, expect, test } from 'vitest';
import { FaultError } from '../../simulators/model/faults.ts';
import { clearFault, injectFault, writeSetpoint } from '../../simulators/model/inject.ts';
import { ALARM_BITS, type Readings, readings } from '../../simulators/model/readings.ts';
import type { StationOptions, StationState } from '../../simulators/model/station.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

/** 13:00 UTC: the midday plateau of the demand curve. */
const MIDDAY = Date.UTC(2024, 0, 1, 13, 0);
const base: StationOptions = { seed: 1, pumps: 3, nominalVoltage: 380, phases: 3, startTime: MIDDAY };
const station = (extra: Partial<StationOptions> = {}) => createStationState({ ...base, ...extra });
const num = (r: Readings, meaning: string) => r[meaning] as number;
const run = (state: StationState, seconds: number, step = 10) => {
  for (let t = 0; t < seconds; t += step) stepStation(state, Math.min(step, seconds - t));
  return readings(state);
};
const bit = (word: number, n: number) => ((word >> n) & 1) === 1;

describe('determinism', () => {
  test('the same seed and steps give the same readings', () => {
    const a = station();
    const b = station();
    for (const dt of [1, 10, 60, 3600, 0.1]) {
      stepStation(a, dt);
      stepStation(b, dt);
      expect(readings(a)).toEqual(readings(b));
    }
  });

  test('another seed gives other noise', () => {
    const a = run(station({ seed: 1 }), 60);
    const b = run(station({ seed: 2 }), 60);
    expect(a['supply.voltage_l1']).not.toBe(b['supply.voltage_l1']);
  });

  test('a copied state replays exactly', () => {
    const a = run(station(), 600);
    const s = station();
    run(s, 300);
    const copy = structuredClone(s);
    expect(run(s, 300)).toEqual(run(copy, 300));
    expect(a['pressure.outlet']).toBeTypeOf('number');
  });
});

describe('healthy physics', () => {
  const healthy = run(station(), 3600);
  test.each([
    ['supply.voltage_l1', 380 * 0.98 - 4, 380 * 1.02 + 4],
    ['supply.voltage_l2', 380 * 0.98 - 4, 380 * 1.02 + 4],
    ['supply.voltage_l3', 380 * 0.98 - 4, 380 * 1.02 + 4],
    ['pressure.outlet', 3.85, 4.15],
    ['pump[1].frequency', 35, 50],
    ['pump[1].current_l1', 3, 16],
    ['pump[1].bearing_vibration', 1, 2.8],
    ['insulation.resistance', 100, 2000],
    ['ambient.temperature', 10, 26],
    ['pressure.inlet', 0.3, 1],
  ])('%s in [%d, %d]', (meaning, min, max) => {
    expect(num(healthy, meaning)).toBeGreaterThanOrEqual(min);
    expect(num(healthy, meaning)).toBeLessThanOrEqual(max);
  });

  test('duty runs, standby waits, no alarm', () => {
    expect(healthy['pump[1].running']).toBe(true);
    expect(healthy['pump[3].standby']).toBe(true);
    expect(healthy['pump[3].running']).toBe(false);
    expect(healthy['station.alarm_word']).toBe(0);
  });

  test('demand follows the day: night low, morning peak high, assist pump at the peak', () => {
    const night = run(station({ startTime: Date.UTC(2024, 0, 1, 2, 0) }), 1800, 30);
    const morning = run(station({ startTime: Date.UTC(2024, 0, 1, 7, 0) }), 1800, 30);
    expect(num(night, 'flow.rate')).toBeLessThan(15);
    expect(num(morning, 'flow.rate')).toBeGreaterThan(50);
    expect(morning['pump[2].running']).toBe(true);
    expect(num(morning, 'pump[1].current_l1')).toBeGreaterThan(num(night, 'pump[1].current_l1'));
  });

  test.each([3.5, 4.0, 4.6])('outlet pressure converges to a set point of %d bar', (setpoint) => {
    const s = station();
    writeSetpoint(s, setpoint);
    const r = run(s, 60, 1);
    expect(Math.abs(num(r, 'pressure.outlet') - setpoint)).toBeLessThan(0.08);
    expect(r['pressure.setpoint']).toBe(setpoint);
  });

  test.each([-1, 17, Number.NaN])('set point %d is refused', (setpoint) => {
    expect(() => writeSetpoint(station(), setpoint)).toThrow(RangeError);
  });

  test('winding temperature lags load with a ~20 min time constant', () => {
    const s = station({ seed: 2 });
    injectFault(s, { fault: 'pump_trip', pump: 1 }); // pump 3 starts from ambient
    const start = num(readings(s), 'pump[3].winding_temperature');
    const at = (minutes: number) => num(run(structuredClone(s), minutes * 60), 'pump[3].winding_temperature');
    const final = at(120);
    const share = (minutes: number) => (at(minutes) - start) / (final - start);
    expect(final - start).toBeGreaterThan(15);
    expect(share(2)).toBeLessThan(0.2);
    expect(share(20)).toBeGreaterThan(0.45);
    expect(share(20)).toBeLessThan(0.85);
  });
});

describe('duty and standby', () => {
  test.each([
    [3, 1, 3],
    [2, 1, 2],
  ])('%d pumps: pump %d trips, pump %d takes over and the failover counts', (pumps, tripped, takeover) => {
    const s = station({ pumps });
    run(s, 60);
    injectFault(s, { fault: 'pump_trip', pump: tripped });
    const r = run(s, 30, 1);
    expect(r[`pump[${tripped}].running`]).toBe(false);
    expect(r[`pump[${tripped}].fault`]).toBe(true);
    expect(r[`pump[${takeover}].running`]).toBe(true);
    expect(r[`pump[${takeover}].duty`]).toBe(true);
    expect(r['station.failover_count']).toBe(1);
    expect(bit(num(r, 'station.alarm_word'), ALARM_BITS.pumpTripped + tripped - 1)).toBe(true);
  });

  test('a cleared pump becomes the standby; the next trip hands duty back and counts again', () => {
    const s = station();
    injectFault(s, { fault: 'pump_trip' }); // the duty pump, 1
    clearFault(s, 'pump_trip');
    let r = run(s, 30, 1);
    expect(r['pump[1].standby']).toBe(true);
    expect(r['pump[3].running']).toBe(true);
    expect(r['station.alarm_word']).toBe(0);
    injectFault(s, { fault: 'pump_trip' }); // now the duty pump is 3
    r = run(s, 30, 1);
    expect(r['pump[3].fault']).toBe(true);
    expect(r['pump[1].running']).toBe(true);
    expect(r['station.failover_count']).toBe(2);
  });

  test('tripping the idle standby pump starts nothing and counts no failover', () => {
    const s = station();
    injectFault(s, { fault: 'pump_trip', pump: 3 });
    const r = run(s, 30);
    expect(r['pump[3].fault']).toBe(true);
    expect(r['pump[1].running']).toBe(true);
    expect(r['station.failover_count']).toBe(0);
  });

  test('phase loss trips the running pumps, blocks the standby and raises its alarm', () => {
    const s = station();
    injectFault(s, { fault: 'phase_loss', params: { phase: 2 } });
    let r = run(s, 60);
    expect([1, 2, 3].some((p) => r[`pump[${p}].running`])).toBe(false);
    expect(r['pump[1].fault']).toBe(true);
    expect(num(r, 'supply.voltage_l2')).toBeLessThan(20);
    expect(bit(num(r, 'station.alarm_word'), ALARM_BITS.phaseLoss)).toBe(true);
    expect(num(r, 'pressure.outlet')).toBeLessThan(1.5);
    expect(r['station.failover_count']).toBe(0);
    clearFault(s, 'phase_loss');
    r = run(s, 60, 1);
    expect(r['pump[1].running']).toBe(true);
    expect(num(r, 'pressure.outlet')).toBeGreaterThan(3.8);
  });

  test('a grounding fault on a pump trips it, sets grounding.fault and leakage current', () => {
    const s = station();
    injectFault(s, { fault: 'grounding_fault', pump: 1, params: { leakageMa: 60 } });
    const r = run(s, 30);
    expect(r['grounding.fault']).toBe(true);
    expect(num(r, 'insulation.leakage_current')).toBeGreaterThan(60);
    expect(num(r, 'insulation.resistance')).toBeLessThan(0.1);
    expect(r['pump[1].fault']).toBe(true);
    expect(r['station.failover_count']).toBe(1);
    expect(bit(num(r, 'station.alarm_word'), ALARM_BITS.groundingFault)).toBe(true);
  });
});

describe('supply faults', () => {
  test.each([
    ['under_voltage', 15, 0.85, ALARM_BITS.underVoltage],
    ['under_voltage', 5, 0.95, undefined],
    ['over_voltage', 12, 1.12, ALARM_BITS.overVoltage],
  ] as const)('%s %d%% moves the phases to x%d', (fault, percent, factor, alarm) => {
    const s = station();
    const before = num(run(s, 10), 'pump[1].current_l1');
    injectFault(s, { fault, params: { percent } });
    const r = run(s, 10);
    for (const phase of [1, 2, 3]) {
      expect(num(r, `supply.voltage_l${phase}`) / (380 * factor)).toBeCloseTo(1, 1);
    }
    const word = num(r, 'station.alarm_word');
    expect(word).toBe(alarm === undefined ? 0 : 1 << alarm);
    // Constant power: current rises as voltage sags.
    if (factor < 0.9) expect(num(r, 'pump[1].current_l1')).toBeGreaterThan(before);
  });
});

describe('degradation', () => {
  test('bearing wear: slow rise over the first weeks, then accelerating through zone C into D', () => {
    const s = station();
    injectFault(s, { fault: 'bearing_wear', pump: 1, params: { weeks: 4 } });
    const weekly: Readings[] = [readings(s)];
    for (let week = 1; week <= 4; week++) weekly.push(run(s, 7 * 86_400, 60));
    const v = weekly.map((r) => num(r, 'pump[1].bearing_vibration'));
    expect(v[0]).toBeLessThan(2.8);
    expect(v[2]! - v[0]!).toBeLessThan(1.5);
    expect(v[3]).toBeGreaterThan(4);
    expect(v[4]).toBeGreaterThan(10);
    expect(v[4]! - v[3]!).toBeGreaterThan(v[2]! - v[1]!);
    expect(num(weekly[4]!, 'pump[1].winding_temperature')).toBeGreaterThan(
      num(weekly[0]!, 'pump[1].winding_temperature') + 15,
    );
    expect(num(weekly[4]!, 'pump[2].bearing_vibration')).toBeLessThan(2.8);
    clearFault(s, 'bearing_wear', 1);
    expect(num(run(s, 60), 'pump[1].bearing_vibration')).toBeLessThan(2.8);
  });

  test('insulation decay: resistance falls by e per tauDays down to the floor, and recovers when cleared', () => {
    const s = station();
    const r0 = num(readings(s), 'insulation.resistance');
    injectFault(s, { fault: 'insulation_decay', params: { tauDays: 1, floorMohm: 0.2 } });
    const day1 = num(run(s, 86_400, 60), 'insulation.resistance');
    expect(day1 / r0).toBeGreaterThan(0.3);
    expect(day1 / r0).toBeLessThan(0.45);
    const day10 = num(run(s, 9 * 86_400, 60), 'insulation.resistance');
    expect(day10).toBeCloseTo(0.2, 1);
    clearFault(s, 'insulation_decay');
    expect(num(run(s, 60), 'insulation.resistance')).toBeGreaterThan(100);
  });

  test('a stuck sensor keeps its value while the others move; clearing frees it', () => {
    const s = station();
    injectFault(s, { fault: 'sensor_stuck' });
    const frozen = readings(s)['pressure.outlet'];
    const later = run(s, 600);
    expect(later['pressure.outlet']).toBe(frozen);
    injectFault(s, { fault: 'sensor_stuck', params: { meaning: 'pump[1].bearing_vibration', value: 9.5 } });
    expect(readings(s)['pump[1].bearing_vibration']).toBe(9.5);
    expect(readings(s)['pressure.outlet']).toBe(frozen); // another sensor stays stuck too
    clearFault(s, 'sensor_stuck');
    const freed = [run(s, 10)['pressure.outlet'], run(s, 10)['pressure.outlet']];
    expect(freed[0]).not.toBe(freed[1]);
  });
});

describe('clearing restores a healthy station', () => {
  test.each([
    ['pump_trip', 1, {}],
    ['phase_loss', undefined, {}],
    ['under_voltage', undefined, {}],
    ['over_voltage', undefined, {}],
    ['grounding_fault', 2, {}],
    ['insulation_decay', undefined, { tauDays: 0.1 }],
    ['bearing_wear', 1, { progress: 1 }],
    ['controller_silent', undefined, {}],
  ] as const)('%s (pump %s)', (fault, pump, params) => {
    const s = station();
    injectFault(s, { fault, pump, params });
    run(s, 3600, 60);
    clearFault(s, fault, pump);
    const r = run(s, 120, 1);
    expect(s.faults).toEqual([]);
    expect(r['station.alarm_word']).toBe(0);
    expect(r['grounding.fault']).toBe(false);
    expect([1, 2, 3].filter((p) => r[`pump[${p}].running`]).length).toBeGreaterThanOrEqual(1);
    expect(num(r, 'pressure.outlet')).toBeGreaterThan(3.8);
    expect(num(r, 'insulation.resistance')).toBeGreaterThan(100);
  });
});

describe('bad fault requests', () => {
  test.each([
    [{ fault: 'meteor_strike' }, 'invalid', /unknown fault "meteor_strike"/],
    [{ fault: 'pump_trip', pump: 4 }, 'invalid', /pumps 1..3/],
    [{ fault: 'phase_loss', pump: 1 }, 'invalid', /whole station/],
    [{ fault: 'bearing_wear', params: { weeks: -1 } }, 'invalid', /param "weeks"/],
    [{ fault: 'under_voltage', params: { volts: 3 } }, 'invalid', /volts/],
    [
      { fault: 'sensor_stuck', params: { meaning: 'pump[7].frequency' } },
      'invalid',
      /no reading "pump\[7\].frequency"/,
    ],
  ])('%j is refused', (request, kind, message) => {
    const s = station();
    let error: unknown;
    try {
      injectFault(s, request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FaultError);
    expect((error as FaultError).kind).toBe(kind);
    expect((error as Error).message).toMatch(message);
    expect(s.faults).toEqual([]);
  });

  test('clearing a fault that is not active is not_found', () => {
    expect(() => clearFault(station(), 'pump_trip', 2)).toThrow(/no active pump_trip on pump 2/);
  });
});
