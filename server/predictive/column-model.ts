import { type ChangeEpisode, type ChangeSettings, DEFAULT_CHANGE, detectChanges } from './change-detector.ts';
import type { ColumnKind } from './column-guess.ts';
import { type Bin, binSeries, learnReference } from './column-series.ts';
import { type ColumnTrend, columnTrend } from './column-trend.ts';
import { learnLocal, localResiduals } from './local-baseline.ts';
import { median, robustSigma } from './robust-stats.ts';

export interface ColumnVerdict {
  binMs: number;
  bins: number;
  learning: {
    status: 'learned' | 'too_little_data';
    /** Learning period, ms (null: nothing learned). */
    from: number | null;
    to: number | null;
    center: number | null;
    sigma: number | null;
    note: string;
  };
  episodes: ChangeEpisode[];
  trend: ColumnTrend;
}

export interface ColumnOptions {
  kind: ColumnKind;
  /** Alarm threshold on the column's own scale; else the kind's default relative one, else none. */
  threshold?: number;
  windowDays: number;
  /** Smallest noise in the column's own units (a relation's residuals centre on zero). */
  absoluteFloor?: number;
  /**
   * Judge the column against where it just was (a moving baseline), not against its learned level:
   * readings that follow the demand along the pump's curve. The number is the smallest noise as a
   * share of the level.
   */
  local?: number;
  /** Allow for the learning residuals' autocorrelation (a relation's residuals persist for minutes). */
  autocorrelated?: boolean;
  settings?: ChangeSettings;
}

/**
 * One column of readings judged on its own: bins, an adaptive learning period whose readings are never
 * judged against themselves, CUSUM episodes on the robust residuals from the learned reference, and a
 * trend with the time to its threshold. Pure; cost linear in the samples plus a bounded fit.
 */
export function judgeColumn(
  samples: readonly { at: number; v: number }[],
  options: ColumnOptions,
): ColumnVerdict {
  const { binMs, bins } = binSeries(samples);
  const learned = learnReference(bins, binMs, {
    relative: options.kind.relativeFloor ?? 0.0025,
    absolute: options.absoluteFloor ?? 0,
  });
  const learning: ColumnVerdict['learning'] = {
    status: learned.status,
    from: learned.status === 'learned' ? bins[learned.from]!.t - binMs / 2 : null,
    to: learned.status === 'learned' ? bins[learned.to - 1]!.t + binMs / 2 : null,
    center: learned.status === 'learned' ? learned.center : null,
    sigma: learned.status === 'learned' ? learned.sigma : null,
    note: learned.note,
  };
  if (learned.status !== 'learned') {
    return {
      binMs,
      bins: bins.length,
      learning,
      episodes: [],
      trend: {
        ...columnTrend({
          bins: [],
          from: 0,
          since: null,
          windowDays: 1,
          threshold: undefined,
          worse: 'up',
          scale: 'linear',
        }),
        status: 'too_little_data',
        note: learned.note,
      },
    };
  }
  const span = bins.length > 1 ? bins[bins.length - 1]!.t - bins[0]!.t : 0;
  const longBreakMs = Math.max(12 * binMs, 0.05 * span);
  const change = {
    sidedness: options.kind.sidedness,
    binMs,
    longBreakMs,
    ...(options.settings ? { settings: options.settings } : {}),
  };
  let episodes: ChangeEpisode[];
  if (options.local !== undefined) {
    const local = learnLocal(bins, learned.from, learned.to, binMs, options.local * Math.abs(learned.center));
    const tail = bins.slice(Math.max(learned.from, learned.to - local.tauBins), learned.to).map((b) => b.v);
    const k = (options.settings ?? DEFAULT_CHANGE).k;
    const residuals = localResiduals(bins, learned.to, median(tail), local, k, longBreakMs);
    episodes = detectChanges(residuals, learned.to, { center: 0, sigma: local.sigma }, change);
  } else if (options.autocorrelated) {
    const sigma = inflatedSigma(bins.slice(learned.from, learned.to), learned.center, learned.sigma);
    episodes = detectChanges(bins, learned.to, { center: learned.center, sigma }, change);
  } else {
    episodes = detectChanges(bins, learned.to, learned, change);
  }
  const going = episodes.find((e) => e.open);
  const threshold =
    options.threshold ??
    (options.kind.thresholdRatio !== undefined ? options.kind.thresholdRatio * learned.center : undefined);
  const trend = columnTrend({
    bins,
    from: learned.to,
    since: going ? going.onset : null,
    windowDays: options.windowDays,
    threshold,
    worse: options.kind.worse,
    scale: options.kind.scale,
  });
  if (options.threshold === undefined && threshold !== undefined && trend.threshold !== null) {
    trend.note += `; threshold ${options.kind.thresholdRatio} x its own healthy level (no --threshold given)`;
  }
  return { binMs, bins: bins.length, learning, episodes, trend };
}

/** The learned sigma times sqrt((1 + rho) / (1 - rho)), rho the lag-1 autocorrelation (at most x2.5). */
function inflatedSigma(learning: readonly Bin[], center: number, sigma: number): number {
  const r = learning.map((b) => b.v - center);
  if (r.length < 4) return sigma;
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += r[i]! * r[i]!;
    if (i > 0) num += r[i]! * r[i - 1]!;
  }
  const rho = den > 0 ? Math.max(0, Math.min(0.95, num / den)) : 0;
  return Math.max(sigma, robustSigma(r, 0) * Math.min(2.5, Math.sqrt((1 + rho) / (1 - rho))));
}
