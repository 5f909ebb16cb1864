import { describe, expect, test } from 'vitest';
import { appendLive, chooseStep, MAX_POINTS, mergeSeries } from '../../dashboards/app/lib/history-step.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;

describe('chooseStep keeps a chart under ~1000 points from minutes to 30 days', () => {
  test.each([
    [5 * MIN, '1s'],
    [15 * MIN, '1s'],
    [60 * MIN, '5s'],
    [6 * 60 * MIN, '30s'],
    [DAY, '2m'],
    [7 * DAY, '15m'],
    [30 * DAY, '1h'],
    [366 * DAY, '12h'],
    [2000 * DAY, '2d'],
  ])('%i ms -> %s', (span, text) => {
    const step = chooseStep(span);
    expect(step.text).toBe(text);
    expect(span / step.ms).toBeLessThanOrEqual(MAX_POINTS);
  });
});

describe('appendLive', () => {
  test.each([
    {
      name: 'raw points append',
      data: [
        [10, 11],
        [1, 2],
      ],
      ts: 12,
      step: 1,
      from: 0,
      want: [
        [10, 11, 12],
        [1, 2, 9],
      ],
    },
    {
      name: 'a sample in the last bucket replaces it',
      data: [
        [60, 120],
        [1, 2],
      ],
      ts: 150,
      step: 60,
      from: 0,
      want: [
        [60, 120],
        [1, 9],
      ],
    },
    {
      name: 'a sample in a new bucket starts one at the bucket start',
      data: [
        [60, 120],
        [1, 2],
      ],
      ts: 185,
      step: 60,
      from: 0,
      want: [
        [60, 120, 180],
        [1, 2, 9],
      ],
    },
    {
      name: 'points older than from slide off',
      data: [
        [10, 11, 12],
        [1, 2, 3],
      ],
      ts: 13,
      step: 1,
      from: 11.5,
      want: [
        [12, 13],
        [3, 9],
      ],
    },
    {
      name: 'an older sample is ignored',
      data: [
        [60, 120],
        [1, 2],
      ],
      ts: 30,
      step: 60,
      from: 0,
      want: [
        [60, 120],
        [1, 2],
      ],
    },
    { name: 'empty data takes the first sample', data: [[], []], ts: 5, step: 1, from: 0, want: [[5], [9]] },
  ])('$name', ({ data, ts, step, from, want }) => {
    expect(appendLive(data as [number[], number[]], ts, [9], step, from)).toEqual(want);
  });
});

test('mergeSeries aligns several series on the union of their timestamps', () => {
  const merged = mergeSeries([
    [
      { ts: 1000, value: 1 },
      { ts: 3000, value: 3 },
    ],
    [
      { ts: 2000, value: 20 },
      { ts: 3000, value: 30 },
    ],
  ]);
  expect(merged).toEqual([
    [1, 2, 3],
    [1, null, 3],
    [null, 20, 30],
  ]);
});
