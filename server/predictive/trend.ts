import type { PredictiveConfig } from './config.ts';
import type { IndicatorSpec } from './indicator-specs.ts';
import { theilSen } from './robust-stats.ts';

const DAY = 86_400_000;

/** One hourly median: `t` in ms (the middle of the hour). */
export interface HourPoint {
  t: number;
  v: number;
}

export type TrendStatus = 'too_little_data' | 'stable' | 'degrading' | 'crossed';

export interface Prediction {
  status: TrendStatus;
  /** Plain words: why there is no estimate, or what the estimate rests on. */
  note: string;
  /** Hourly medians in the window. */
  points: number;
  /** Robust (Theil-Sen) slope on the indicator's own scale, units per day. */
  slopePerDay: number | null;
  /** The fitted level now. */
  level: number | null;
  threshold: number | null;
  /** Share of the way from the healthy baseline to the threshold (0 healthy, 1 at the threshold). */
  progress: number | null;
  /** Scale the crossing was extrapolated on. */
  model: 'linear' | 'exponential' | null;
  /** Predicted days until the threshold is crossed, with its band (high null: not bounded). */
  daysToThreshold: number | null;
  bandDays: { low: number; high: number | null } | null;
  /** When the crossing is predicted, ms. */
  crossingAt: number | null;
  /** The trend points toward the threshold beyond chance (the slope band excludes zero). */
  significant: boolean;
  /** Close enough and sure enough to open a predictive ticket. */
  actionable: boolean;
}

export interface TrendInput {
  points: readonly HourPoint[];
  spec: Pick<IndicatorSpec, 'direction' | 'scale'>;
  /** Alarm threshold on the indicator's scale; undefined: trend only. */
  threshold: number | undefined;
  /** The healthy level learned for this indicator. */
  baseline: number;
  now: number;
  config: Pick<PredictiveConfig, 'windowDays' | 'minHours' | 'leadTimeDays' | 'minProgress'> &
    Partial<Pick<PredictiveConfig, 'maxExtrapolation'>>;
}

const empty = (points: number, note: string): Prediction => ({
  status: 'too_little_data',
  note,
  points,
  slopePerDay: null,
  level: null,
  threshold: null,
  progress: null,
  model: null,
  daysToThreshold: null,
  bandDays: null,
  crossingAt: null,
  significant: false,
  actionable: false,
});

/**
 * Robust trend over the sliding window and the predicted time until the threshold is crossed, with an
 * uncertainty band from the slope's rank interval. Says plainly when there is too little data. Pure.
 */
export function predictCrossing(input: TrendInput): Prediction {
  const { spec, threshold, baseline, now, config } = input;
  const from = now - config.windowDays * DAY;
  const points = input.points.filter((p) => p.t >= from && p.t <= now && Number.isFinite(p.v));
  const n = points.length;
  const spanHours = n > 1 ? (points[n - 1]!.t - points[0]!.t) / 3_600_000 : 0;
  if (n < config.minHours || spanHours < config.minHours * 0.75) {
    return empty(
      n,
      `too little data to predict: ${n} hourly medians over ${spanHours.toFixed(0)} h in the window, ${config.minHours} needed`,
    );
  }
  const tLast = points[n - 1]!.t;
  const days = points.map((p) => (p.t - tLast) / DAY);
  const linear = theilSen(
    days,
    points.map((p) => p.v),
  );
  const level = linear.intercept; // x = 0 is the last point
  const base: Prediction = {
    ...empty(n, ''),
    status: 'stable',
    slopePerDay: linear.slope,
    level,
    threshold: threshold ?? null,
  };
  if (threshold === undefined) return { ...base, note: 'no alarm threshold: trend only' };
  const up = spec.direction === 'up';
  const span = threshold - baseline;
  const progress = span === 0 ? null : (level - baseline) / span;
  base.progress = progress;
  if (up ? level >= threshold : level <= threshold) {
    return {
      ...base,
      status: 'crossed',
      note: 'the threshold is crossed now',
      daysToThreshold: 0,
      bandDays: { low: 0, high: 0 },
      crossingAt: tLast,
      significant: true,
      actionable: true,
      model: 'linear',
    };
  }

  // Fit on the scale where the degradation is a straight line, falling back to linear when it cannot be.
  let fit = linear;
  let g = (v: number) => v;
  let model: 'linear' | 'exponential' = 'linear';
  let towards = up ? 1 : -1;
  if (spec.scale === 'log' && points.every((p) => p.v > 0) && threshold > 0) {
    fit = theilSen(
      days,
      points.map((p) => Math.log(p.v)),
    );
    g = Math.log;
    model = 'exponential';
  } else if (spec.scale === 'log_excess') {
    const floor = 0.5 * config.minProgress * Math.abs(span);
    const excessOf = (v: number) => (up ? v - baseline : baseline - v);
    const kept = points.map((p, i) => ({ x: days[i]!, e: excessOf(p.v) })).filter((p) => p.e > floor);
    if (kept.length >= config.minHours / 2) {
      fit = theilSen(
        kept.map((p) => p.x),
        kept.map((p) => Math.log(p.e)),
      );
      g = (v: number) => Math.log(Math.max(excessOf(v), floor));
      model = 'exponential';
      towards = 1;
    }
  }
  const gap = towards * (g(threshold) - (model === 'linear' ? level : fit.intercept));
  const rate = towards * fit.slope;
  const rates = [towards * fit.slopeLow, towards * fit.slopeHigh];
  const fast = Math.max(...rates);
  const slow = Math.min(...rates);
  const significant = slow > 0;
  if (!(rate > 0)) {
    return {
      ...base,
      model,
      note: 'no trend toward the threshold',
      significant: false,
    };
  }
  const daysToThreshold = gap / rate;
  const result: Prediction = {
    ...base,
    model,
    status: significant ? 'degrading' : 'stable',
    note: significant
      ? `${model} trend toward the threshold`
      : 'a slope toward the threshold that noise could explain',
    daysToThreshold,
    bandDays: { low: gap / fast, high: slow > 0 ? gap / slow : null },
    crossingAt: tLast + daysToThreshold * DAY,
    significant,
    actionable: false,
  };
  const reach = (config.maxExtrapolation ?? Number.POSITIVE_INFINITY) * (spanHours / 24);
  result.actionable =
    significant &&
    daysToThreshold <= config.leadTimeDays &&
    daysToThreshold <= reach &&
    (progress ?? 0) >= config.minProgress;
  return result;
}
