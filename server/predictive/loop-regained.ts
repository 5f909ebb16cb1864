import { median } from './robust-stats.ts';

type Sample = { at: number; v: number };

/** Speed within this share of its highest: the drive runs flat out. */
const TOP_SHARE = 0.001;
/** Speed this share below its highest: the loop took the pump back. */
const LEFT_SHARE = 0.005;
const LOOK_MS = 60_000;

/**
 * A booster's outlet pressure sags below its set point while the drive runs flat out and climbs back
 * as the demand falls and the loop takes the speed back: a rise of the pressure that begins with the
 * drive at its top speed and sees the speed leave it is the loop regaining control, no fault. Pure.
 */
export function loopRegained(
  episode: { onset: number; end: number; direction: 'high' | 'low' },
  speed: readonly Sample[],
): boolean {
  if (episode.direction !== 'high' || speed.length === 0) return false;
  let top = Number.NEGATIVE_INFINITY;
  for (const s of speed) top = Math.max(top, s.v);
  if (!(top > 0)) return false;
  const before = speed
    .filter((s) => s.at >= episode.onset - LOOK_MS && s.at <= episode.onset)
    .map((s) => s.v);
  if (before.length === 0 || median(before) < top * (1 - TOP_SHARE)) return false;
  return speed.some((s) => s.at > episode.onset && s.at <= episode.end && s.v < top * (1 - LEFT_SHARE));
}
