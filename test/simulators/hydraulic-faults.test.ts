import { describe, expect, test } from 'vitest';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-04-01T09:00:00Z');
const KEYS = [
  'flow.rate',
  'pressure.outlet',
  'pressure.inlet',
  'pump[1].frequency',
  'pump[1].current_l1',
] as const;

/** Mean readings of a one-pump station over a minute, before and five minutes into a fault (same seed). */
function signature(fault: string, params: Record<string, number | string>) {
  const mean = (withFault: boolean) => {
    const state = createStationState({ seed: 3, pumps: 1, nominalVoltage: 380, phases: 3, startTime: START });
    if (withFault) injectFault(state, { fault, params });
    stepStation(state, 240);
    const sums = Object.fromEntries(KEYS.map((k) => [k, 0])) as Record<(typeof KEYS)[number], number>;
    for (let s = 0; s < 60; s++) {
      stepStation(state, 1);
      const r = readings(state);
      for (const k of KEYS) sums[k] += Number(r[k]) / 60;
    }
    return sums;
  };
  const healthy = mean(false);
  const faulty = mean(true);
  return Object.fromEntries(KEYS.map((k) => [k, (faulty[k] - healthy[k]) / healthy[k]])) as Record<
    (typeof KEYS)[number],
    number
  >;
}

describe('hydraulic fault signatures from the pump curves (relative change against the same seed without the fault)', () => {
  test('a throttled valve: flow, speed and current fall; the head is held or rises', () => {
    const d = signature('valve_throttled', { percent: 40 });
    expect(d['flow.rate']).toBeLessThan(-0.3);
    expect(d['pump[1].frequency']).toBeLessThan(0);
    expect(d['pump[1].current_l1']).toBeLessThan(-0.1);
    expect(d['pressure.outlet']).toBeGreaterThan(-0.01);
  });

  // The station runs near 50 Hz at this hour: where the drive has no speed left, the head gives way.
  test('a leak downstream: flow, speed and current rise; the head holds or falls', () => {
    const d = signature('leak_downstream', { m3h: 10 });
    expect(d['flow.rate']).toBeGreaterThan(0.15);
    expect(d['pump[1].frequency']).toBeGreaterThan(0);
    expect(d['pump[1].current_l1']).toBeGreaterThan(0.05);
    expect(d['pressure.outlet']).toBeLessThan(0.01);
  });

  test('a worn impeller: the same flow needs more speed; the head holds or falls', () => {
    const d = signature('impeller_wear', { percent: 10 });
    expect(Math.abs(d['flow.rate'])).toBeLessThan(0.03);
    expect(d['pressure.outlet']).toBeLessThan(0.01);
    expect(d['pump[1].frequency']).toBeGreaterThan(0.02);
    // At its top speed it gives less head for the same flow, and so draws no more power.
    expect(d['pump[1].current_l1']).toBeLessThan(0.05);
  });

  test('a clogged strainer: the inlet pressure falls, speed rises to hold the outlet', () => {
    const d = signature('clogged_strainer', { bar: 0.5 });
    expect(d['pressure.inlet']).toBeLessThan(-0.3);
    expect(d['pump[1].frequency']).toBeGreaterThan(0.01);
    expect(Math.abs(d['flow.rate'])).toBeLessThan(0.03);
  });

  test('a drifting sensor: only its own reading moves', () => {
    const d = signature('sensor_drift', { meaning: 'pressure.outlet', perDay: 24 });
    // 24 bar a day for five minutes: +0.08 bar on 4 bar.
    expect(d['pressure.outlet']).toBeGreaterThan(0.015);
    expect(Math.abs(d['flow.rate'])).toBeLessThan(0.03);
    expect(Math.abs(d['pump[1].frequency'])).toBeLessThan(0.01);
  });
});
