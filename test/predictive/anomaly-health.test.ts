import { describe, expect, test } from 'vitest';
import { newAnomaly, updateAnomaly } from '../../server/predictive/anomaly.ts';
import { DEFAULT_PREDICTIVE_CONFIG } from '../../server/predictive/config.ts';
import { combineHealth, indicatorHealth } from '../../server/predictive/health-score.ts';
import type { Prediction } from '../../server/predictive/trend.ts';

const config = DEFAULT_PREDICTIVE_CONFIG;
const MIN = 60_000;
const label = { indicator: 'vibration', pump: 1 };

/** Runs z-scores one a minute and returns the episodes that ended. */
function run(zs: number[]) {
  const state = newAnomaly();
  return zs.map((z, i) => updateAnomaly(state, i * MIN, z, config, label)).filter((e) => e !== undefined);
}

describe('EWMA anomaly episodes', () => {
  test.each([
    { name: 'quiet readings', zs: Array(240).fill(0.5), episodes: 0 },
    { name: 'one wild reading', zs: [...Array(60).fill(0), 30, ...Array(60).fill(0)], episodes: 0 },
    {
      name: 'an hour far out, then back',
      zs: [...Array(60).fill(0), ...Array(60).fill(8), ...Array(120).fill(0)],
      episodes: 1,
    },
    {
      name: 'low readings count too',
      zs: [...Array(60).fill(0), ...Array(60).fill(-8), ...Array(120).fill(0)],
      episodes: 1,
    },
  ])('$name: $episodes episodes', ({ zs, episodes }) => {
    expect(run(zs)).toHaveLength(episodes);
  });

  test('an episode carries its times, indicator and peak score', () => {
    const [episode] = run([...Array(60).fill(0), ...Array(60).fill(8), ...Array(120).fill(0)]);
    expect(episode).toMatchObject({ indicator: 'vibration', pump: 1, direction: 'high' });
    expect(episode!.start).toBeGreaterThan(60 * MIN);
    expect(episode!.end).toBeGreaterThan(episode!.start);
    expect(episode!.score).toBeGreaterThan(config.anomalyOnZ);
    expect(episode!.score).toBeLessThanOrEqual(8);
  });
});

const soon: Prediction = {
  status: 'degrading',
  note: '',
  points: 100,
  slopePerDay: 0.3,
  level: 5,
  threshold: 11,
  progress: 0.3,
  model: 'exponential',
  daysToThreshold: 5,
  bandDays: { low: 4, high: 6 },
  crossingAt: 0,
  significant: true,
  actionable: true,
};

describe('health score (default zones: ISO 10816-3 group 2 rigid, C from 2.8 and D from 4.5 mm/s)', () => {
  test.each([
    {
      name: 'vibration zone A',
      indicator: 'vibration',
      value: 0.7,
      baseline: 0.7,
      prediction: null,
      anomalous: false,
      min: 90,
      max: 100,
    },
    {
      name: 'vibration zone C',
      indicator: 'vibration',
      value: 3.6,
      baseline: 2,
      prediction: null,
      anomalous: false,
      min: 25,
      max: 60,
    },
    {
      name: 'vibration zone D',
      indicator: 'vibration',
      value: 6,
      baseline: 2,
      prediction: null,
      anomalous: false,
      min: 0,
      max: 25,
    },
    {
      name: 'healthy insulation',
      indicator: 'insulation_r40',
      value: 150,
      baseline: 150,
      prediction: null,
      anomalous: false,
      min: 100,
      max: 100,
    },
    {
      name: 'insulation half way (log)',
      indicator: 'insulation_r40',
      value: Math.sqrt(150 * 5),
      baseline: 150,
      prediction: null,
      anomalous: false,
      min: 55,
      max: 65,
    },
    {
      name: 'crossing predicted in 5 days',
      indicator: 'vibration',
      value: 3,
      baseline: 2,
      prediction: soon,
      anomalous: false,
      min: 30,
      max: 45,
    },
    {
      name: 'anomalous but low',
      indicator: 'current_imbalance',
      value: 1.3,
      baseline: 1.2,
      prediction: null,
      anomalous: true,
      min: 75,
      max: 75,
    },
  ] as const)('$name: $min-$max', ({ indicator, value, baseline, prediction, anomalous, min, max }) => {
    const h = indicatorHealth({ indicator, pump: 1, value, baseline, prediction, anomalous }, config);
    expect(h.score).toBeGreaterThanOrEqual(min);
    expect(h.score).toBeLessThanOrEqual(max);
  });

  test('the lowest indicator drives the score', () => {
    const a = indicatorHealth(
      { indicator: 'vibration', pump: 1, value: 8, baseline: 2, prediction: null, anomalous: false },
      config,
    );
    const b = indicatorHealth(
      {
        indicator: 'insulation_r40',
        pump: null,
        value: 150,
        baseline: 150,
        prediction: null,
        anomalous: false,
      },
      config,
    );
    const combined = combineHealth([a, b]);
    expect(combined.score).toBe(a.score);
    expect(combined.driver?.indicator).toBe('vibration');
    expect(combineHealth([b]).driver).toBeNull();
  });
});
