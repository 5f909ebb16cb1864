import { type AnomalyState, type Episode, newAnomaly, openEpisode, updateAnomaly } from './anomaly.ts';
import { type PredictiveConfig, type PredictiveConfigInput, predictiveConfigSchema } from './config.ts';
import type { CsvReadings } from './csv-readings.ts';
import { INDICATOR_SPECS } from './indicator-specs.ts';
import { predictTrack } from './indicator-track.ts';
import { median, robustSigma } from './robust-stats.ts';
import { feedStation, newStationModel, stationEpisodes, stationHealth } from './station-model.ts';
import { type HourPoint, type Prediction, predictCrossing } from './trend.ts';

const HOUR = 3_600_000;

export interface AnalysisOptions {
  config?: PredictiveConfigInput;
  /** Alarm thresholds of plain columns (not meanings), by column name. Default none: trend only. */
  thresholds?: Record<string, number>;
}

export interface Estimate {
  indicator: string;
  status: Prediction['status'];
  note: string;
  level: number | null;
  slopePerDay: number | null;
  threshold: number | null;
  daysToThreshold: number | null;
  bandDays: { low: number; high: number | null } | null;
  crossingAt: string | null;
}

export interface Analysis {
  rows: number;
  from: string;
  to: string;
  droppedRows: number;
  droppedCells: number;
  episodes: { start: string; end: string; indicator: string; score: number; direction: 'high' | 'low' }[];
  estimates: Estimate[];
  health: { score: number; driver: string | null; reason: string | null } | null;
}

/** Columns the station model reads (meanings); every other numeric column is analysed on its own. */
const MODEL_MEANINGS =
  /^(pump\[\d\]\.[a-z_0-9]+|supply\.voltage_l[123]|pressure\.(outlet|inlet)|flow\.rate|insulation\.(resistance|leakage_current)|ambient\.temperature|energy\.total)$/;

/**
 * Runs the health and anomaly models over exported readings: columns named by meaning go through the
 * same station model as live telemetry; any other numeric column gets its own robust baseline (from the
 * first fifth of the data), EWMA anomaly chart and Theil-Sen trend. Pure.
 */
export function analyzeReadings(csv: CsvReadings, options: AnalysisOptions = {}): Analysis {
  const first = csv.rows[0]!.at;
  const last = csv.rows[csv.rows.length - 1]!.at;
  const spanDays = (last - first) / 86_400_000;
  // Short exports still get a baseline: a fifth of the data, at most the live default.
  const defaults = predictiveConfigSchema.parse(options.config ?? {});
  const config: PredictiveConfig = {
    ...defaults,
    baselineDays: Math.min(defaults.baselineDays, Math.max(spanDays / 5, 1 / 24)),
    baselineSamples: Math.min(defaults.baselineSamples, Math.max(5, Math.floor(csv.rows.length / 10))),
  };
  const modelColumns = csv.columns.filter((c) => MODEL_MEANINGS.test(c));
  const plainColumns = csv.columns.filter((c) => !MODEL_MEANINGS.test(c));
  const model = newStationModel();
  const episodes: Episode[] = [];
  if (modelColumns.length > 0) {
    for (const row of csv.rows) feedStation(model, row.at, row.values, config);
    episodes.push(
      ...stationEpisodes(model, last).map((e) => ({ ...e, indicator: label(e.indicator, e.pump) })),
    );
  }
  const estimates: Estimate[] = [];
  for (const [key, track] of Object.entries(model.tracks)) {
    const spec = INDICATOR_SPECS[track.indicator];
    if (!spec.predicted) continue;
    estimates.push(estimateOf(key, predictTrack(track, spec, last, config)));
  }
  for (const column of plainColumns) {
    const result = analyzeColumn(csv, column, config, options.thresholds?.[column], last);
    if (!result) continue;
    episodes.push(...result.episodes);
    estimates.push(result.estimate);
  }
  const health = modelColumns.length > 0 ? stationHealth(model, config).station : null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    rows: csv.rows.length,
    from: iso(first),
    to: iso(last),
    droppedRows: csv.droppedRows,
    droppedCells: csv.droppedCells,
    episodes: episodes
      .sort((a, b) => a.start - b.start)
      .map((e) => ({
        start: iso(e.start),
        end: iso(e.end),
        indicator: e.indicator,
        score: e.score,
        direction: e.direction,
      })),
    estimates,
    health: health
      ? {
          score: health.score,
          driver: health.driver ? label(health.driver.indicator, health.driver.pump) : null,
          reason: health.driver?.reason ?? null,
        }
      : null,
  };
}

const label = (indicator: string, pump: number | null) =>
  pump === null ? indicator : `pump[${pump}].${indicator}`;

function estimateOf(indicator: string, p: Prediction): Estimate {
  return {
    indicator,
    status: p.status,
    note: p.note,
    level: p.level,
    slopePerDay: p.slopePerDay,
    threshold: p.threshold,
    daysToThreshold: p.daysToThreshold,
    bandDays: p.bandDays,
    crossingAt: p.crossingAt === null ? null : new Date(p.crossingAt).toISOString(),
  };
}

function analyzeColumn(
  csv: CsvReadings,
  column: string,
  config: PredictiveConfig,
  threshold: number | undefined,
  now: number,
): { episodes: Episode[]; estimate: Estimate } | undefined {
  const series = csv.rows
    .map((row) => ({ at: row.at, v: row.values[column] }))
    .filter((p): p is { at: number; v: number } => typeof p.v === 'number');
  if (series.length < 10) return undefined;
  const learn = series.slice(0, Math.max(10, Math.floor(series.length / 5)));
  const center = median(learn.map((p) => p.v));
  const sigma = Math.max(
    robustSigma(
      learn.map((p) => p.v),
      center,
    ),
    0.005 * Math.abs(center),
    1e-9,
  );
  const anomaly: AnomalyState = newAnomaly();
  const episodes: Episode[] = [];
  const labelled = { indicator: column, pump: null };
  const buckets = new Map<number, number[]>();
  for (const p of series) {
    const ended = updateAnomaly(anomaly, p.at, (p.v - center) / sigma, config, labelled);
    if (ended) episodes.push(ended);
    const hour = Math.floor(p.at / HOUR) * HOUR;
    const bucket = buckets.get(hour);
    if (bucket) bucket.push(p.v);
    else buckets.set(hour, [p.v]);
  }
  const open = openEpisode(anomaly, now, labelled);
  if (open) episodes.push(open);
  const hours: HourPoint[] = [...buckets].map(([t, vs]) => ({ t: t + HOUR / 2, v: median(vs) }));
  const up = threshold === undefined || threshold >= center;
  const prediction = predictCrossing({
    points: hours,
    spec: { direction: up ? 'up' : 'down', scale: 'linear' },
    threshold,
    baseline: center,
    now,
    config,
  });
  return { episodes, estimate: estimateOf(column, prediction) };
}
