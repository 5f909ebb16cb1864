import { describe, expect, test } from 'vitest';
import { DEFAULT_PREDICTIVE_CONFIG } from '../../server/predictive/config.ts';
import { type HourPoint, predictCrossing } from '../../server/predictive/trend.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');
const config = DEFAULT_PREDICTIVE_CONFIG;

/** Hourly points ending at NOW, value by days before NOW (negative). */
function series(hours: number, value: (day: number) => number): HourPoint[] {
  return Array.from({ length: hours }, (_, i) => {
    const t = NOW - (hours - 1 - i) * HOUR;
    return { t, v: value((t - NOW) / 86_400_000) };
  });
}
const wiggle = (day: number) => 0.02 * Math.sin(day * 37.7);

describe('time to threshold', () => {
  test.each([
    // Linear rise of 0.5/day from 5 toward 10: 10 days to go.
    {
      name: 'linear rise',
      up: true,
      scale: 'linear',
      baseline: 2,
      threshold: 10,
      f: (d: number) => 5 + 0.5 * d,
      days: 10,
    },
    // Same with noise and a 2-day plateau from an operating-point change already removed: still ~10 days.
    {
      name: 'linear rise with noise',
      up: true,
      scale: 'linear',
      baseline: 2,
      threshold: 10,
      f: (d: number) => 5 + 0.5 * d + wiggle(d),
      days: 10,
    },
    // Exponential decay to 5 from 100 at -0.2/day on the log scale: ln(20)/0.2 ~ 14.98 days.
    {
      name: 'exponential decay (log scale)',
      up: false,
      scale: 'log',
      baseline: 500,
      threshold: 5,
      f: (d: number) => 100 * Math.exp(-0.2 * d),
      days: Math.log(20) / 0.2,
    },
    // Excess over 2 grows e^(0.25 d) from 1: crossing 11 when excess = 9: ln 9 / 0.25 ~ 8.79 days.
    {
      name: 'exponential excess (bearing)',
      up: true,
      scale: 'log_excess',
      baseline: 2,
      threshold: 11,
      f: (d: number) => 2 + Math.exp(0.25 * d),
      days: Math.log(9) / 0.25,
    },
  ] as const)('$name', ({ up, scale, baseline, threshold, f, days }) => {
    const p = predictCrossing({
      points: series(7 * 24, f),
      spec: { direction: up ? 'up' : 'down', scale },
      threshold,
      baseline,
      now: NOW,
      config,
    });
    expect(p.status).toBe('degrading');
    expect(p.daysToThreshold).not.toBeNull();
    expect(Math.abs(p.daysToThreshold! - days)).toBeLessThan(0.05 * days);
    expect(p.bandDays!.low).toBeLessThanOrEqual(p.daysToThreshold! + 1e-9);
    expect(p.bandDays!.high).not.toBeNull();
    expect(p.bandDays!.high!).toBeGreaterThanOrEqual(p.daysToThreshold! - 1e-9);
    expect(p.actionable).toBe(p.daysToThreshold! <= config.leadTimeDays);
  });

  test.each([
    { name: 'no points', hours: 0 },
    { name: 'one point', hours: 1 },
    { name: '23 hours (24 needed)', hours: 23 },
  ])('too little data: $name', ({ hours }) => {
    const p = predictCrossing({
      points: series(hours, (d) => 5 + d),
      spec: { direction: 'up', scale: 'linear' },
      threshold: 10,
      baseline: 2,
      now: NOW,
      config,
    });
    expect(p.status).toBe('too_little_data');
    expect(p.note).toMatch(/too little data to predict/);
    expect(p.daysToThreshold).toBeNull();
    expect(p.actionable).toBe(false);
  });

  test.each([
    { name: 'flat', f: () => 5 },
    { name: 'noise only', f: (d: number) => 5 + wiggle(d) },
    { name: 'improving', f: (d: number) => 5 - 0.3 * d },
  ])('no prediction when $name', ({ f }) => {
    const p = predictCrossing({
      points: series(7 * 24, f),
      spec: { direction: 'up', scale: 'linear' },
      threshold: 10,
      baseline: 5,
      now: NOW,
      config,
    });
    expect(p.status).toBe('stable');
    expect(p.actionable).toBe(false);
  });

  test.each([
    // 2.5 days of data rising 2/day from 4 toward 20: a crossing in 8 days, 3.25 times the data's span.
    { name: 'two and a half days of data', hours: 60, actionable: false },
    // The same trend over 3 days reaches 8 / 3 = 2.7 spans ahead: within the limit of 3.
    { name: 'three days of data', hours: 72, actionable: true },
  ])('a forecast reaches at most 3 times the span of its data: $name', ({ hours, actionable }) => {
    const p = predictCrossing({
      points: series(hours, (d) => 4 + 2 * d),
      spec: { direction: 'up', scale: 'linear' },
      threshold: 20,
      baseline: 2,
      now: NOW,
      config,
    });
    expect(p.status).toBe('degrading');
    expect(p.daysToThreshold).toBeCloseTo(8, 1);
    expect(p.actionable).toBe(actionable);
  });

  test('a step from an operating-point change does not look like a trend toward the threshold', () => {
    // Flat at 5 for six days, then 1.0 higher for the last day (not removed): slope stays small.
    const p = predictCrossing({
      points: series(7 * 24, (d) => (d > -1 ? 6 : 5)),
      spec: { direction: 'up', scale: 'linear' },
      threshold: 10,
      baseline: 5,
      now: NOW,
      config,
    });
    expect(p.actionable).toBe(false);
  });

  test('already over the threshold: crossed, zero days', () => {
    const p = predictCrossing({
      points: series(48, () => 12),
      spec: { direction: 'up', scale: 'linear' },
      threshold: 10,
      baseline: 2,
      now: NOW,
      config,
    });
    expect(p).toMatchObject({ status: 'crossed', daysToThreshold: 0 });
  });

  test('only the window counts: old points are ignored', () => {
    const old = series(30 * 24, (d) => (d < -7 ? 100 : 5));
    const p = predictCrossing({
      points: old,
      spec: { direction: 'up', scale: 'linear' },
      threshold: 10,
      baseline: 5,
      now: NOW,
      config,
    });
    expect(p.points).toBeLessThanOrEqual(7 * 24 + 1);
    expect(p.status).toBe('stable');
  });
});
