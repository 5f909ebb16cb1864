import type { IndicatorView as ServerIndicatorView } from '../../../server/predictive/station-model.ts';
import type { Prediction } from '../../../server/predictive/trend.ts';

export type { Prediction };

/** One indicator as GET /api/stations/:id/indicators answers it (server/predictive/predictive-routes.ts). */
export type IndicatorView = Omit<ServerIndicatorView, 'indicator'> & { indicator: string; hours: number };

export interface HealthDriver {
  indicator: string;
  pump: number | null;
  score: number;
  reason: string;
  /** `reason` as a core/i18n code (absent from an older server). */
  reasonCode?: string;
  reasonParams?: Record<string, string | number>;
}

export interface StationIndicators {
  site: string;
  station: string;
  at: number | null;
  health: {
    score: number;
    driver: HealthDriver | null;
    pumps: Array<{ pump: number; score: number; driver: HealthDriver | null }>;
  };
  indicators: IndicatorView[];
  episodes: Array<{ indicator: string; pump: number | null; start: number; end: number; peakZ?: number }>;
}

export interface HealthScores {
  stations: Array<{
    site: string;
    station: string;
    score: number;
    driver: HealthDriver | null;
    updatedAt: number | null;
    pumps: Array<{ pump: number; score: number; driver: HealthDriver | null }>;
  }>;
}

export type HealthBand = 'good' | 'fair' | 'poor';

/** How an operator reads a 0-100 score: 80 and above good, 50 and above fair, below that poor. */
export function healthBand(score: number): HealthBand {
  if (score >= 80) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}

/** The stored hourly series of an indicator (server: `health.<key>`). */
export const healthSeriesOf = (key: string) => `health.${key}`;

type Column = (number | null)[];
/** x (s), hourly value, threshold, predicted path, band ends. */
export type TrendColumns = [number[], Column, Column, Column, Column];

/**
 * The chart of one indicator: its hourly medians, the alarm threshold, and the predicted path from
 * the fitted level now to the threshold at the predicted crossing, with the band's ends on the
 * threshold. Columns for uPlot: x in seconds, then value, threshold, projection, band. Pure.
 */
export function trendColumns(
  hourly: ReadonlyArray<{ ts: number; value: number }>,
  prediction: Prediction | null,
  now: number,
): { columns: TrendColumns; to: number } {
  const threshold = prediction?.threshold ?? null;
  const crossing =
    prediction?.status === 'degrading' && prediction.crossingAt !== null && prediction.level !== null
      ? prediction.crossingAt
      : null;
  const band = crossing !== null && prediction?.bandDays ? prediction.bandDays : null;
  const extra: number[] = [];
  if (crossing !== null) extra.push(now, crossing);
  if (band) {
    extra.push(now + band.low * 86_400_000);
    if (band.high !== null) extra.push(now + band.high * 86_400_000);
  }
  const xs = [...new Set([...hourly.map((p) => p.ts), ...extra])].sort((a, b) => a - b);
  const valueAt = new Map(hourly.map((p) => [p.ts, p.value]));
  const bandEnds = new Set(
    band ? [now + band.low * 86_400_000, ...(band.high === null ? [] : [now + band.high * 86_400_000])] : [],
  );
  const value = xs.map((x) => valueAt.get(x) ?? null);
  const thresholdLine = xs.map(() => threshold);
  const projection = xs.map((x) =>
    crossing === null ? null : x === now ? prediction!.level : x === crossing ? threshold : null,
  );
  const bandMarks = xs.map((x) => (bandEnds.has(x) ? threshold : null));
  return {
    columns: [xs.map((x) => x / 1000), value, thresholdLine, projection, bandMarks],
    to: xs.length > 0 ? Math.max(now, xs[xs.length - 1]!) : now,
  };
}
