import { describe, expect, test } from 'vitest';
import {
  curveRows,
  emptyWindow,
  pushMinute,
  savedCurveWindowSchema,
  savedWindowOf,
  windowOf,
} from '../../server/predictive/curve-window.ts';
import {
  evaluateLiveCurve,
  feedLiveCurve,
  type LiveCurve,
  newLiveCurve,
  restoreLiveCurve,
  savedCurveOf,
  savedLiveCurveSchema,
} from '../../server/predictive/live-curve.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0, 30);

/** The curve as the service database gives it back: through JSON and the schema. */
const throughJson = (curve: LiveCurve) =>
  savedLiveCurveSchema.parse(JSON.parse(JSON.stringify(savedCurveOf(curve))));

describe('the live curve saved with the health model', () => {
  test('a window comes back as saved, minutes without a value empty, with room to its longest', () => {
    const window = emptyWindow();
    for (let m = 0; m < 150; m++) {
      const values: Record<string, number> = { 'flow.rate': 40 + m / 7 };
      if (m % 3 === 0) values['pressure.outlet'] = 4.35;
      pushMinute(window, T0 + m * MINUTE, values, m < 5 ? null : 2, 240);
    }
    const saved = savedCurveWindowSchema.parse(JSON.parse(JSON.stringify(savedWindowOf(window))));
    expect(saved.running.slice(0, 6)).toEqual([null, null, null, null, null, 2]);
    const back = windowOf(saved, 240);
    expect(curveRows(back)).toEqual(curveRows(window));
    // Over half full: made at its longest, so filling it makes no array anew.
    expect(back.minute.length).toBe(240);
    const columns = back.columns['flow.rate'];
    for (let m = 150; m < 240; m++) pushMinute(back, T0 + m * MINUTE, { 'flow.rate': 1 }, 2, 240);
    expect(back.columns['flow.rate']).toBe(columns);
    // A window saved longer than the longest keeps its newest minutes.
    const shorter = windowOf(saved, 100);
    expect(curveRows(shorter)).toEqual(curveRows(window).slice(50));
  });

  test('a saved window whose columns do not match its minutes is refused', () => {
    const ok = { minutes: [1, 2, 3], running: [2, 2, null], columns: { 'flow.rate': [1, null, 3] } };
    expect(savedCurveWindowSchema.safeParse(ok).success).toBe(true);
    expect(savedCurveWindowSchema.safeParse({ ...ok, running: [2] }).success).toBe(false);
    expect(savedCurveWindowSchema.safeParse({ ...ok, columns: { 'flow.rate': [1] } }).success).toBe(false);
    expect(savedCurveWindowSchema.safeParse({ ...ok, minutes: [1, 3, 2] }).success).toBe(false);
    expect(savedCurveWindowSchema.safeParse({ ...ok, minutes: [1, 2, 2.5] }).success).toBe(false);
  });

  test('restored after a stop, the curve keeps only the minutes of the four hours before its next message', () => {
    const curve = newLiveCurve();
    for (let m = 0; m <= 200; m++)
      feedLiveCurve(curve, T0 + m * MINUTE, { 'flow.rate': 40, 'pump[1].frequency': 45 });
    expect(curve.window.length).toBe(200);
    const saved = throughJson(curve);
    // Back 100 minutes after its last minute: the minutes up to 240 before that are past the window.
    const back = restoreLiveCurve(saved, T0 + 300 * MINUTE);
    expect(curveRows(back.window)).toEqual(curveRows(curve.window).slice(61));
    expect(curveRows(back.window)[0]!.at).toBe(T0 + 61 * MINUTE);
    // Back a day later: nothing left to judge, the curve learns again.
    expect(restoreLiveCurve(saved, T0 + 1440 * MINUTE).window.length).toBe(0);
  });

  test("a parked pump count's window is forgotten once all its minutes are past the window", () => {
    const curve = newLiveCurve();
    const feed = (m: number, pumps: number) => {
      const values: Record<string, number> = { 'flow.rate': 40 * pumps };
      for (let p = 1; p <= pumps; p++) values[`pump[${p}].frequency`] = 45;
      feedLiveCurve(curve, T0 + m * MINUTE, values);
    };
    for (let m = 0; m < 30; m++) feed(m, 2);
    for (let m = 30; m < 60; m++) feed(m, 3);
    for (let m = 60; m < 90; m++) feed(m, 1);
    expect(Object.keys(curve.others).sort()).toEqual(['2', '3']);
    // Four hours on, one pump changes to two then back: the old windows of 2 and 3 are gone.
    for (let m = 90; m < 320; m++) feed(m, 1);
    for (let m = 320; m < 330; m++) feed(m, 2);
    expect(Object.keys(curve.others)).toEqual(['1']);
    expect(curveRows(curve.window).every((row) => row.at >= T0 + 320 * MINUTE)).toBe(true);
  });

  test('a leak opening just after a restart is explained from the saved curve, as without the restart', () => {
    // A one-pump booster watched 100 minutes, the server restarted, its leak opening 5 minutes later.
    const state = createStationState({ seed: 1002, pumps: 1, nominalVoltage: 380, phases: 3, startTime: T0 });
    const unbroken = newLiveCurve();
    let restarted: LiveCurve | undefined;
    let fresh: LiveCurve | undefined;
    for (let s = 0; s < 135 * 60; s++) {
      if (s === 105 * 60) injectFault(state, { fault: 'leak_downstream', params: { m3h: 12 } });
      stepStation(state, 1);
      const at = T0 + state.time * 1000;
      const values = readings(state) as Record<string, number>;
      if (s === 100 * 60) {
        restarted = restoreLiveCurve(throughJson(unbroken), at);
        fresh = newLiveCurve();
      }
      feedLiveCurve(unbroken, at, values);
      if (restarted) feedLiveCurve(restarted, at, values);
      if (fresh) feedLiveCurve(fresh, at, values);
    }
    const at = T0 + state.time * 1000;
    const codes = (curve: LiveCurve) =>
      evaluateLiveCurve(curve, at)
        .filter((x) => x.active)
        .map((x) => x.code);
    expect(codes(unbroken)).toEqual(['health.explain.leakDownstream']);
    expect(codes(restarted!)).toEqual(['health.explain.leakDownstream']);
    // Without the saved curve the server would still be learning 35 minutes after its restart.
    expect(codes(fresh!)).toEqual([]);
    expect(fresh!.status).toBe('learning');
  });
});
