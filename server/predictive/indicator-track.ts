import { type AnomalyState, type Episode, newAnomaly, openEpisode, updateAnomaly } from './anomaly.ts';
import { type BaselineState, baselineAlong, baselineFor, learnBaseline, newBaseline } from './baseline.ts';
import type { PredictiveConfig } from './config.ts';
import {
  type HourSeries,
  hourCount,
  hourPoints,
  newestValues,
  newHourSeries,
  pushHour as pushHourOf,
} from './hour-series.ts';
import { INDICATOR_SPECS, type IndicatorId, type IndicatorSpec } from './indicator-specs.ts';
import { median } from './robust-stats.ts';
import { type Prediction, predictCrossing } from './trend.ts';

const HOUR = 3_600_000;
const MAX_EPISODES = 50;

/** Everything known of one indicator of one pump (or station), as plain data. */
export interface IndicatorTrack {
  indicator: IndicatorId;
  pump: number | null;
  baseline: BaselineState;
  anomaly: AnomalyState;
  /** Operating-point-normalised values of the current hour. */
  bucket: { start: number; values: number[] } | null;
  /** Hourly medians, oldest first, kept `keepDays` (at least the trend's window and a day). */
  hours: HourSeries;
  lastSampleAt: number | null;
  /**
   * The newest value, its z against its band's baseline and, for indicators with relative thresholds
   * (the health score reads it), `level`: the value moved to the reference operating point, as the
   * trend's hourly medians are (absent while the baseline learns).
   */
  last: { at: number; value: number; z: number | null; level?: number } | null;
  /** What the baselines were learned over (models saved before it was recorded: by speed). */
  operatingPoint?: IndicatorSpec['operatingPoint'];
  episodes: Episode[];
  prediction: Prediction | null;
  /** Consecutive hourly evaluations that were actionable. */
  actionableStreak: number;
}

export function newTrack(indicator: IndicatorId, pump: number | null): IndicatorTrack {
  return {
    indicator,
    pump,
    baseline: newBaseline(),
    anomaly: newAnomaly(),
    bucket: null,
    hours: newHourSeries(),
    lastSampleAt: null,
    last: null,
    operatingPoint: INDICATOR_SPECS[indicator].operatingPoint,
    episodes: [],
    prediction: null,
    actionableStreak: 0,
  };
}

export const trackKey = (indicator: string, pump: number | null) =>
  pump === null ? indicator : `pump[${pump}].${indicator}`;

/** What happened when a sample was added: an anomaly episode that ended, a prediction made. */
export interface TrackChange {
  episode?: Episode;
  prediction?: Prediction;
}

/**
 * Adds one reading's value (mutates the track). Readings closer than `sampleSpacingMs` to the last used
 * one only update the current value. Returns an ended episode and the prediction of an hour that closed.
 */
export function addSample(
  track: IndicatorTrack,
  at: number,
  value: number,
  band: number | null,
  config: PredictiveConfig,
): TrackChange {
  const spec = INDICATOR_SPECS[track.indicator];
  const change: TrackChange = {};
  const hourStart = Math.floor(at / HOUR) * HOUR;
  if (track.bucket && track.bucket.start !== hourStart) {
    const prediction = closeHour(track, at, config);
    if (prediction) change.prediction = prediction;
  }
  if (
    track.lastSampleAt !== null &&
    at - track.lastSampleAt < config.sampleSpacingMs &&
    at >= track.lastSampleAt
  ) {
    track.last = { at, value, z: track.last?.z ?? null, ...levelOf(track, value, band) };
    return change;
  }
  track.lastSampleAt = at;
  const bandKey = spec.operatingPoint ? Math.floor(band ?? 0) : 0;
  learnBaseline(track.baseline, at, bandKey, value, config, spec.direction);
  const healthy = healthyAt(track, spec, band);
  let z: number | null = null;
  let level: number | undefined;
  if (healthy) {
    z = (value - healthy.median) / healthy.sigma;
    const episode = updateAnomaly(track.anomaly, at, z, config, {
      indicator: track.indicator,
      pump: track.pump,
    });
    if (episode) {
      track.episodes.push(episode);
      if (track.episodes.length > MAX_EPISODES) track.episodes.shift();
      change.episode = episode;
    }
    if (track.baseline.closed && track.baseline.reference !== null) {
      level = atReference(spec, value, healthy.median, track.baseline.reference);
      if (!track.bucket || track.bucket.start !== hourStart) track.bucket = { start: hourStart, values: [] };
      track.bucket.values.push(level);
    }
  }
  track.last = level === undefined || !spec.relative ? { at, value, z } : { at, value, z, level };
  return change;
}

/**
 * The healthy level at a sample's operating point: efficiency changes steeply with flow, so its
 * baseline is interpolated along the flow bands; the speed-conditioned indicators change little
 * between speeds and take their band's (or the nearest learned one's).
 */
function healthyAt(track: IndicatorTrack, spec: IndicatorSpec, band: number | null) {
  if (spec.operatingPoint === 'flow') return baselineAlong(track.baseline, band ?? 0);
  return baselineFor(track.baseline, spec.operatingPoint ? (band ?? 0) : 0);
}

/** Conditioned indicators are moved to the reference operating point, so a change of it is no trend. */
function atReference(spec: IndicatorSpec, value: number, bandMedian: number, reference: number): number {
  return spec.operatingPoint ? value - bandMedian + reference : value;
}

/** `level` for a value that only updates the newest reading (between spaced samples). */
function levelOf(track: IndicatorTrack, value: number, band: number | null): { level?: number } {
  const { reference, closed } = track.baseline;
  const spec = INDICATOR_SPECS[track.indicator];
  if (!spec.relative) return {};
  const healthy = healthyAt(track, spec, band);
  if (!closed || reference === null || !healthy) return {};
  return { level: atReference(spec, value, healthy.median, reference) };
}

/** An hourly indicator's value for the hour that starts at `hourStart` (mutates). */
export function addHourly(
  track: IndicatorTrack,
  hourStart: number,
  value: number,
  config: PredictiveConfig,
): TrackChange {
  const spec = INDICATOR_SPECS[track.indicator];
  const at = hourStart + HOUR;
  learnBaseline(
    track.baseline,
    at,
    0,
    value,
    { ...config, baselineSamples: Math.min(config.baselineSamples, 24) },
    spec.direction,
  );
  track.last = { at, value, z: null };
  track.lastSampleAt = at;
  pushHour(track, hourStart + HOUR / 2, value, config);
  return {};
}

/** Closes the current hour into its median and re-predicts; returns the new prediction. */
export function closeHour(
  track: IndicatorTrack,
  now: number,
  config: PredictiveConfig,
): Prediction | undefined {
  const bucket = track.bucket;
  track.bucket = null;
  if (!bucket || bucket.values.length === 0) return undefined;
  pushHour(track, bucket.start + HOUR / 2, median(bucket.values), config);
  const spec = INDICATOR_SPECS[track.indicator];
  if (!spec.predicted) return undefined;
  const prediction = nearBaseline(track, spec, config) ?? predictTrack(track, spec, now, config);
  track.prediction = prediction;
  track.actionableStreak = prediction.actionable ? track.actionableStreak + 1 : 0;
  return prediction;
}

/**
 * The trend fit is the costly part; an indicator whose last three hourly medians sit within half of
 * `minProgress` of its baseline can open no ticket, so it is reported stable without a fit (the API
 * fits on request).
 */
function nearBaseline(
  track: IndicatorTrack,
  spec: IndicatorSpec,
  config: PredictiveConfig,
): Prediction | undefined {
  const reference = track.baseline.reference;
  if (reference === null || hourCount(track.hours) < 3) return undefined;
  const threshold = spec.threshold(config, reference);
  if (threshold === undefined || threshold === reference) return undefined;
  const recent = median(newestValues(track.hours, 3));
  const progress =
    spec.scale === 'log' && recent > 0 && threshold > 0 && reference > 0
      ? Math.log(recent / reference) / Math.log(threshold / reference)
      : (recent - reference) / (threshold - reference);
  if (progress >= config.minProgress / 2) return undefined;
  return {
    status: 'stable',
    note: 'at its healthy baseline',
    points: hourCount(track.hours),
    slopePerDay: null,
    level: recent,
    threshold,
    progress,
    model: null,
    daysToThreshold: null,
    bandDays: null,
    crossingAt: null,
    significant: false,
    actionable: false,
  };
}

function pushHour(track: IndicatorTrack, t: number, v: number, config: PredictiveConfig): void {
  pushHourOf(track.hours, t, v, t - Math.max(config.keepDays, config.windowDays + 1) * 86_400_000);
}

export function predictTrack(
  track: IndicatorTrack,
  spec: IndicatorSpec,
  now: number,
  config: PredictiveConfig,
): Prediction {
  const reference = track.baseline.reference;
  if (reference === null) {
    return predictCrossing({ points: [], spec, threshold: undefined, baseline: 0, now, config });
  }
  return predictCrossing({
    points: hourPoints(track.hours),
    spec,
    threshold: spec.threshold(config, reference),
    baseline: reference,
    now,
    config,
  });
}

/** Episodes ended, plus the one still open at `now`. */
export function episodesOf(track: IndicatorTrack, now: number): Episode[] {
  const open = openEpisode(track.anomaly, now, { indicator: track.indicator, pump: track.pump });
  return open ? [...track.episodes, open] : [...track.episodes];
}
