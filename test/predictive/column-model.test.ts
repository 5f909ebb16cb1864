import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { detectChanges } from '../../server/predictive/change-detector.ts';
import { guessColumn, parseMappings } from '../../server/predictive/column-guess.ts';
import { judgeColumn } from '../../server/predictive/column-model.ts';
import { binSeries, learnReference } from '../../server/predictive/column-series.ts';
import { parseCsvReadings } from '../../server/predictive/csv-readings.ts';
import { analyzeReadings } from '../../server/predictive/offline-analysis.ts';

const START = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const vibration = guessColumn('Bearing 1 vibration (mm/s)').kind;
const other = guessColumn('x').kind;

/** Deterministic noise (a small LCG): tests never depend on Math.random. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // Sum of four uniforms: roughly normal, sigma ~0.58.
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      sum += s / 2 ** 32;
    }
    return (sum - 2) / 0.577;
  };
}

function series(n: number, stepMs: number, value: (i: number, e: number) => number, seed = 1) {
  const e = noise(seed);
  return Array.from({ length: n }, (_, i) => ({ at: START + i * stepMs, v: value(i, e()) }));
}

describe('learning period', () => {
  test('too little data is said so, and nothing is judged', () => {
    const verdict = judgeColumn(
      series(20, MIN, (_, e) => 5 + 0.01 * e),
      { kind: other, windowDays: 7 },
    );
    expect(verdict.learning.status).toBe('too_little_data');
    expect(verdict.learning.note).toMatch(/too little data: 20 bins, 31 needed/);
    expect(verdict.episodes).toEqual([]);
    expect(verdict.trend.status).toBe('too_little_data');
  });

  test('a level that settles during learning is learned after it settles, and never flagged against itself', () => {
    // A run-in: the first two hours fall from 6 to 5, then it holds at 5 for the rest of the day.
    const samples = series(24 * 60, MIN, (i, e) => (i < 120 ? 6 - i / 120 : 5) + 0.01 * e);
    const verdict = judgeColumn(samples, { kind: other, windowDays: 7 });
    expect(verdict.learning.status).toBe('learned');
    expect(verdict.learning.note).toMatch(/moved past a settling start/);
    expect(verdict.learning.center).toBeCloseTo(5, 1);
    expect(verdict.episodes).toEqual([]);
  });

  test('a long break with another level after it restarts the learning; the old level is no episode', () => {
    // Two hours at 0.10, a six-day stop, then 0.125 for ten days (a rig remounted), as IMS test 1.
    const before = series(12, 10 * MIN, (_, e) => 0.1 + 0.0005 * e, 2);
    const after = series(1440, 10 * MIN, (_, e) => 0.125 + 0.0008 * e, 3).map((p) => ({
      at: p.at + 6 * DAY + 2 * 3_600_000,
      v: p.v,
    }));
    const verdict = judgeColumn([...before, ...after], { kind: vibration, windowDays: 7 });
    expect(verdict.learning.note).toMatch(/restarted after a 6\.\d d break/);
    expect(verdict.learning.center).toBeCloseTo(0.125, 2);
    expect(verdict.episodes).toEqual([]);
  });

  test('a short file (20 readings a minute for 15 minutes) learns from its first fifth', () => {
    const samples = series(15 * 20, 3000, (_, e) => 40 + 0.4 * e);
    const { bins, binMs } = binSeries(samples);
    expect(binMs).toBe(3000);
    const learned = learnReference(bins, binMs);
    expect(learned).toMatchObject({ status: 'learned', from: 0, to: 60 });
    expect(judgeColumn(samples, { kind: other, windowDays: 7 }).episodes).toEqual([]);
  });
});

describe('change detection', () => {
  test('one wild reading is no episode; a step is, flagged within a few readings of its onset', () => {
    const samples = series(600, MIN, (i, e) => (i === 200 ? 50 : i >= 400 ? 4.3 : 4) + 0.02 * e);
    const verdict = judgeColumn(samples, { kind: other, windowDays: 7 });
    expect(verdict.episodes).toHaveLength(1);
    const [step] = verdict.episodes;
    expect(step).toMatchObject({ direction: 'high', open: true });
    expect(step!.onset).toBeGreaterThanOrEqual(START + 399 * MIN);
    expect(step!.start - (START + 400 * MIN)).toBeLessThanOrEqual(4 * MIN);
  });

  test('a vibration that falls is no fault; one that rises is', () => {
    const down = judgeColumn(
      series(600, MIN, (i, e) => (i >= 300 ? 2 : 3) + 0.02 * e),
      { kind: vibration, windowDays: 7 },
    );
    expect(down.episodes).toEqual([]);
    const up = judgeColumn(
      series(600, MIN, (i, e) => (i >= 300 ? 4 : 3) + 0.02 * e),
      { kind: vibration, windowDays: 7 },
    );
    expect(up.episodes.map((e) => e.direction)).toEqual(['high']);
  });

  test('a long break restarts the sums: a step that ended before the break does not run on after it', () => {
    const bins = [
      ...Array.from({ length: 100 }, (_, i) => ({ t: START + i * MIN, v: i >= 60 ? 10 : 5 })),
      ...Array.from({ length: 50 }, (_, i) => ({ t: START + DAY + i * MIN, v: 5 })),
    ];
    const episodes = detectChanges(
      bins,
      30,
      { center: 5, sigma: 0.1 },
      {
        sidedness: 'both',
        binMs: MIN,
        longBreakMs: 3_600_000,
      },
    );
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.end).toBe(START + 99 * MIN);
    expect(episodes[0]!.open).toBe(false);
  });

  test('episodes of one direction closer than the merge gap are one', () => {
    const bins = Array.from({ length: 300 }, (_, i) => ({
      t: START + i * MIN,
      v: (i >= 100 && i < 130) || (i >= 150 && i < 180) ? 8 : 5,
    }));
    const episodes = detectChanges(
      bins,
      30,
      { center: 5, sigma: 0.1 },
      { sidedness: 'both', binMs: MIN, longBreakMs: DAY },
    );
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.start).toBeLessThan(START + 105 * MIN);
    expect(episodes[0]!.end).toBeGreaterThan(START + 180 * MIN);
  });
});

describe('trend and time to threshold', () => {
  test('an exponential rise since the onset: rising, with a time to its default threshold (twice its level)', () => {
    // Flat at 1 for 20 days, then growing 10% a day for 4 days (hourly readings).
    const samples = series(24 * 24, 3_600_000, (i, e) => {
      const day = i / 24;
      return (day < 20 ? 1 : Math.exp(0.1 * (day - 20))) * (1 + 0.005 * e);
    });
    const verdict = judgeColumn(samples, { kind: vibration, windowDays: 7 });
    expect(verdict.episodes.at(-1)?.open).toBe(true);
    expect(verdict.trend).toMatchObject({ status: 'degrading', trend: 'rising' });
    // At day 24 the level is e^0.4 = 1.49: ln(2/1.49)/0.1 = 2.9 days to 2.
    expect(verdict.trend.daysToThreshold!).toBeGreaterThan(2);
    expect(verdict.trend.daysToThreshold!).toBeLessThan(4);
    expect(verdict.trend.note).toMatch(/2 x its own healthy level/);
  });
});

describe('column meanings', () => {
  test.each([
    { column: 'Bearing 3 C1', kind: 'vibration', meaning: 'pump[1].bearing_vibration' },
    { column: 'Outlet pressure (bar)', kind: 'pressure', meaning: 'pressure.outlet' },
    { column: 'suction_pressure_kPa', kind: 'pressure', meaning: 'pressure.inlet' },
    { column: 'FT-101 m3/h', kind: 'flow', meaning: null },
    { column: 'Flow rate', kind: 'flow', meaning: 'flow.rate' },
    { column: 'P1 power [kW]', kind: 'power', meaning: 'pump[1].power' },
    { column: 'bearing_temp', kind: 'temperature', meaning: null },
    { column: 'tag_4711', kind: 'other', meaning: null },
  ])('$column is guessed $kind', ({ column, kind, meaning }) => {
    const guess = guessColumn(column);
    expect(guess.kind.kind).toBe(kind);
    expect(guess.meaning).toBe(meaning);
  });

  test('a mapping names the meaning; an unknown meaning is refused with the reason', () => {
    expect(guessColumn('P2', 'pressure.outlet')).toMatchObject({ how: 'mapped', kind: { kind: 'pressure' } });
    expect(parseMappings(['P2 (bar)=pressure.outlet'])).toEqual({ 'P2 (bar)': 'pressure.outlet' });
    expect(parseMappings(['P2=pressure.middle'])).toMatch(/unknown meaning "pressure.middle"/);
    expect(parseMappings(['P2'])).toMatch(/not column=meaning/);
  });
});

describe('real data: NASA / IMS bearing test 1', () => {
  const file = join(
    import.meta.dirname,
    '..',
    '..',
    '..',
    'shared',
    'data',
    'ims_bearing',
    'bearing_test1_10min.csv',
  );
  const csv = parseCsvReadings(readFileSync(file, 'utf8'));
  const end = csv.rows.at(-1)!.at;
  const analysis = analyzeReadings(csv);

  test('nothing inside a learning period; the first week (before and after the rig restarted) is learned', () => {
    for (const c of analysis.columns) {
      expect(c.learning).toMatch(/restarted after a 6\.2 d break/);
      const mine = analysis.episodes.filter((e) => e.indicator === c.column);
      for (const e of mine) expect(Date.parse(e.start)).toBeGreaterThan(Date.parse(c.learnedUntil!));
    }
  });

  test('bearings 3 and 4 are flagged at least 3 days before the end; the healthy ones at most once before the last day', () => {
    const first = (bearing: number) =>
      Math.min(
        ...analysis.episodes
          .filter((e) => e.indicator.startsWith(`Bearing ${bearing}`))
          .map((e) => Date.parse(e.start)),
      );
    expect(end - first(3)).toBeGreaterThan(3 * DAY);
    expect(end - first(4)).toBeGreaterThan(3 * DAY);
    for (const bearing of [1, 2, 3, 4]) {
      const channels = analysis.episodes.filter((e) => e.indicator.startsWith(`Bearing ${bearing}`));
      for (const channel of ['C1', 'C2']) {
        expect(channels.filter((e) => e.indicator.endsWith(channel)).length).toBeLessThanOrEqual(2);
      }
    }
  });

  test('three days before the end, bearings 3 and 4 read a rising trend with a time to threshold', () => {
    const earlier = analyzeReadings({ ...csv, rows: csv.rows.filter((r) => r.at <= end - 3 * DAY) });
    for (const channel of ['Bearing 3 C1', 'Bearing 3 C2', 'Bearing 4 C1', 'Bearing 4 C2']) {
      const e = earlier.estimates.find((x) => x.indicator === channel);
      expect(e, channel).toMatchObject({ trend: 'rising', status: 'degrading' });
      expect(e!.daysToThreshold, channel).toBeGreaterThan(0);
    }
  });
});
