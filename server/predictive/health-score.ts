import { type Coded, coded } from '../../core/i18n/render.ts';
import type { PredictiveConfig } from './config.ts';
import { INDICATOR_SPECS, type IndicatorId } from './indicator-specs.ts';
import type { Prediction } from './trend.ts';

/** What a track contributes to a health score. */
export interface IndicatorHealthInput {
  indicator: IndicatorId;
  pump: number | null;
  value: number | null;
  baseline: number | null;
  prediction: Prediction | null;
  anomalous: boolean;
}

export interface IndicatorHealth {
  indicator: IndicatorId;
  pump: number | null;
  score: number;
  /** Why the score is what it is, in an operator's words. */
  reason: string;
  /** `reason` as a core/i18n code, for readers of other languages. */
  reasonCode: Coded['code'];
  reasonParams: Coded['params'];
}

export interface HealthScore {
  score: number;
  /** The indicator that sets the score (the lowest), or null when all are healthy or unknown. */
  driver: IndicatorHealth | null;
  indicators: IndicatorHealth[];
}

const clamp = (v: number) => Math.max(0, Math.min(100, v));

/** Piecewise-linear score over the ISO 10816 zones: A 100-85, B 85-60, C 60-25, D 25-0. */
function vibrationScore(mmS: number, config: PredictiveConfig): number {
  const z = config.vibrationZones;
  const knots: [number, number][] = [
    [0, 100],
    [z.ab, 85],
    [z.bc, 60],
    [z.cd, 25],
    [z.cd * 1.5, 0],
  ];
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i]!;
    const [x0, y0] = knots[i - 1]!;
    if (mmS <= x1) return y0 + ((mmS - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 0;
}

/** One indicator's 0-100 score: its level against its threshold, capped by a near crossing or an anomaly. */
export function indicatorHealth(input: IndicatorHealthInput, config: PredictiveConfig): IndicatorHealth {
  const spec = INDICATOR_SPECS[input.indicator];
  let score = 100;
  let reason = 'healthy';
  let why: Coded = coded('health.healthy');
  const indicator = input.indicator;
  if (input.value !== null && input.indicator === 'vibration') {
    score = vibrationScore(input.value, config);
    if (score < 85) {
      reason = `vibration ${input.value.toFixed(2)} mm/s`;
      why = coded('health.vibrationLevel', { value: input.value.toFixed(2) });
    }
  } else if (input.value !== null && input.baseline !== null) {
    const threshold = spec.threshold(config, input.baseline);
    if (threshold !== undefined && threshold !== input.baseline) {
      const log = spec.scale === 'log' && input.value > 0 && threshold > 0 && input.baseline > 0;
      const progress = log
        ? Math.log(input.value / input.baseline) / Math.log(threshold / input.baseline)
        : (input.value - input.baseline) / (threshold - input.baseline);
      score = clamp(100 - 80 * Math.max(0, progress));
      if (progress >= 1) score = 10;
      if (progress > 0.25) {
        reason = `${spec.label} ${round(input.value)} ${spec.unit} (threshold ${round(threshold)})`;
        why = coded('health.overThreshold', {
          indicator,
          value: round(input.value),
          unit: spec.unit,
          threshold: round(threshold),
        });
      }
    }
  }
  const p = input.prediction;
  if (p?.actionable && p.daysToThreshold !== null) {
    const cap = 30 + 30 * Math.min(1, p.daysToThreshold / config.leadTimeDays);
    if (cap < score) {
      score = cap;
      reason = `${spec.label}: threshold predicted in ${round(p.daysToThreshold)} days`;
      why = coded('health.predicted', { indicator, days: round(p.daysToThreshold) });
    }
  }
  if (input.anomalous && score > 75) {
    score = 75;
    reason = `${spec.label}: unlike this equipment's own history`;
    why = coded('health.unusual', { indicator });
  }
  return {
    indicator: input.indicator,
    pump: input.pump,
    score: Math.round(clamp(score)),
    reason,
    reasonCode: why.code,
    reasonParams: why.params,
  };
}

/** The lowest indicator score, and the indicator behind it. */
export function combineHealth(indicators: IndicatorHealth[]): HealthScore {
  if (indicators.length === 0) return { score: 100, driver: null, indicators };
  const driver = indicators.reduce((a, b) => (b.score < a.score ? b : a));
  return { score: driver.score, driver: driver.score < 100 ? driver : null, indicators };
}

const round = (v: number) => Math.round(v * 100) / 100;
