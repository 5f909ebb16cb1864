import type { Bin } from './column-series.ts';

/** Which way a change counts: a vibration that falls is no fault. */
export type Sidedness = 'both' | 'high' | 'low';

export interface ChangeEpisode {
  /** When the change was flagged (the statistic crossed its limit), ms. */
  start: number;
  /** Where the change most likely began (the statistic last left zero), ms. */
  onset: number;
  end: number;
  direction: 'high' | 'low';
  /** Mean shift over the episode, in the reference's noise sigmas. */
  score: number;
  /** Still going at the end of the data. */
  open: boolean;
}

export interface ChangeSettings {
  /** Allowance per bin, sigmas: shifts smaller than this never accumulate. */
  k: number;
  /** Decision limit of the cumulative sum, sigmas. */
  h: number;
  /** A bin counts at most this many sigmas: one wild bin cannot raise an episode alone. */
  clip: number;
  /** Episodes of one column and direction closer than this many bins are one episode. */
  mergeBins: number;
}

export const DEFAULT_CHANGE: ChangeSettings = { k: 2, h: 12, clip: 6, mergeBins: 36 };

/**
 * Two one-sided CUSUM charts (Page 1954) on the robust z-scores of the bins against the learned
 * reference. The sum may grow to twice its limit, so it comes back within a bounded time once the
 * process does; an episode opens above the limit and closes below half of it (hysteresis); a long
 * break restarts both sums; episodes closer than `mergeBins` are merged. Pure.
 */
export function detectChanges(
  bins: readonly Bin[],
  from: number,
  reference: { center: number; sigma: number },
  options: { sidedness: Sidedness; binMs: number; longBreakMs: number; settings?: ChangeSettings },
): ChangeEpisode[] {
  const { k, h, clip, mergeBins } = options.settings ?? DEFAULT_CHANGE;
  const found: ChangeEpisode[] = [];
  const sides = (['high', 'low'] as const).filter(
    (s) => options.sidedness === 'both' || options.sidedness === s,
  );
  for (const side of sides) {
    const sign = side === 'high' ? 1 : -1;
    let sum = 0;
    let onset = -1;
    let open: { start: number; onset: number; zSum: number; count: number } | null = null;
    let last = -1;
    const close = (at: number, isOpen: boolean) => {
      if (!open) return;
      found.push({
        start: bins[open.start]!.t,
        onset: bins[open.onset]!.t,
        end: bins[at]!.t,
        direction: side,
        score: round(open.zSum / open.count),
        open: isOpen,
      });
      open = null;
    };
    for (let i = from; i < bins.length; i++) {
      const bin = bins[i]!;
      if (last >= 0 && bin.t - bins[last]!.t > options.longBreakMs) {
        close(last, false);
        sum = 0;
        onset = -1;
      }
      last = i;
      const raw = (sign * (bin.v - reference.center)) / reference.sigma;
      const z = Math.max(-clip, Math.min(clip, raw));
      const before = sum;
      sum = Math.min(2 * h, Math.max(0, sum + z - k));
      if (before === 0 && sum > 0) onset = i;
      if (sum === 0) onset = -1;
      if (open) {
        open.zSum += Math.min(raw, SCORE_CAP);
        open.count += 1;
        if (sum < h / 2) close(i, false);
      } else if (sum > h) {
        open = { start: i, onset: onset >= 0 ? onset : i, zSum: Math.min(raw, SCORE_CAP), count: 1 };
      }
    }
    if (last >= 0) close(last, true);
  }
  return merge(found, mergeBins * options.binMs);
}

function merge(episodes: ChangeEpisode[], gapMs: number): ChangeEpisode[] {
  const sorted = [...episodes].sort((a, b) => a.start - b.start);
  const out: ChangeEpisode[] = [];
  for (const e of sorted) {
    const prev = out.findLast((p) => p.direction === e.direction);
    if (prev && e.onset - prev.end <= gapMs) {
      prev.end = Math.max(prev.end, e.end);
      prev.score = Math.max(prev.score, e.score);
      prev.open = e.open;
    } else out.push({ ...e });
  }
  return out;
}

/** Scores are capped like the live anomaly chart's: past 50 sigmas the size says nothing more. */
const SCORE_CAP = 50;

const round = (v: number) => Math.round(v * 100) / 100;
