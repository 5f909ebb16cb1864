import { describe, expect, test } from 'vitest';
import { PollGovernor, type PollingSnapshot } from '../../edge/poll-governor.ts';

const planned = { fast: 1000, slow: 10_000 };

/** A governor on a clock the test moves; `window(lagMs)` feeds one 5 s window of 10 stations' reads. */
function rig(options: { pressure?: () => number } = {}) {
  let now = 0;
  const changes: PollingSnapshot[] = [];
  const governor = new PollGovernor({
    planned,
    windowMs: 5000,
    maxStretch: 4,
    calmWindows: 2,
    now: () => now,
    onChange: (s) => changes.push(s),
    ...options,
  });
  const window = (fastLagMs: number) => {
    const start = now;
    const intervals = governor.intervals(planned);
    for (let t = 0; t < 5000; t += intervals.fast) {
      now = start + t;
      for (let station = 0; station < 10; station++) {
        governor.noteCycle([{ c: 'fast', lagMs: fastLagMs, sinceLastMs: intervals.fast + fastLagMs }]);
      }
    }
    now = start + 5000;
    governor.snapshot(); // closes the window
  };
  const stretches = () => [governor.stretch('slow'), governor.stretch('fast')];
  return { governor, window, stretches, changes };
}

describe('the poll governor', () => {
  test('late reads stretch the slow class first, then the fast; calm windows take it back fastest first', () => {
    const { governor, window, stretches, changes } = rig();
    window(0);
    expect(stretches()).toEqual([1, 1]);
    expect(governor.snapshot().stretched).toBe(false);

    const seen: number[][] = [];
    for (let i = 0; i < 4; i++) {
      window(600); // 60% of the fast interval late: overloaded
      seen.push(stretches());
    }
    expect(seen).toEqual([
      [2, 1],
      [4, 1],
      [4, 2],
      [4, 4],
    ]);
    const stretched = governor.snapshot();
    expect(stretched.stretched).toBe(true);
    expect(stretched.classes.fast).toMatchObject({ plannedMs: 1000, targetMs: 4000, stretch: 4 });
    expect(stretched.classes.slow).toMatchObject({ plannedMs: 10_000, targetMs: 40_000 });
    expect(stretched.classes.fast!.lagMs).toBe(600);
    expect(stretched.classes.fast!.actualMs).toBeGreaterThan(1000);

    const recovered: number[][] = [];
    for (let i = 0; i < 8; i++) {
      window(0);
      recovered.push(stretches());
    }
    // Two calm windows per step back: fast 4 -> 2 -> 1, then slow 4 -> 2 -> 1.
    expect(recovered).toEqual([
      [4, 4],
      [4, 2],
      [4, 2],
      [4, 1],
      [4, 1],
      [2, 1],
      [2, 1],
      [1, 1],
    ]);
    expect(governor.snapshot()).toMatchObject({ stretched: false, stretches: 4, recoveries: 4 });
    expect(changes.map((c) => c.stretched)).toEqual([true, true, true, true, true, true, true, false]);
  });

  test('lateness under a quarter of the interval neither stretches nor counts as calm', () => {
    const { window, stretches } = rig();
    window(600);
    expect(stretches()).toEqual([2, 1]);
    for (let i = 0; i < 4; i++) window(150);
    expect(stretches()).toEqual([2, 1]);
  });

  test('a full publishing side defers cycles (counted) and stretches like lateness', () => {
    let pressure = 1.2;
    const { governor, window, stretches } = rig({ pressure: () => pressure });
    expect(governor.admit()).toBe(false);
    expect(governor.admit()).toBe(false);
    window(0);
    expect(stretches()).toEqual([2, 1]);
    expect(governor.snapshot().deferred).toBeGreaterThanOrEqual(2);
    pressure = 0.1;
    expect(governor.admit()).toBe(true);
    window(0);
    window(0);
    window(0);
    expect(stretches()).toEqual([1, 1]);
  });

  test('missed polls count as overload; with maxStretch 1 nothing is stretched', () => {
    let now = 0;
    const fixed = new PollGovernor({ planned, windowMs: 1000, maxStretch: 1, now: () => now });
    fixed.noteMissed('fast', 3);
    now = 1000;
    expect(fixed.snapshot().classes.fast).toMatchObject({ missed: 3, stretch: 1, targetMs: 1000 });
    expect(fixed.intervals(planned)).toEqual(planned);
  });
});
