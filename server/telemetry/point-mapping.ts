import { parseMeaning, STATION_MEANINGS } from '../../core/profile/meanings.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import type { TelemetryPoint } from './telemetry-store.ts';

/**
 * Where a meaning lives in InfluxDB (DESIGN.md: measurement per equipment kind, identifiers as
 * tags, readings as fields):
 * - `pump[N].<field>`   -> measurement `pump`, tag pump=N, field `<field>`
 * - `supply.<x>`        -> measurement `supply`, field `<x>` (the electrical supply)
 * - `station.<x>`       -> measurement `station`, field `<x>`
 * - other station-level `<group>.<x>` -> measurement `station`, field `<group>_<x>`
 * - `custom.<name>`     -> measurement `custom`, field `<name>`
 * Every value field has a string field `<field>_q` beside it holding its quality, so
 * `WHERE "<field>_q" = 'good'` selects good readings. A `comms_failed` reading writes only the
 * `_q` field: the gap is on record, no value is invented.
 *
 * The server's health models write their hourly series beside the telemetry (see locateSeries):
 * - `health.pump[N].<indicator>` -> measurement `health`, tag pump=N, field `<indicator>`
 * - `health.<indicator>`         -> measurement `health`, field `<indicator>` (station indicators, `score`)
 */
export interface SeriesLocation {
  measurement: 'pump' | 'supply' | 'station' | 'custom' | 'health';
  field: string;
  /** Only for pumps: the pump number as a tag. */
  pump?: string;
}

export const QUALITY_SUFFIX = '_q';
/** The measurements telemetry from the edges goes to (not the server's own `health` series). */
export const MEASUREMENTS = ['pump', 'supply', 'station', 'custom'] as const;
export const HEALTH_PREFIX = 'health.';
const HEALTH_SERIES = /^health\.(?:pump\[([1-9]\d{0,2})\]\.)?([a-z][a-z0-9_]{0,63})$/;

/** A health series' meaning: `health.pump[2].vibration`, `health.score`. */
export function healthMeaning(field: string, pump: number | null): string {
  return pump === null ? `${HEALTH_PREFIX}${field}` : `${HEALTH_PREFIX}pump[${pump}].${field}`;
}

/**
 * Where any stored series lives: a telemetry meaning (locateMeaning) or one of the server's
 * `health.` series. Edges cannot write health series: ingest maps with locateMeaning alone.
 */
export function locateSeries(meaning: string): Readonly<SeriesLocation> | string {
  if (!meaning.startsWith(HEALTH_PREFIX)) return locateMeaning(meaning);
  const match = HEALTH_SERIES.exec(meaning);
  if (!match || match[2]!.endsWith(QUALITY_SUFFIX)) {
    return `unknown health series "${meaning}": use health.<indicator> or health.pump[N].<indicator>`;
  }
  return match[1]
    ? { measurement: 'health', field: match[2]!, pump: match[1] }
    : { measurement: 'health', field: match[2]! };
}

/** Maps a meaning to its measurement and field, or returns a sentence saying why it cannot. */
export function locateMeaning(meaning: string): Readonly<SeriesLocation> | string {
  let location = locations.get(meaning);
  if (location === undefined) {
    location = computeLocation(meaning);
    // Meanings come from profiles, a small set; the cap keeps invented ones from growing it.
    if (locations.size < 10_000) locations.set(meaning, location);
  }
  return location;
}

const locations = new Map<string, Readonly<SeriesLocation> | string>();

function computeLocation(meaning: string): SeriesLocation | string {
  const parsed = parseMeaning(meaning);
  if (typeof parsed === 'string') return parsed;
  if (parsed.kind === 'pump') return { measurement: 'pump', field: parsed.field, pump: String(parsed.pump) };
  if (parsed.kind === 'custom') {
    const field = parsed.meaning.slice('custom.'.length);
    if (field.endsWith(QUALITY_SUFFIX))
      return `custom meaning "${meaning}" must not end in ${QUALITY_SUFFIX}`;
    return { measurement: 'custom', field };
  }
  const [group, rest] = splitOnce(parsed.meaning);
  if (group === 'supply') return { measurement: 'supply', field: rest };
  if (group === 'station') return { measurement: 'station', field: rest };
  return { measurement: 'station', field: `${group}_${rest}` };
}

const STATION_FIELD_TO_MEANING = new Map<string, string>(
  STATION_MEANINGS.flatMap((meaning) => {
    const location = locateMeaning(meaning);
    return typeof location === 'string' ? [] : [[`${location.measurement}:${location.field}`, meaning]];
  }),
);

/** The inverse of locateMeaning; undefined for a field this version does not know. */
export function meaningOf(location: SeriesLocation): string | undefined {
  switch (location.measurement) {
    case 'pump':
      return location.pump ? `pump[${location.pump}].${location.field}` : undefined;
    case 'custom':
      return `custom.${location.field}`;
    case 'health':
      return healthMeaning(location.field, location.pump ? Number(location.pump) : null);
    default:
      return STATION_FIELD_TO_MEANING.get(`${location.measurement}:${location.field}`);
  }
}

export interface PointsFromTelemetry {
  points: TelemetryPoint[];
  /** Meanings that have no place in the store, with the reason. */
  rejected: Array<{ meaning: string; reason: string }>;
}

/** One telemetry message to store points: one per value, stamped with the message's source ts. */
export function pointsFromTelemetry(message: Telemetry): PointsFromTelemetry {
  const points: TelemetryPoint[] = [];
  const rejected: PointsFromTelemetry['rejected'] = [];
  const values = message.values;
  // for-in, not Object.entries: no array of pairs per message on the ingest's hot path.
  for (const meaning in values) {
    const { v, q } = values[meaning]!;
    const location = locateMeaning(meaning);
    if (typeof location === 'string') {
      rejected.push({ meaning, reason: location });
      continue;
    }
    // comms_failed and not_available are never a value, and a null value is only a quality mark:
    // not_available (the device's own "no value") stays itself, anything else null is comms_failed.
    const value = q === 'comms_failed' || q === 'not_available' ? null : v;
    const quality = value === null ? (q === 'not_available' ? q : 'comms_failed') : q;
    points.push({ site: message.site, station: message.station, meaning, ts: message.ts, value, q: quality });
  }
  return { points, rejected };
}

function splitOnce(meaning: string): [string, string] {
  const dot = meaning.indexOf('.');
  return [meaning.slice(0, dot), meaning.slice(dot + 1)];
}
