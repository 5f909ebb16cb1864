import { expect, test } from 'vitest';
import { historyTimes } from '../../cli/demo-history.ts';

const START = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

test('the history is stored every 20 minutes, its last two hours every 15 s, ending at the start of the live run', () => {
  const times = historyTimes({
    startTime: START,
    days: 1,
    everySeconds: 1200,
    tail: { minutes: 120, everySeconds: 15 },
  });
  const end = START + DAY;
  expect(times.at(-1)).toBe(end);
  const coarse = times.filter((t) => t <= end - 120 * 60_000);
  expect(coarse).toHaveLength(66); // 22 h at 20 minutes
  expect(coarse[0]).toBe(START + 1_200_000);
  expect(times.length - coarse.length).toBe(480); // 2 h at 15 s
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(0);
  expect(historyTimes({ startTime: START, days: 1, everySeconds: 1200 })).toHaveLength(72);
});
