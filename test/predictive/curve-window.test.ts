import { describe, expect, test } from 'vitest';
import {
  curveRows,
  dropThrough,
  emptyWindow,
  newestAt,
  newestRunning,
  pushMinute,
} from '../../server/predictive/curve-window.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0, 30);

describe('the live curve window', () => {
  test('rows come back as pushed (to a float), a column first seen later is empty before it', () => {
    const window = emptyWindow();
    expect(newestAt(window)).toBeUndefined();
    for (let m = 0; m < 40; m++) {
      const values: Record<string, number> = { 'flow.rate': 40 + m / 7, 'pressure.outlet': 4.35 };
      if (m >= 30) values['pressure.inlet'] = 1.2;
      pushMinute(window, T0 + m * MINUTE, values, m < 5 ? null : 2, 240);
    }
    const rows = curveRows(window);
    expect(rows).toHaveLength(40);
    expect(rows[0]).toEqual({ at: T0, values: { 'flow.rate': 40, 'pressure.outlet': Math.fround(4.35) } });
    expect(rows[12]!.running).toBe(2);
    expect(rows[12]!.values['flow.rate']).toBeCloseTo(40 + 12 / 7, 5);
    expect(rows[29]!.values['pressure.inlet']).toBeUndefined();
    expect(rows[30]!.values['pressure.inlet']).toBeCloseTo(1.2, 6);
    expect(newestAt(window)).toBe(T0 + 39 * MINUTE);
    expect(newestRunning(window)).toBe(2);
  });

  test('holds at most the longest window: the oldest minutes make room, the columns stop growing', () => {
    const window = emptyWindow();
    for (let m = 0; m < 1000; m++) pushMinute(window, T0 + m * MINUTE, { 'flow.rate': m }, 1, 240);
    expect(window.length).toBe(240);
    expect(window.minute.length).toBe(240);
    expect(window.columns['flow.rate']!.length).toBe(240);
    const rows = curveRows(window);
    expect(rows[0]).toEqual({ at: T0 + 760 * MINUTE, values: { 'flow.rate': 760 }, running: 1 });
    expect(rows.at(-1)!.at).toBe(T0 + 999 * MINUTE);
  });

  test('drops the minutes through a time', () => {
    const window = emptyWindow();
    for (let m = 0; m < 20; m++) pushMinute(window, T0 + m * MINUTE, { 'flow.rate': m }, 1, 240);
    dropThrough(window, T0 + 14 * MINUTE);
    expect(curveRows(window).map((r) => r.values['flow.rate'])).toEqual([15, 16, 17, 18, 19]);
    dropThrough(window, T0 + 100 * MINUTE);
    expect(window.length).toBe(0);
    expect(newestRunning(window)).toBeUndefined();
  });
});
