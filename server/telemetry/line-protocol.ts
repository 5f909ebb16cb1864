import { locateSeries, QUALITY_SUFFIX, type SeriesLocation } from './point-mapping.ts';
import type { TelemetryPoint } from './telemetry-store.ts';

// Escaping per the InfluxDB line protocol reference.
const escapeMeasurement = (s: string) => s.replace(/[ ,\\]/g, '\\$&');
const escapeKey = (s: string) => s.replace(/[ ,=\\]/g, '\\$&');
const escapeString = (s: string) => s.replace(/["\\]/g, '\\$&');

/** A meaning's place in the schema with its field keys escaped once. */
interface Located {
  location: SeriesLocation;
  /** Measurement and pump: the values of one line. */
  series: string;
  valueKey: string;
  qualityKey: string;
}

const locatedCache = new Map<string, Located | null>();

function located(meaning: string): Located | null {
  let entry = locatedCache.get(meaning);
  if (entry === undefined) {
    const location = locateSeries(meaning);
    entry =
      typeof location === 'string'
        ? null
        : {
            location,
            series: `${location.measurement}/${location.pump ?? ''}`,
            valueKey: escapeKey(location.field),
            qualityKey: escapeKey(location.field + QUALITY_SUFFIX),
          };
    // Meanings come from profiles: a bounded set, but cap it against a flood of invented ones.
    if (locatedCache.size < 10_000) locatedCache.set(meaning, entry);
  }
  return entry;
}

/**
 * Telemetry points to InfluxDB lines (ms timestamps): one line per site, station, measurement,
 * pump and timestamp (a repeated value overwrites, as a redelivered message does), each value as
 * a float or boolean field beside its quality as a string field `<field>_q`. Tags and fields are sorted by key, as @influxdata/influxdb-client's Point writes
 * them; this builds the same text without a Point object per line (the hot path of ingest).
 * Meanings with no place in the schema are skipped (pointsFromTelemetry reports them).
 */
export function linesFromPoints(points: readonly TelemetryPoint[]): string[] {
  const out: string[] = [];
  // Points of one message are adjacent and share site, station and ts: group runs of those.
  let runSite = '';
  let runStation = '';
  let runTs = Number.NaN;
  let run = new Map<string, Line>();
  const flush = () => {
    for (const line of run.values()) out.push(renderLine(line));
    run = new Map();
  };
  for (const point of points) {
    const entry = located(point.meaning);
    if (!entry) continue;
    if (point.ts !== runTs || point.station !== runStation || point.site !== runSite) {
      flush();
      runSite = point.site;
      runStation = point.station;
      runTs = point.ts;
    }
    let line = run.get(entry.series);
    if (!line) {
      const { location } = entry;
      const pump = location.pump === undefined ? '' : `,pump=${escapeKey(location.pump)}`;
      line = {
        head: `${escapeMeasurement(location.measurement)}${pump},site=${escapeKey(point.site)},station=${escapeKey(point.station)}`,
        ts: point.ts,
        fields: new Map(),
      };
      run.set(entry.series, line);
    }
    if (typeof point.value === 'number') {
      if (Number.isFinite(point.value)) line.fields.set(entry.valueKey, String(point.value));
    } else if (typeof point.value === 'boolean') {
      line.fields.set(entry.valueKey, point.value ? 'T' : 'F');
    }
    line.fields.set(entry.qualityKey, qualityValue(point.q));
  }
  flush();
  return out;
}

interface Line {
  head: string;
  ts: number;
  fields: Map<string, string>;
}

function renderLine({ head, ts, fields }: Line): string {
  let text = '';
  for (const k of [...fields.keys()].sort()) text += `${text ? ',' : ''}${k}=${fields.get(k)}`;
  return `${head} ${text} ${Math.trunc(ts)}`;
}

const qualityValues = new Map<string, string>();

function qualityValue(q: string): string {
  let value = qualityValues.get(q);
  if (value === undefined) {
    value = `"${escapeString(q)}"`;
    if (qualityValues.size < 100) qualityValues.set(q, value);
  }
  return value;
}
