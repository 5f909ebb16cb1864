import { describe, expect, test } from 'vitest';
import { advanceSchedule, dueClasses, msUntilDue } from '../../edge/poll-schedule.ts';

const intervals = { fast: 1000, slow: 10_000 };

describe('dueClasses', () => {
  test.each([
    ['both due at start', { fast: 0, slow: 0 }, 0, ['fast', 'slow']],
    ['nothing due yet', { fast: 1000, slow: 10_000 }, 999, []],
    ['fast due, slow far off', { fast: 1000, slow: 10_000 }, 1000, ['fast']],
    [
      'slow joins a fast cycle within a quarter of its interval',
      { fast: 8000, slow: 10_000 },
      8000,
      ['fast', 'slow'],
    ],
    ['slow alone when fast is not near', { fast: 10_600, slow: 10_000 }, 10_000, ['slow']],
    ['fast rides along within 250 ms', { fast: 10_200, slow: 10_000 }, 10_000, ['fast', 'slow']],
    ['late fast still due', { fast: 1000, slow: 10_000 }, 5000, ['fast']],
  ])('%s', (_name, nextDue, now, expected) => {
    expect(dueClasses(nextDue, intervals, now)).toEqual(expected);
  });
});

describe('advanceSchedule', () => {
  test.each([
    ['on time', { fast: 1000, slow: 10_000 }, ['fast'] as const, 1100, { fast: 2000, slow: 10_000 }, 0],
    [
      'both classes',
      { fast: 10_000, slow: 10_000 },
      ['fast', 'slow'] as const,
      10_300,
      { fast: 11_000, slow: 20_000 },
      0,
    ],
    [
      'overran by 2.5 intervals: skips, no burst',
      { fast: 1000, slow: 10_000 },
      ['fast'] as const,
      3500,
      { fast: 4000, slow: 10_000 },
      2,
    ],
    [
      'ends exactly on the next due time',
      { fast: 1000, slow: 10_000 },
      ['fast'] as const,
      2000,
      { fast: 3000, slow: 10_000 },
      1,
    ],
    [
      'early slow keeps its grid',
      { fast: 8000, slow: 10_000 },
      ['fast', 'slow'] as const,
      8100,
      { fast: 9000, slow: 20_000 },
      0,
    ],
  ])('%s', (_name, nextDue, read, now, expected, missed) => {
    expect(advanceSchedule(nextDue, intervals, read, now)).toEqual({ nextDue: expected, missed });
  });

  test('msUntilDue', () => {
    expect(msUntilDue({ fast: 1500, slow: 10_000 }, 1000)).toBe(500);
    expect(msUntilDue({ fast: 500, slow: 10_000 }, 1000)).toBe(0);
  });
});
