import { describe, expect, test } from 'vitest';
import { ISO_10816_3_CLASSES, vibrationZone } from '../../core/standards/iso-10816-3.ts';
import { median, robustSigma, theilSen } from '../../server/predictive/robust-stats.ts';
import { imbalancePct, insulationAt40C } from '../../server/predictive/standards.ts';

const xs = Array.from({ length: 48 }, (_, i) => i);
// Deterministic noise: a fixed pseudo-random sequence in [-0.5, 0.5].
const noise = xs.map((i) => ((Math.sin(i * 12.9898) * 43758.5453) % 1) - 0.0);

describe('Theil-Sen', () => {
  test.each([
    { name: 'exact line', ys: xs.map((x) => 2 * x + 1), slope: 2, intercept: 1, tolerance: 1e-9 },
    { name: 'flat line', ys: xs.map(() => 5), slope: 0, intercept: 5, tolerance: 1e-9 },
    { name: 'falling line', ys: xs.map((x) => 10 - 0.25 * x), slope: -0.25, intercept: 10, tolerance: 1e-9 },
    {
      name: 'line with noise',
      ys: xs.map((x, i) => 0.5 * x + 0.2 * noise[i]!),
      slope: 0.5,
      intercept: 0,
      tolerance: 0.05,
    },
    {
      name: 'line with 20% wild outliers',
      ys: xs.map((x, i) => (i % 5 === 0 ? 1000 : 0.5 * x)),
      slope: 0.5,
      intercept: 0,
      tolerance: 0.05,
    },
  ])('$name', ({ ys, slope, intercept, tolerance }) => {
    const fit = theilSen(xs, ys);
    expect(Math.abs(fit.slope - slope)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(fit.intercept - intercept)).toBeLessThanOrEqual(tolerance * 10 + 1e-9);
    expect(fit.slopeLow).toBeLessThanOrEqual(fit.slope);
    expect(fit.slopeHigh).toBeGreaterThanOrEqual(fit.slope);
  });

  test('a step in the middle of a flat series gives a small slope, not the step', () => {
    // 12 of 48 points after a step of 10: OLS would give a slope of ~0.4.
    const ys = xs.map((x) => (x >= 36 ? 10 : 0));
    expect(Math.abs(theilSen(xs, ys).slope)).toBeLessThan(0.01);
  });

  test('noise alone: the slope band includes zero', () => {
    const fit = theilSen(xs, noise);
    expect(fit.slopeLow).toBeLessThan(0);
    expect(fit.slopeHigh).toBeGreaterThan(0);
  });

  test.each([
    { xs: [1], ys: [1] },
    { xs: [2, 2, 2], ys: [1, 2, 3] },
  ])('undefined without two distinct x: %j', ({ xs: x, ys }) => {
    expect(theilSen(x, ys).slope).toBeNaN();
  });

  test('x and y of different length are refused', () => {
    expect(() => theilSen([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('robust statistics and standards', () => {
  test.each([
    { values: [3, 1, 2], median: 2 },
    { values: [4, 1, 3, 2], median: 2.5 },
    { values: [], median: Number.NaN },
  ])('median $values', ({ values, median: expected }) => {
    expect(median(values)).toEqual(expected);
  });

  test('robust sigma of a normal-ish sample ignores one outlier', () => {
    expect(robustSigma([1, 2, 3, 4, 5, 1e6])).toBeCloseTo(1.4826 * 1.5, 6);
  });

  test.each([
    { mm: 1, zone: 'A' },
    { mm: 3.5, zone: 'B' },
    { mm: 8, zone: 'C' },
    { mm: 11, zone: 'D' },
  ])('ISO 10816-3 group 1 flexible: $mm mm/s is zone $zone', ({ mm, zone }) => {
    expect(vibrationZone(mm, ISO_10816_3_CLASSES.group1_flexible)).toBe(zone);
  });

  test.each([
    { mohm: 600, at: 20, r40: 150 },
    { mohm: 100, at: 40, r40: 100 },
    { mohm: 10, at: 50, r40: 20 },
  ])('IEEE 43: $mohm MΩ at $at °C is $r40 MΩ at 40 °C', ({ mohm, at, r40 }) => {
    expect(insulationAt40C(mohm, at)).toBeCloseTo(r40, 9);
  });

  test.each([
    { values: [10, 10, 10], pct: 0 },
    { values: [9, 10, 11], pct: 10 },
    { values: [0, 0, 0], pct: Number.NaN },
    { values: [5], pct: Number.NaN },
  ])('imbalance of $values', ({ values, pct }) => {
    expect(imbalancePct(values)).toEqual(pct);
  });
});
