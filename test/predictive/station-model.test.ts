import { describe, expect, test } from 'vitest';
import { DEFAULT_PREDICTIVE_CONFIG } from '../../server/predictive/config.ts';
import { hourCount, savedHours } from '../../server/predictive/hour-series.ts';
import { snapshotOf } from '../../server/predictive/model-snapshots.ts';
import { feedStation, newStationModel, upgradeStationModel } from '../../server/predictive/station-model.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);

describe('hourly counter indicators', () => {
  test.each([
    // Hour 0 too is whole: its first message has the counters.
    { name: 'every message carries the counters', every: 1, hours: [0, 1, 2, 3] },
    // The edge's slow poll class: counters in one message of ten, never the first of an hour;
    // hour 0 has none at its start, so hours 1-3 are the whole ones.
    { name: 'counters only in the slow class, off the hour', every: 10, hours: [1, 2, 3] },
  ])('$name: starts per hour and run hours since maintenance each hour', ({ every, hours }) => {
    const model = newStationModel();
    for (let s = 0; s <= 4 * 3600; s++) {
      const readings: Record<string, number | boolean> = { 'pump[1].running': true, 'pump[1].frequency': 45 };
      if (s % every === 3 % every) {
        // Two starts an hour; run hours climb with the clock.
        readings['pump[1].start_count'] = 100 + 2 * Math.floor(s / 3600);
        readings['pump[1].run_hours'] = 500 + s / 3600;
      }
      feedStation(model, T0 + s * 1000, readings, DEFAULT_PREDICTIVE_CONFIG);
    }
    // Hour 4 is still open.
    const starts = savedHours(model.tracks['pump[1].starts_per_hour']!.hours);
    expect(starts.v).toEqual(hours.map(() => 2));
    const since = savedHours(model.tracks['pump[1].run_hours_since_maintenance']!.hours).v;
    expect(since.map((v) => Math.round(v))).toEqual([1, 2, 3, 4]);
    expect(starts.t).toEqual(hours.map((h) => T0 + h * HOUR + HOUR / 2));
  });
});

describe('hourly medians in memory', () => {
  test('kept for the trend window and a day; saved as columns; a model saved with points is read too', () => {
    const model = newStationModel();
    // Twelve days of one message an hour: starts_per_hour closes an hour at each.
    for (let h = 0; h <= 12 * 24; h++) {
      const readings = {
        'pump[1].running': true,
        'pump[1].frequency': 45,
        'pump[1].start_count': 100 + 2 * h,
      };
      feedStation(model, T0 + h * HOUR, readings, DEFAULT_PREDICTIVE_CONFIG);
    }
    const series = model.tracks['pump[1].starts_per_hour']!.hours;
    const hours = savedHours(series);
    // 7 days of trend window + 1 day, by the default keepDays (8).
    expect(hourCount(series)).toBe(8 * 24 + 1);
    expect(hours.t.length).toBe(8 * 24 + 1);
    expect(hours.t.at(-1)! - hours.t[0]!).toBe(8 * 24 * HOUR);
    expect(hours.t.at(-1)).toBe(T0 + 12 * 24 * HOUR - HOUR / 2);
    // The array grows by doubling only as far as the kept hours need: 193 pairs, not 256.
    expect(series.pairs.length).toBe(2 * (8 * 24 + 1));

    const saved = JSON.parse(JSON.stringify(snapshotOf(model, 8)));
    // A snapshot keeps the trend's window from the newest reading (8 days: 192 hours).
    expect(saved.tracks['pump[1].starts_per_hour'].hours).toEqual(
      savedHours(series, model.lastAt! - 8 * 24 * HOUR),
    );
    expect(saved.tracks['pump[1].starts_per_hour'].hours.t).toHaveLength(8 * 24);
    saved.tracks['pump[1].starts_per_hour'].hours = hours.t.map((t, i) => ({ t, v: hours.v[i] }));
    const upgraded = upgradeStationModel(saved);
    expect(savedHours(upgraded.tracks['pump[1].starts_per_hour']!.hours)).toEqual(hours);
  });
});
