import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseProfile } from '../../core/profile/load.ts';
import {
  curveHead,
  curveNpshr,
  curvePower,
  defaultPumpCurve,
  fitPolynomial,
  fitPumpCurve,
  pumpCurveInputSchema,
  speedForHead,
} from '../../core/profile/pump-curve.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

/** A datasheet of a larger pump, head in metres (an 11 kW, 60 m shut-off multistage). */
const DATASHEET = {
  headUnit: 'm' as const,
  motorKw: 11,
  points: [
    { flow: 0, head: 60, power: 3.5, npshr: 1.2 },
    { flow: 20, head: 58, power: 6.8, npshr: 1.5 },
    { flow: 40, head: 52, power: 9.6, npshr: 2.2 },
    { flow: 60, head: 41, power: 11.4, npshr: 3.6 },
    { flow: 70, head: 34, power: 11.8, npshr: 4.6 },
  ],
};

describe('pump curves from datasheet points', () => {
  test('a least-squares fit recovers a polynomial through exact points', () => {
    const xs = [0, 10, 25, 40, 55];
    const coefficients = fitPolynomial(
      xs,
      xs.map((x) => 2 - 0.03 * x + 0.0004 * x * x - 1e-6 * x ** 3),
      3,
    )!;
    expect(coefficients[0]).toBeCloseTo(2, 8);
    expect(coefficients[1]).toBeCloseTo(-0.03, 8);
    expect(coefficients[2]).toBeCloseTo(0.0004, 8);
    expect(coefficients[3]).toBeCloseTo(-1e-6, 10);
  });

  test('the fitted curves pass near the datasheet points (head in bar from metres)', () => {
    const curve = fitPumpCurve(pumpCurveInputSchema.parse(DATASHEET));
    if (typeof curve === 'string') throw new Error(curve);
    for (const p of DATASHEET.points) {
      expect(Math.abs(curveHead(curve, p.flow, 1) - p.head * 0.0981)).toBeLessThan(0.1);
      expect(Math.abs(curvePower(curve, p.flow, 1) - p.power)).toBeLessThan(0.3);
      expect(Math.abs(curveNpshr(curve, p.flow, 1) - p.npshr)).toBeLessThan(0.25);
    }
  });

  test('affinity laws: at 80% speed, flow x0.8 gives head x0.64, power x0.512, NPSHr x0.64', () => {
    const curve = defaultPumpCurve();
    const s = 0.8;
    expect(curveHead(curve, 40 * s, s)).toBeCloseTo(curveHead(curve, 40, 1) * s * s, 9);
    expect(curvePower(curve, 40 * s, s)).toBeCloseTo(curvePower(curve, 40, 1) * s ** 3, 9);
    expect(curveNpshr(curve, 40 * s, s)).toBeCloseTo(curveNpshr(curve, 40, 1) * s * s, 9);
    // The speed that gives a head is the inverse of the head at a speed.
    expect(speedForHead(curve, curveHead(curve, 30, 0.85), 30)).toBeCloseTo(0.85, 9);
  });

  test('the default curve is the 7.5 kW booster pump: 5.2 bar shut-off, ~3.4 bar and ~7.6 kW at 45 m3/h', () => {
    const curve = defaultPumpCurve();
    expect(curveHead(curve, 0, 1)).toBeCloseTo(5.2, 6);
    expect(curveHead(curve, 45, 1)).toBeCloseTo(3.398, 3);
    expect(curvePower(curve, 45, 1)).toBeCloseTo(7.57, 2);
    expect(curveNpshr(curve, 45, 1)).toBeCloseTo(2.8, 6);
  });

  test('points that are no pump curve are refused with a reason', () => {
    const rising = pumpCurveInputSchema.parse({
      points: [
        { flow: 0, head: 10, power: 1 },
        { flow: 10, head: 20, power: 2 },
        { flow: 20, head: 30, power: 3 },
      ],
    });
    expect(fitPumpCurve(rising)).toMatch(/fall with flow/);
    const noPower = pumpCurveInputSchema.parse({
      points: [
        { flow: 0, head: 30 },
        { flow: 10, head: 28 },
        { flow: 20, head: 22 },
      ],
    });
    expect(fitPumpCurve(noPower)).toMatch(/shaft power/);
  });

  test("a profile's pumpCurve is fitted, and the simulator runs its pump on it", () => {
    const file = resolve(import.meta.dirname, '../../profiles/booster-3p-380.yaml');
    const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(parseProfile(data, file).pumpCurve).toBeUndefined();
    expect(() => parseProfile({ ...data, pumpCurve: { points: [{ flow: 0, head: 1 }] } }, file)).toThrow(
      /pumpCurve/,
    );
    const profile = parseProfile({ ...data, pumpCurve: DATASHEET }, file);
    expect(profile.pumpCurve?.motorKw).toBe(11);
    const at = (curve: typeof profile.pumpCurve) => {
      const state = createStationState({
        seed: 5,
        pumps: 1,
        nominalVoltage: 380,
        phases: 3,
        ...(curve ? { curve } : {}),
      });
      stepStation(state, 120);
      return readings(state);
    };
    const small = at(undefined);
    const large = at(profile.pumpCurve);
    // The larger pump holds the same set point at a lower speed.
    expect(Number(large['pump[1].frequency'])).toBeLessThan(Number(small['pump[1].frequency']) - 2);
    expect(Number(large['pressure.outlet'])).toBeCloseTo(Number(small['pressure.outlet']), 1);
  });
});
