import type { PollClass } from './config.ts';

export type Schedule = Record<PollClass, number>;

/**
 * Share of its own interval by which a class may be read early, to ride along with a cycle that is
 * due anyway. With fast 1000 ms and slow 10000 ms the slow tags join every tenth fast cycle, so a
 * cycle reads each area once and publishes one message carrying both classes.
 */
export const MERGE_FRACTION = 0.25;

/** Classes to read in the cycle starting at `now`: none while nothing is due yet. */
export function dueClasses(nextDue: Schedule, intervals: Schedule, now: number): PollClass[] {
  const classes = Object.keys(nextDue) as PollClass[];
  if (!classes.some((c) => nextDue[c] <= now)) return [];
  return classes.filter((c) => nextDue[c] <= now + intervals[c] * MERGE_FRACTION);
}

/**
 * Fixed-rate schedule: each class read this cycle is next due one interval after its last due
 * time, not after the cycle's end, so slow cycles do not make the rate drift. Due times that
 * already passed (the cycle overran) are skipped and counted as missed, never run in a burst.
 */
export function advanceSchedule(
  nextDue: Schedule,
  intervals: Schedule,
  read: readonly PollClass[],
  now: number,
): { nextDue: Schedule; missed: number } {
  const next = { ...nextDue };
  let missed = 0;
  for (const c of read) {
    let due = nextDue[c] + intervals[c];
    if (due <= now) {
      const behind = Math.floor((now - due) / intervals[c]) + 1;
      missed += behind;
      due += behind * intervals[c];
    }
    next[c] = due;
  }
  return { nextDue: next, missed };
}

/** Ms until the next class is due (0 when one is due now). */
export function msUntilDue(nextDue: Schedule, now: number): number {
  return Math.max(0, Math.min(...Object.values(nextDue)) - now);
}
