import { vibrationZone } from '../../core/standards/iso-10816-3.ts';
import type { Episode } from './anomaly.ts';
import type { PredictiveConfig } from './config.ts';
import { type Counters, extractSamples, type ReadingMap, readCounters } from './extract.ts';
import { combineHealth, type HealthScore, indicatorHealth } from './health-score.ts';
import { hourCount, hourSeriesOf, hourTime, hourValue, type SavedHourSeries } from './hour-series.ts';
import { INDICATOR_SPECS, type IndicatorId } from './indicator-specs.ts';
import {
  addHourly,
  addSample,
  closeHour,
  episodesOf,
  type IndicatorTrack,
  newTrack,
  trackKey,
} from './indicator-track.ts';
import type { HourPoint, Prediction } from './trend.ts';

const HOUR = 3_600_000;

/** The health model of one station as plain data: one track per indicator and pump. */
export interface StationModel {
  tracks: Record<string, IndicatorTrack>;
  hourStart: number | null;
  hourCounters: Counters | null;
  /** The newest value of every counter seen (slow poll classes send them in few messages). */
  counters: Counters;
  /** m3 pumped in the current hour (trapezoids of flow.rate). */
  hourFlowM3: number;
  lastFlow: { at: number; m3h: number } | null;
  /** Run hours of each pump at its last maintenance (first seen, until told). */
  runHoursAtMaintenance: Record<number, number>;
  lastAt: number | null;
  /** Latest run hours per pump (for run-hour maintenance plans). */
  runHours: Record<number, number>;
  /** Readings older than the last one, ignored. */
  outOfOrder: number;
}

/**
 * A model as saved: plain data, each track's hourly medians as columns of plain numbers (or, saved
 * by earlier versions, as points).
 */
export interface SavedStationModel extends Omit<StationModel, 'tracks'> {
  tracks: Record<string, Omit<IndicatorTrack, 'hours'> & { hours: SavedHourSeries | HourPoint[] }>;
}

export function newStationModel(): StationModel {
  return {
    tracks: {},
    hourStart: null,
    hourCounters: null,
    counters: { starts: {}, runHours: {} },
    hourFlowM3: 0,
    lastFlow: null,
    runHoursAtMaintenance: {},
    lastAt: null,
    runHours: {},
    outOfOrder: 0,
  };
}

export interface StationChange {
  episodes: Episode[];
  /** Predictions made as hours closed, by track key. */
  predictions: { key: string; indicator: IndicatorId; pump: number | null; prediction: Prediction }[];
  hourClosed: boolean;
  /** Start of the hour that closed (when hourClosed). */
  closedHourStart: number | null;
}

function track(model: StationModel, indicator: IndicatorId, pump: number | null): IndicatorTrack {
  const key = trackKey(indicator, pump);
  let existing = model.tracks[key];
  if (!existing) {
    existing = newTrack(indicator, pump);
    model.tracks[key] = existing;
  }
  return existing;
}

/**
 * A saved model as this version reads it (mutates): a track learned over another operating point than
 * its indicator's now is dropped, to learn again (models saved before tracks recorded it learned every
 * conditioned indicator by speed), and the hourly medians saved (as columns or, earlier, as points)
 * become the compact series a model holds in memory.
 */
export function upgradeStationModel(saved: SavedStationModel | StationModel): StationModel {
  const model = saved as StationModel;
  for (const [key, t] of Object.entries((saved as SavedStationModel).tracks)) {
    const wanted = INDICATOR_SPECS[t.indicator].operatingPoint;
    if ((t.operatingPoint ?? (wanted && 'speed')) !== wanted) delete model.tracks[key];
    else model.tracks[key]!.hours = hourSeriesOf(t.hours);
  }
  return model;
}

/** Feeds one set of readings taken at `at` (ms) through every indicator (mutates the model). */
export function feedStation(
  model: StationModel,
  at: number,
  readings: ReadingMap,
  config: PredictiveConfig,
): StationChange {
  const change: StationChange = { episodes: [], predictions: [], hourClosed: false, closedHourStart: null };
  // The station hub orders the live stream; this keeps the model's own clock monotonic where the hub
  // cannot: a model restored from a snapshot newer than messages redelivered after a restart, and
  // offline analysis of CSV rows.
  if (model.lastAt !== null && at < model.lastAt) {
    model.outOfOrder += 1;
    return change;
  }
  const hourStart = Math.floor(at / HOUR) * HOUR;
  const counters = mergeCounters(model.counters, readCounters(readings));
  model.counters = counters;
  if (model.hourStart !== null && hourStart !== model.hourStart) {
    closeStationHour(model, model.hourStart, at, counters, config, change);
  }
  if (model.hourStart !== hourStart) {
    model.hourStart = hourStart;
    model.hourCounters = counters;
    model.hourFlowM3 = 0;
  }
  for (const [pump, hours] of Object.entries(counters.runHours)) {
    model.runHoursAtMaintenance[Number(pump)] ??= hours;
    model.runHours[Number(pump)] = hours;
  }
  const flow = readings['flow.rate'];
  if (typeof flow === 'number' && Number.isFinite(flow)) {
    if (model.lastFlow && at - model.lastFlow.at < 10 * 60_000) {
      model.hourFlowM3 += ((model.lastFlow.m3h + flow) / 2) * ((at - model.lastFlow.at) / HOUR);
    }
    model.lastFlow = { at, m3h: flow };
  }
  for (const sample of extractSamples(readings, config)) {
    const t = track(model, sample.indicator, sample.pump);
    const result = addSample(t, at, sample.value, sample.band, config);
    collect(change, t, result);
  }
  model.lastAt = at;
  return change;
}

const isEmpty = (record: Record<number, number>) => {
  for (const _ in record) return false;
  return true;
};

/** Counters seen now over the ones known before (a message carries only the tags polled for it). */
function mergeCounters(known: Counters, seen: Counters): Counters {
  if (seen.energyKwh === undefined && isEmpty(seen.starts) && isEmpty(seen.runHours)) return known;
  const energyKwh = seen.energyKwh ?? known.energyKwh;
  return {
    starts: { ...known.starts, ...seen.starts },
    runHours: { ...known.runHours, ...seen.runHours },
    ...(energyKwh === undefined ? {} : { energyKwh }),
  };
}

function collect(
  change: StationChange,
  t: IndicatorTrack,
  result: { episode?: Episode; prediction?: Prediction },
): void {
  if (result.episode) change.episodes.push(result.episode);
  if (result.prediction) {
    change.predictions.push({
      key: trackKey(t.indicator, t.pump),
      indicator: t.indicator,
      pump: t.pump,
      prediction: result.prediction,
    });
  }
}

function closeStationHour(
  model: StationModel,
  hourStart: number,
  now: number,
  counters: Counters,
  config: PredictiveConfig,
  change: StationChange,
): void {
  change.hourClosed = true;
  change.closedHourStart = hourStart;
  const before = model.hourCounters;
  // Only a whole hour of counters makes an hourly value (not the first, partial one).
  const whole = before !== null && model.lastAt !== null && now - hourStart < 2 * HOUR;
  if (before && whole) {
    for (const [p, starts] of Object.entries(counters.starts)) {
      const was = before.starts[Number(p)];
      if (was !== undefined && starts >= was)
        addHourly(track(model, 'starts_per_hour', Number(p)), hourStart, starts - was, config);
    }
    if (before.energyKwh !== undefined && counters.energyKwh !== undefined && model.hourFlowM3 > 1) {
      const kwh = counters.energyKwh - before.energyKwh;
      if (kwh >= 0)
        addHourly(track(model, 'specific_energy', null), hourStart, kwh / model.hourFlowM3, config);
    }
  }
  for (const [p, hours] of Object.entries(counters.runHours)) {
    const pump = Number(p);
    const since = hours - (model.runHoursAtMaintenance[pump] ?? hours);
    addHourly(track(model, 'run_hours_since_maintenance', pump), hourStart, since, config);
  }
  for (const t of Object.values(model.tracks)) {
    if (!t.bucket || t.bucket.start !== hourStart) continue;
    const prediction = closeHour(t, now, config);
    if (prediction) collect(change, t, { prediction });
  }
}

/**
 * Maintenance done on a pump (or the station's electrics, pump null): its indicators learn their
 * baselines again, so the trend that was fixed is forgotten.
 */
export function resetAfterMaintenance(
  model: StationModel,
  pump: number | null,
  indicator?: IndicatorId,
): void {
  for (const [key, t] of Object.entries(model.tracks)) {
    if (t.pump !== pump || (indicator && t.indicator !== indicator)) continue;
    model.tracks[key] = newTrack(t.indicator, t.pump);
  }
  if (pump !== null) delete model.runHoursAtMaintenance[pump];
}

/** What the API shows of one indicator. */
export interface IndicatorView {
  key: string;
  indicator: IndicatorId;
  label: string;
  unit: string;
  pump: number | null;
  value: number | null;
  at: number | null;
  zone?: string;
  baseline: number | null;
  learning: boolean;
  z: number | null;
  anomalous: boolean;
  prediction: Prediction | null;
}

export function indicatorViews(model: StationModel, config: PredictiveConfig): IndicatorView[] {
  return Object.entries(model.tracks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, t]) => {
      const spec = INDICATOR_SPECS[t.indicator];
      const value = t.last?.value ?? null;
      return {
        key,
        indicator: t.indicator,
        label: spec.label,
        unit: spec.unit,
        pump: t.pump,
        value,
        at: t.last?.at ?? null,
        ...(t.indicator === 'vibration' && value !== null
          ? { zone: vibrationZone(value, config.vibrationZones) }
          : {}),
        baseline: t.baseline.reference,
        learning: !t.baseline.closed,
        z: t.last?.z ?? null,
        anomalous: t.anomaly.open !== null,
        prediction: spec.predicted ? t.prediction : null,
      };
    });
}

export interface StationHealth {
  station: HealthScore;
  pumps: Record<number, HealthScore>;
}

/** Health scores per pump and for the station (the lowest of its pumps and station indicators). */
export function stationHealth(model: StationModel, config: PredictiveConfig): StationHealth {
  const all = Object.values(model.tracks).map((t) =>
    indicatorHealth(
      {
        indicator: t.indicator,
        pump: t.pump,
        value: (INDICATOR_SPECS[t.indicator].relative ? t.last?.level : t.last?.value) ?? null,
        baseline: t.baseline.reference,
        prediction: t.prediction,
        anomalous: t.anomaly.open !== null,
      },
      config,
    ),
  );
  const pumps: Record<number, HealthScore> = {};
  for (const pump of new Set(all.map((h) => h.pump).filter((p) => p !== null))) {
    pumps[pump] = combineHealth(all.filter((h) => h.pump === pump));
  }
  return { station: combineHealth(all), pumps };
}

/** One value of the hourly health series: `key` is the track key or `score`/`pump[N].score`. */
export interface HourlyValue {
  indicator: string;
  pump: number | null;
  /** Middle of the hour. */
  t: number;
  value: number;
}

/**
 * The hourly series of the hour that starts at `hourStart`: each indicator's hourly median (on the
 * scale its trend is fitted on) and the health scores of the station and its pumps at its close.
 */
export function hourlyValues(model: StationModel, hourStart: number, health: StationHealth): HourlyValue[] {
  const t = hourStart + HOUR / 2;
  const values: HourlyValue[] = [];
  for (const track of Object.values(model.tracks)) {
    const n = hourCount(track.hours);
    if (n > 0 && hourTime(track.hours, n - 1) === t)
      values.push({ indicator: track.indicator, pump: track.pump, t, value: hourValue(track.hours, n - 1) });
  }
  values.push({ indicator: 'score', pump: null, t, value: health.station.score });
  for (const [pump, score] of Object.entries(health.pumps)) {
    values.push({ indicator: 'score', pump: Number(pump), t, value: score.score });
  }
  return values;
}

/** Every episode of the station, ended and open, oldest first. */
export function stationEpisodes(model: StationModel, now: number): Episode[] {
  return Object.values(model.tracks)
    .flatMap((t) => episodesOf(t, now))
    .sort((a, b) => a.start - b.start);
}
