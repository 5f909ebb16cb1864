import { type Coded, coded, type MessageParams } from '../../core/i18n/render.ts';
import type { PredictiveConfig } from './config.ts';
import { INDICATOR_SPECS, type IndicatorId } from './indicator-specs.ts';
import type { Prediction } from './trend.ts';

/**
 * Whether a predictive finding owes a ticket, and the evidence it carries. Which ticket it lands on
 * (an occurrence, or a new one) is tickets/ticket-decision.ts's choice, as for alarms.
 */

/** A predictive ticket opens when the crossing has been close and sure for `confirmHours` hours running. */
export function opensPredictiveTicket(
  prediction: Prediction | null,
  streak: number,
  config: PredictiveConfig,
): boolean {
  return prediction?.actionable === true && streak >= config.confirmHours;
}

/** The evidence a predictive ticket carries: indicator, trend, estimate and band. */
export interface PredictiveEvidence {
  indicator: IndicatorId;
  label: string;
  unit: string;
  pump: number | null;
  level: number | null;
  threshold: number | null;
  thresholdSource: string;
  slopePerDay: number | null;
  model: string | null;
  daysToThreshold: number | null;
  bandDays: { low: number; high: number | null } | null;
  crossingAt: string | null;
  points: number;
}

export function evidenceOf(indicator: IndicatorId, pump: number | null, p: Prediction): PredictiveEvidence {
  const spec = INDICATOR_SPECS[indicator];
  return {
    indicator,
    label: spec.label,
    unit: spec.unit,
    pump,
    level: round(p.level),
    threshold: round(p.threshold),
    thresholdSource: spec.source,
    slopePerDay: round(p.slopePerDay, 4),
    model: p.model,
    daysToThreshold: round(p.daysToThreshold),
    bandDays: p.bandDays ? { low: round(p.bandDays.low)!, high: round(p.bandDays.high) } : null,
    crossingAt: p.crossingAt === null ? null : new Date(p.crossingAt).toISOString(),
    points: p.points,
  };
}

/** `evidenceText` as a core/i18n code, for readers of other languages. */
export function evidenceCoded(e: PredictiveEvidence): Coded {
  const params: MessageParams = {
    indicator: e.indicator,
    level: e.level ?? '?',
    unit: e.unit,
    slope: e.slopePerDay ?? '?',
    model: e.model ?? '?',
    points: e.points,
    threshold: e.threshold ?? '?',
    basis: e.indicator,
    days: e.daysToThreshold ?? '?',
    crossing: e.crossingAt?.slice(0, 10) ?? '?',
  };
  if (!e.bandDays) return coded('event.evidence', params);
  return coded('event.evidenceBand', { ...params, low: e.bandDays.low, high: e.bandDays.high ?? '∞' });
}

/** One line an operator reads on the ticket. */
export function evidenceText(e: PredictiveEvidence): string {
  const band = e.bandDays ? ` (band ${e.bandDays.low}-${e.bandDays.high ?? 'unbounded'} days)` : '';
  return (
    `${e.label} ${e.level} ${e.unit} trending ${e.slopePerDay} ${e.unit}/day (${e.model}, ${e.points} hourly medians); ` +
    `predicted to cross ${e.threshold} ${e.unit} (${e.thresholdSource}) in ${e.daysToThreshold} days${band}, around ${e.crossingAt}`
  );
}

function round(v: number | null, digits = 2): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
