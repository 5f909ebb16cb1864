import { describe, expect, test } from 'vitest';
import { baselineAlong, learnBaseline, newBaseline } from '../../server/predictive/baseline.ts';
import { DEFAULT_PREDICTIVE_CONFIG, predictiveConfigSchema } from '../../server/predictive/config.ts';
import { extractSamples, flowPosition } from '../../server/predictive/extract.ts';
import { snapshotOf } from '../../server/predictive/model-snapshots.ts';
import {
  feedStation,
  newStationModel,
  type SavedStationModel,
  stationHealth,
  upgradeStationModel,
} from '../../server/predictive/station-model.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');

describe('flow bands of the efficiency proxy', () => {
  test.each([
    { flow: 8.5, ratio: 1.25, band: 9 },
    { flow: 10, ratio: 1.25, band: 10 },
    { flow: 12.4, ratio: 1.25, band: 11 },
    { flow: 12.6, ratio: 1.25, band: 11 },
    { flow: 40, ratio: 1.25, band: 16 },
    { flow: 40, ratio: 2, band: 5 },
    { flow: 0.5, ratio: 1.25, band: -4 },
  ])('$flow m3/h per pump at ratio $ratio is in band $band', ({ flow, ratio, band }) => {
    const config = predictiveConfigSchema.parse({ flowBandRatio: ratio });
    const position = flowPosition(flow, config)!;
    expect(Math.floor(position)).toBe(band);
    // Each band spans one ratio of flow.
    expect(flowPosition(flow * ratio, config)! - position).toBeCloseTo(1, 9);
  });

  test('no flow, no position', () => {
    expect(flowPosition(0, DEFAULT_PREDICTIVE_CONFIG)).toBeUndefined();
    expect(flowPosition(-3, DEFAULT_PREDICTIVE_CONFIG)).toBeUndefined();
  });

  test('the efficiency sample sits on the flow per running pump, the others on the speed', () => {
    const samples = extractSamples(
      {
        'pump[1].running': true,
        'pump[1].frequency': 41,
        'pump[2].running': true,
        'pump[2].frequency': 41,
        'pump[1].current_l1': 10,
        'pump[1].current_l2': 10.2,
        'pump[1].current_l3': 9.9,
        'supply.voltage_l1': 380,
        'supply.voltage_l2': 381,
        'supply.voltage_l3': 379,
        'flow.rate': 20,
        'pressure.outlet': 4.5,
        'pressure.inlet': 1,
      },
      DEFAULT_PREDICTIVE_CONFIG,
    );
    const pump1 = samples.filter((s) => s.pump === 1);
    // 20 m3/h over two running pumps: 10 m3/h each, ln 10 / ln 1.25 = 10.32; 41 Hz is speed band 16.
    expect(pump1.find((s) => s.indicator === 'efficiency')?.band).toBeCloseTo(10.32, 2);
    expect(pump1.find((s) => s.indicator === 'current_imbalance')?.band).toBe(16);
  });

  test('a band under-filled when learning ends is kept from a quarter of the samples', () => {
    const config = predictiveConfigSchema.parse({ baselineSamples: 40, baselineDays: 1 });
    const state = newBaseline();
    const minute = (i: number) => START + i * 60_000;
    for (let i = 0; i < 40; i++) learnBaseline(state, minute(i), 10, 0.4 + (i % 3) * 0.001, config, 'down');
    for (let i = 0; i < 12; i++) learnBaseline(state, minute(40 + i), 6, 0.3, config, 'down');
    for (let i = 0; i < 9; i++) learnBaseline(state, minute(60 + i), 3, 0.2, config, 'down');
    expect(state.closed).toBe(false);
    learnBaseline(state, START + 2 * DAY, 10, 0.4, config, 'down');
    expect(state.closed).toBe(true);
    // 12 samples >= 40 / 4: learned; 9 < 10: dropped.
    expect(Object.keys(state.bands).sort()).toEqual(['10', '6']);
    expect(state.reference).toBeCloseTo(0.3, 6);
  });

  test.each([
    // Band centres 6.5 (0.3) and 10.5 (0.401): straight between them, flat one band beyond, then none.
    { position: 6.5, median: 0.3 },
    { position: 8.5, median: 0.3505 },
    { position: 10.5, median: 0.401 },
    { position: 11.4, median: 0.401 },
    { position: 5.6, median: 0.3 },
    { position: 5.4, median: undefined },
    { position: 11.6, median: undefined },
  ])('along the flow bands at $position the healthy level is $median', ({ position, median }) => {
    const config = predictiveConfigSchema.parse({ baselineSamples: 10, baselineDays: 1 });
    const state = newBaseline();
    for (let i = 0; i < 10; i++) learnBaseline(state, START + i, 10, 0.401, config, 'down');
    for (let i = 0; i < 10; i++) learnBaseline(state, START + i, 6, 0.3, config, 'down');
    expect(baselineAlong(state, 6.2)?.median).toBeCloseTo(0.3, 9); // while learning: its own band's
    expect(baselineAlong(state, 8.5)).toBeUndefined();
    learnBaseline(state, START + 2 * DAY, 10, 0.401, config, 'down');
    const level = baselineAlong(state, position);
    if (median === undefined) expect(level).toBeUndefined();
    else expect(level?.median).toBeCloseTo(median, 6);
  });
});

test('along random learned bands the level is the straight line between the nearest centres', () => {
  // The reading of the docs, written plainly: each band's centre at k + 0.5, interpolated between
  // the nearest learned centres on either side, the outermost carried one band, nothing beyond.
  const expected = (bands: Array<[number, number, number]>, position: number) => {
    const below = bands.filter(([k]) => k + 0.5 <= position).sort((a, b) => b[0] - a[0])[0];
    const above = bands.filter(([k]) => k + 0.5 > position).sort((a, b) => a[0] - b[0])[0];
    if (below && above) {
      const w = (position - below[0] - 0.5) / (above[0] - below[0]);
      return { median: below[1] + w * (above[1] - below[1]), sigma: below[2] + w * (above[2] - below[2]) };
    }
    const side = below ?? above;
    return side && Math.abs(position - side[0] - 0.5) <= 1 ? { median: side[1], sigma: side[2] } : undefined;
  };
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  let compared = 0;
  for (let round = 0; round < 200; round++) {
    const state = newBaseline();
    state.closed = true;
    const bands: Array<[number, number, number]> = [];
    for (let k = -3; k < 12; k++) {
      if (random() < 0.6) continue;
      const median = random();
      const sigma = random() / 10;
      bands.push([k, median, sigma]);
      state.bands[k] = { samples: [], median, sigma };
    }
    // A band still without a level is passed over.
    state.bands[13] = { samples: [1, 2], median: null, sigma: null };
    const position = random() * 18 - 4;
    const level = baselineAlong(state, position);
    const want = expected(bands, position);
    if (want === undefined) expect(level).toBeUndefined();
    else {
      expect(level?.median).toBeCloseTo(want.median, 12);
      expect(level?.sigma).toBeCloseTo(want.sigma, 12);
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(100);
});

describe('a healthy booster through its daily demand cycle', () => {
  // As the demo's stored history: a reading every 20 minutes for 10 days, then live every minute.
  test('the night low-flow hours neither lower the efficiency health nor raise an efficiency anomaly', () => {
    const state = createStationState({ seed: 7, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
    const model = newStationModel();
    const config = DEFAULT_PREDICTIVE_CONFIG;
    const scores = { night: [] as number[], day: [] as number[] };
    for (let minute = 0; minute < 13 * 1440; minute++) {
      stepStation(state, 60);
      const at = START + Math.round(state.time * 1000);
      const live = at - START >= 10 * DAY;
      if (!live && minute % 20 !== 0) continue;
      const now = readings(state);
      feedStation(model, at, now, config);
      if (!live || minute % 10 !== 0) continue;
      const health = stationHealth(model, config);
      const hour = new Date(at).getUTCHours();
      for (const pump of [1, 2, 3]) {
        if (now[`pump[${pump}].running`] !== true) continue;
        const efficiency = health.pumps[pump]?.indicators.find((i) => i.indicator === 'efficiency');
        if (efficiency) (hour < 5 ? scores.night : scores.day).push(efficiency.score);
      }
    }
    // Night (00-05, demand at ~12% of the peak) and day are both judged, and healthy in both: a
    // healthy pump's score stays in the top band whatever its operating point.
    expect(scores.night.length).toBeGreaterThan(30);
    expect(scores.day.length).toBeGreaterThan(100);
    expect(Math.min(...scores.night)).toBeGreaterThanOrEqual(70);
    expect(Math.min(...scores.day)).toBeGreaterThanOrEqual(70);
    const episodes = Object.values(model.tracks)
      .filter((t) => t.indicator === 'efficiency')
      .flatMap((t) => t.episodes);
    expect(episodes).toEqual([]);
  });
});

describe('health models saved before the efficiency proxy was learned by flow', () => {
  test('their efficiency tracks start learning again; the speed-learned ones are kept', () => {
    const state = createStationState({ seed: 3, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
    const model = newStationModel();
    for (let minute = 0; minute < 4 * 1440; minute++) {
      stepStation(state, 60);
      feedStation(model, START + Math.round(state.time * 1000), readings(state), DEFAULT_PREDICTIVE_CONFIG);
    }
    const duty = [1, 2, 3].find((p) => model.tracks[`pump[${p}].efficiency`]?.baseline.closed)!;
    // As a snapshot of the old model: no operatingPoint recorded on its tracks.
    const saved = JSON.parse(JSON.stringify(snapshotOf(model, 8))) as SavedStationModel;
    for (const track of Object.values(saved.tracks)) delete track.operatingPoint;
    const vibrationBands = saved.tracks[`pump[${duty}].vibration`]!.baseline.bands;
    // As HealthModelSnapshots.load reads it.
    const restored = upgradeStationModel(saved);
    // Until that pump runs again (within two simulated days).
    for (
      let minute = 0;
      minute === 0 || (state.pumps[duty - 1]!.running !== true && minute < 2880);
      minute++
    ) {
      stepStation(state, 60);
      feedStation(
        restored,
        START + Math.round(state.time * 1000),
        readings(state),
        DEFAULT_PREDICTIVE_CONFIG,
      );
    }
    expect(state.pumps[duty - 1]!.running).toBe(true);
    expect(restored.tracks[`pump[${duty}].efficiency`]?.baseline.closed).toBe(false);
    expect(restored.tracks[`pump[${duty}].efficiency`]?.operatingPoint).toBe('flow');
    expect(restored.tracks[`pump[${duty}].vibration`]?.baseline.closed).toBe(true);
    expect(restored.tracks[`pump[${duty}].vibration`]?.baseline.bands).toEqual(vibrationBands);
  });
});
