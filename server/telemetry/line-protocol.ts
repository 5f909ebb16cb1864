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
  /** Escaped measurement and pump tag: the start of the line. */
  head: string;
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
            head: `${escapeMeasurement(location.measurement)}${location.pump === undefined ? '' : `,pump=${escapeKey(location.pump)}`}`,
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
 * a float or boolean field beside its quality as a string field `<field>_q`. Tags and fields are
 * sorted by key, as @influxdata/influxdb-client's Point writes them; this builds the same text
 * without a Point object per line (the hot path of ingest).
 * Meanings with no place in the schema are skipped (pointsFromTelemetry reports them).
 */
export function linesFromPoints(points: readonly TelemetryPoint[]): string[] {
  const out: string[] = [];
  // Points of one message are adjacent and share site, station and ts: group runs of those. A
  // run has a handful of lines (one per measurement and pump), so a list beats a Map here.
  let run: Line[] = [];
  let runSite = '';
  let runStation = '';
  let runTs = Number.NaN;
  let runTags = '';
  for (const point of points) {
    const entry = located(point.meaning);
    if (!entry) continue;
    if (point.ts !== runTs || point.station !== runStation || point.site !== runSite) {
      for (const line of run) out.push(renderLine(line));
      run = [];
      runSite = point.site;
      runStation = point.station;
      runTs = point.ts;
      runTags = `,site=${escapeKey(point.site)},station=${escapeKey(point.station)}`;
    }
    let line: Line | undefined;
    for (const candidate of run) {
      if (candidate.series === entry.series) {
        line = candidate;
        break;
      }
    }
    if (!line) {
      line = { series: entry.series, head: entry.head + runTags, ts: point.ts, fields: [] };
      run.push(line);
    }
    if (typeof point.value === 'number') {
      if (Number.isFinite(point.value)) line.fields.push({ key: entry.valueKey, text: String(point.value) });
    } else if (typeof point.value === 'boolean') {
      line.fields.push({ key: entry.valueKey, text: point.value ? 'T' : 'F' });
    }
    line.fields.push({ key: entry.qualityKey, text: qualityValue(point.q) });
  }
  for (const line of run) out.push(renderLine(line));
  return out;
}

interface Field {
  key: string;
  text: string;
}

interface Line {
  series: string;
  head: string;
  ts: number;
  /** In the order the points came; a key may repeat (the last one wins). */
  fields: Field[];
}

/** Code-unit order, as Array.prototype.sort without a comparator (and the client's Point). */
const byKey = (a: Field, b: Field) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function renderLine({ head, ts, fields }: Line): string {
  // sort() is stable: of fields with the same key, the one written last stays last.
  fields.sort(byKey);
  let text = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (i + 1 < fields.length && fields[i + 1]!.key === field.key) continue;
    text += `${text ? ',' : ''}${field.key}=${field.text}`;
  }
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
