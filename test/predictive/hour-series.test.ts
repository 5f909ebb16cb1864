import { describe, expect, test } from 'vitest';
import {
  hourCount,
  hourPoints,
  hourSeriesOf,
  hourTime,
  hourValue,
  newestValues,
  newHourSeries,
  pushHour,
  savedHours,
} from '../../server/predictive/hour-series.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);
const mid = (h: number) => T0 + h * HOUR + HOUR / 2;

describe('hourly medians in memory', () => {
  test('the newest median exact, the older ones to a 32-bit float; times exact', () => {
    const series = newHourSeries();
    for (let h = 0; h < 5; h++) pushHour(series, mid(h), 0.1 + h / 3, Number.NEGATIVE_INFINITY);
    expect(hourCount(series)).toBe(5);
    expect(hourValue(series, 4)).toBe(0.1 + 4 / 3);
    expect(hourValue(series, 1)).toBe(Math.fround(0.1 + 1 / 3));
    expect(hourValue(series, 1)).toBeCloseTo(0.1 + 1 / 3, 7);
    expect(hourTime(series, 2)).toBe(mid(2));
    expect(newestValues(series, 2)).toEqual([Math.fround(0.1 + 3 / 3), 0.1 + 4 / 3]);
    expect(hourPoints(series).map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map(mid));
  });

  test('keeps the hours from keepFrom on, in an array no longer than they need', () => {
    const series = newHourSeries();
    for (let h = 0; h < 500; h++) pushHour(series, mid(h), h, mid(h) - 100 * HOUR);
    expect(hourCount(series)).toBe(101);
    expect(hourTime(series, 0)).toBe(mid(399));
    expect(series.pairs.length).toBe(2 * 101);
    // Gaps (a pump that stood still) count by time, not by points.
    pushHour(series, mid(700), 7, mid(700) - 100 * HOUR);
    expect(hourCount(series)).toBe(1);
  });

  test('saved as plain columns and read back, also from points', () => {
    const series = newHourSeries();
    for (let h = 0; h < 30; h++) pushHour(series, mid(h), 2 + Math.sin(h), Number.NEGATIVE_INFINITY);
    const saved = JSON.parse(JSON.stringify(savedHours(series, mid(10))));
    expect(saved.t).toEqual(Array.from({ length: 20 }, (_, i) => mid(10 + i)));
    const restored = hourSeriesOf(saved);
    expect(savedHours(restored)).toEqual(saved);
    expect(hourValue(restored, 19)).toBe(2 + Math.sin(29));
    const fromPoints = hourSeriesOf(hourPoints(series));
    expect(savedHours(fromPoints)).toEqual(savedHours(series));
    expect(hourSeriesOf(series)).toBe(series);
  });

  test('saved at its full window, read back, it takes the next hours in the array it was read into', () => {
    const series = newHourSeries();
    const window = (h: number) => mid(h) - 100 * HOUR;
    for (let h = 0; h < 300; h++) pushHour(series, mid(h), h, window(h));
    // Saved as a snapshot cuts it: the days kept back from the newest message, late in the next hour.
    const lastAt = mid(300) + 20 * 60_000;
    const restored = hourSeriesOf(JSON.parse(JSON.stringify(savedHours(series, lastAt - 100 * HOUR))));
    expect(hourCount(restored)).toBe(99);
    const pairs = restored.pairs;
    for (let h = 300; h < 400; h++) pushHour(restored, mid(h), h, window(h));
    expect(restored.pairs).toBe(pairs);
    expect(hourCount(restored)).toBe(101);
    expect(restored.pairs.length).toBe(2 * 101);
    expect(hourValue(restored, 100)).toBe(399);
  });
});
