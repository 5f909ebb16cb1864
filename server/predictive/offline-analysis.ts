import { type ColumnGuess, guessColumn, kindOf } from './column-guess.ts';
import { judgeColumn } from './column-model.ts';
import { type PredictiveConfig, type PredictiveConfigInput, predictiveConfigSchema } from './config.ts';
import { CsvError, type CsvReadings } from './csv-readings.ts';
import { type ExplainCode, type ExplainedColumn, explainEpisodes } from './explain-episodes.ts';
import { INDICATOR_SPECS } from './indicator-specs.ts';
import { predictTrack } from './indicator-track.ts';
import { loopRegained } from './loop-regained.ts';
import { pumpRelations } from './pump-relations.ts';
import { type SensorColumn, sensorEpisodes } from './sensor-faults.ts';
import { feedStation, newStationModel, stationEpisodes, stationHealth } from './station-model.ts';
import type { Prediction } from './trend.ts';

export interface AnalysisOptions {
  config?: PredictiveConfigInput;
  /** Alarm thresholds of plain columns (not meanings), by column name. Default none: trend only. */
  thresholds?: Record<string, number>;
  /** Column name to meaning (`--map`); other columns are named by meaning already or guessed. */
  mappings?: Record<string, string>;
}

export interface Estimate {
  indicator: string;
  status: Prediction['status'] | 'learning';
  /** Which way the robust trend points (columns judged on their own); null: not fitted. */
  trend?: 'rising' | 'falling' | 'flat' | null;
  note: string;
  level: number | null;
  slopePerDay: number | null;
  threshold: number | null;
  daysToThreshold: number | null;
  bandDays: { low: number; high: number | null } | null;
  crossingAt: string | null;
}

export interface AnalysisEpisode {
  start: string;
  end: string;
  /** Where the change most likely began (columns judged on their own). */
  onset?: string;
  indicator: string;
  score: number;
  direction: 'high' | 'low';
  /** Still going at the end of the data. */
  open?: boolean;
  /** A sensor failing rather than the process changing: frozen, or spiking. */
  sensor?: 'stuck' | 'spike';
}

export interface Analysis {
  rows: number;
  from: string;
  to: string;
  droppedRows: number;
  droppedCells: number;
  /** What each column was taken to be, and the learning period it was judged after. */
  columns: (ColumnGuess & { learning: string; learnedUntil: string | null; reference: number | null })[];
  episodes: AnalysisEpisode[];
  /** What the episodes likely mean, by the relations between readings: codes with parameters. */
  explanations: {
    start: string;
    end: string;
    code: ExplainCode;
    params: Record<string, string | number>;
    columns: string[];
  }[];
  estimates: Estimate[];
  health: { score: number; driver: string | null; reason: string | null } | null;
}

/** Columns the station model reads (meanings); every other numeric column is analysed on its own. */
const MODEL_MEANINGS =
  /^(pump\[\d\]\.[a-z_0-9]+|supply\.voltage_l[123]|pressure\.(outlet|inlet)|flow\.rate|insulation\.(resistance|leakage_current)|ambient\.temperature|energy\.total)$/;

/**
 * Readings that move with the demand along the pump's curve, judged against where they just were,
 * with the smallest noise as a share of their level. The outlet pressure of a booster is held by its
 * loop, but rides the curve with the demand while its pump runs flat out; the inlet pressure follows
 * the tank's level over hours (a strainer clogging shows at once, or in the trend).
 */
const DEMAND_FOLLOWING: Partial<Record<string, number>> = {
  flow: 0.02,
  power: 0.02,
  current: 0.02,
  speed: 0.01,
  pressure: 0.0075,
};

/**
 * On a short export (minutes to hours) the temperatures follow the load and the room, and the
 * insulation resistance the room's temperature, by more than their noise: judged there against where
 * they just were, like the demand-following readings. Over days the learned level holds them.
 */
const SLOW_FOLLOWING: Partial<Record<string, number>> = {
  temperature: 0.01,
  insulation: 0.02,
};

/** Readings whose moves tell of each other's: a sensor frozen or spiking alone is told by them. */
const HYDRAULIC: readonly string[] = ['flow', 'pressure', 'power', 'current', 'speed'];

/** The station model learns its baselines over days: shorter exports are judged column by column only. */
const STATION_MODEL_MIN_DAYS = 2;

/**
 * Runs the health and anomaly models over exported readings. Every numeric column is judged on its
 * own (adaptive learning period, CUSUM episodes on robust residuals, trend and time to threshold),
 * labelled by the meaning it is named, mapped or guessed to; columns named or mapped to meanings also
 * go through the same station model as live telemetry, for the health score and the derived
 * indicators (on exports of two days or more, the least its baselines need). Pure.
 */
export function analyzeReadings(input: CsvReadings, options: AnalysisOptions = {}): Analysis {
  const csv = renameColumns(input, options.mappings ?? {});
  const first = csv.rows[0]!.at;
  const last = csv.rows[csv.rows.length - 1]!.at;
  const spanDays = (last - first) / 86_400_000;
  const defaults = predictiveConfigSchema.parse(options.config ?? {});
  const config: PredictiveConfig = {
    ...defaults,
    baselineDays: Math.min(defaults.baselineDays, Math.max(spanDays / 5, 1 / 24)),
    baselineSamples: Math.min(defaults.baselineSamples, Math.max(5, Math.floor(csv.rows.length / 10))),
  };
  const modelColumns = csv.columns.filter((c) => MODEL_MEANINGS.test(c));
  const model = newStationModel();
  const episodes: AnalysisEpisode[] = [];
  const estimates: Estimate[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const useModel = modelColumns.length > 0 && spanDays >= STATION_MODEL_MIN_DAYS;
  if (useModel) {
    for (const row of csv.rows) feedStation(model, row.at, row.values, config);
    for (const e of stationEpisodes(model, last)) {
      episodes.push({
        start: iso(e.start),
        end: iso(e.end),
        indicator: label(e.indicator, e.pump),
        score: e.score,
        direction: e.direction,
      });
    }
    for (const [key, track] of Object.entries(model.tracks)) {
      const spec = INDICATOR_SPECS[track.indicator];
      if (!spec.predicted) continue;
      estimates.push(estimateOf(key, predictTrack(track, spec, last, config)));
    }
  }
  const columns: Analysis['columns'] = [];
  const explained: ExplainedColumn[] = [];
  const sensors: SensorColumn[] = [];
  const speedColumn = csv.columns.find((c) => guessColumn(c, csv.mapped[c]).kind.kind === 'speed');
  const speedSamples = speedColumn
    ? csv.rows
        .map((row) => ({ at: row.at, v: row.values[speedColumn] }))
        .filter((p): p is { at: number; v: number } => typeof p.v === 'number')
    : [];
  for (const column of csv.columns) {
    const guess = guessColumn(column, csv.mapped[column]);
    const samples = csv.rows
      .map((row) => ({ at: row.at, v: row.values[column] }))
      .filter((p): p is { at: number; v: number } => typeof p.v === 'number');
    if (samples.length === 0) continue;
    const threshold = options.thresholds?.[column] ?? options.thresholds?.[csv.original[column] ?? column];
    const local =
      DEMAND_FOLLOWING[guess.kind.kind] ??
      (spanDays < STATION_MODEL_MIN_DAYS ? SLOW_FOLLOWING[guess.kind.kind] : undefined);
    const verdict = judgeColumn(samples, {
      kind: guess.kind,
      ...(local !== undefined ? { local } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      windowDays: config.windowDays,
    });
    if (guess.meaning === 'pressure.outlet')
      verdict.episodes = verdict.episodes.filter((e) => !loopRegained(e, speedSamples));
    columns.push({
      ...guess,
      column: csv.original[column] ?? column,
      learning: verdict.learning.note,
      learnedUntil: verdict.learning.to === null ? null : iso(verdict.learning.to),
      reference: verdict.learning.center,
    });
    if (verdict.learning.to !== null)
      sensors.push({
        column,
        learnedTo: verdict.learning.to,
        related: HYDRAULIC.includes(guess.kind.kind) && guess.meaning !== 'pressure.inlet',
      });
    explained.push({
      column,
      kind: guess.kind.kind,
      meaning: guess.meaning,
      reference: verdict.learning.center,
      samples,
      ...(local !== undefined ? { local: true } : {}),
      episodes: verdict.episodes,
    });
    for (const e of verdict.episodes) {
      episodes.push({
        start: iso(e.start),
        end: iso(e.end),
        onset: iso(e.onset),
        indicator: column,
        score: e.score,
        direction: e.direction,
        open: e.open,
      });
    }
    const t = verdict.trend;
    estimates.push({
      indicator: column,
      status: t.status,
      trend: t.trend,
      note: t.note,
      level: t.level,
      slopePerDay: t.slopePerDay,
      threshold: t.threshold,
      daysToThreshold: t.daysToThreshold,
      bandDays: t.bandDays,
      crossingAt: t.crossingAt === null ? null : iso(t.crossingAt),
    });
  }
  for (const relation of pumpRelations(
    csv.rows,
    columns.map((c, i) => ({ column: csv.columns[i]!, kind: c.kind.kind, meaning: c.meaning })),
  )) {
    const kind = kindOf(relation.kind);
    const verdict = judgeColumn(relation.samples, {
      kind,
      windowDays: config.windowDays,
      absoluteFloor: relation.absoluteFloor,
      autocorrelated: true,
    });
    const level = explained.find((c) => c.column === relation.of)?.reference ?? null;
    columns.push({
      column: relation.name,
      meaning: null,
      unit: null,
      how: 'relation',
      kind,
      learning: verdict.learning.note,
      learnedUntil: verdict.learning.to === null ? null : iso(verdict.learning.to),
      reference: verdict.learning.center,
    });
    explained.push({
      column: relation.name,
      kind: relation.kind,
      meaning: null,
      reference: verdict.learning.center,
      ...(level !== null ? { level } : {}),
      samples: relation.samples,
      episodes: verdict.episodes,
    });
    for (const e of verdict.episodes) {
      episodes.push({
        start: iso(e.start),
        end: iso(e.end),
        onset: iso(e.onset),
        indicator: relation.name,
        score: e.score,
        direction: e.direction,
        open: e.open,
      });
    }
  }
  const sensorExplanations: Analysis['explanations'] = [];
  for (const e of sensorEpisodes(csv.rows, sensors)) {
    const name = csv.original[e.column] ?? e.column;
    episodes.push({
      start: iso(e.start),
      end: iso(e.end),
      onset: iso(e.start),
      indicator: e.column,
      score: e.score,
      direction: e.kind === 'stuck' ? 'low' : 'high',
      open: e.open,
      sensor: e.kind,
    });
    sensorExplanations.push({
      start: iso(e.start),
      end: iso(e.end),
      code: e.kind === 'stuck' ? 'health.explain.sensorStuck' : 'health.explain.sensorSpike',
      params:
        e.kind === 'stuck'
          ? {
              column: name,
              value: e.value ?? 0,
              minutes: Math.max(1, Math.round((e.end - e.onset) / 60_000)),
            }
          : { column: name, count: e.count ?? 0 },
      columns: [e.column],
    });
  }
  const health = useModel ? stationHealth(model, config).station : null;
  return {
    rows: csv.rows.length,
    from: iso(first),
    to: iso(last),
    droppedRows: csv.droppedRows,
    droppedCells: csv.droppedCells,
    columns,
    episodes: episodes.sort((a, b) => a.start.localeCompare(b.start)),
    explanations: [
      ...explainEpisodes(explained).map((x) => ({ ...x, start: iso(x.start), end: iso(x.end) })),
      ...sensorExplanations,
    ].sort((a, b) => a.start.localeCompare(b.start)),
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

/** The readings with mapped columns renamed to their meanings (a boolean meaning's 0/1 read as such). */
function renameColumns(
  csv: CsvReadings,
  mappings: Record<string, string>,
): CsvReadings & { mapped: Record<string, string>; original: Record<string, string> } {
  const rename = (c: string) => mappings[c] ?? c;
  const mapped: Record<string, string> = {};
  const original: Record<string, string> = {};
  for (const [from, to] of Object.entries(mappings)) {
    if (!csv.columns.includes(from))
      throw new CsvError(`--map ${from}=${to}: the CSV has no column "${from}"`);
    mapped[to] = to;
    original[to] = from;
  }
  if (Object.keys(mappings).length === 0) return { ...csv, mapped, original };
  return {
    ...csv,
    columns: csv.columns.map(rename),
    rows: csv.rows.map((row) => ({
      at: row.at,
      values: Object.fromEntries(Object.entries(row.values).map(([k, v]) => [rename(k), v])),
    })),
    mapped,
    original,
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
