import { describe, expect, test } from 'vitest';
import type { TelemetryValue } from '../../core/telemetry/payloads.ts';
import { DEFAULT_PREDICTIVE_CONFIG } from '../../server/predictive/config.ts';
import { goodReadings, type ReadingMap } from '../../server/predictive/extract.ts';
import { feedLiveCurve, newLiveCurve } from '../../server/predictive/live-curve.ts';
import { feedStation, newStationModel } from '../../server/predictive/station-model.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-03-02T00:00:00Z');

/** The readings as the models took them before: only the good values, the others left out. */
function withoutTheOthers(values: Record<string, TelemetryValue>): ReadingMap {
  const out: Record<string, number | boolean> = {};
  for (const meaning in values) {
    const value = values[meaning]!;
    if (value.q === 'good' && value.v !== null) out[meaning] = value.v;
  }
  return out;
}

describe("a message's good values as the models' readings", () => {
  test('good values kept, the others there but undefined', () => {
    const values: Record<string, TelemetryValue> = {
      'flow.rate': { v: 12.5, q: 'good' },
      'pump[1].running': { v: true, q: 'good' },
      'pressure.outlet': { v: 4.1, q: 'stale' },
      'pressure.inlet': { v: null, q: 'comms_failed' },
      'tank.level': { v: 99, q: 'out_of_range' },
    };
    const r = goodReadings(values);
    expect(r).toEqual({ 'flow.rate': 12.5, 'pump[1].running': true });
    expect(Object.keys(r)).toHaveLength(5);
    expect(r['pressure.outlet']).toBeUndefined();
    // The message's own values are left as they were.
    expect(values['pressure.outlet']).toEqual({ v: 4.1, q: 'stale' });
  });

  test('a station model and its curve learn the same from them as from the good values alone', () => {
    // Six hours of a three-pump booster, a bearing wearing from the third, with one value in seven
    // stale or failed (a pump's running flag among them): both ways of passing readings must leave
    // the same state.
    const state = createStationState({
      seed: 11,
      pumps: 3,
      nominalVoltage: 380,
      phases: 3,
      startTime: START,
    });
    const a = { model: newStationModel(), curve: newLiveCurve() };
    const b = { model: newStationModel(), curve: newLiveCurve() };
    let spoiled = 0;
    for (let s = 0; s < 6 * 3600; s += 10) {
      if (s === 3 * 3600) injectFault(state, { fault: 'bearing_wear', params: { progress: 0.9 } });
      stepStation(state, 10);
      const at = START + Math.round(state.time * 1000);
      const values: Record<string, TelemetryValue> = {};
      let i = 0;
      for (const [meaning, v] of Object.entries(readings(state))) {
        const bad = (s / 10 + i++) % 7 === 0;
        if (bad) spoiled += 1;
        values[meaning] = bad
          ? { v: i % 2 ? null : (v as number | boolean), q: i % 2 ? 'comms_failed' : 'stale' }
          : { v: v as number | boolean, q: 'good' };
      }
      feedStation(a.model, at, goodReadings(values), DEFAULT_PREDICTIVE_CONFIG);
      feedLiveCurve(a.curve, at, goodReadings(values));
      feedStation(b.model, at, withoutTheOthers(values), DEFAULT_PREDICTIVE_CONFIG);
      feedLiveCurve(b.curve, at, withoutTheOthers(values));
    }
    expect(spoiled).toBeGreaterThan(1000);
    expect(Object.keys(a.model.tracks).length).toBeGreaterThan(5);
    expect(a.curve.window.length).toBeGreaterThan(200);
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    expect(JSON.stringify(a.curve)).toBe(JSON.stringify(b.curve));
  });
});
