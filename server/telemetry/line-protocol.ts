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
      line = { series: entry.series, head: entry.head + runTags, ts: point.ts, keys: [], texts: [] };
      run.push(line);
    }
    if (typeof point.value === 'number') {
      if (Number.isFinite(point.value)) {
        line.keys.push(entry.valueKey);
        line.texts.push(String(point.value));
      }
    } else if (typeof point.value === 'boolean') {
      line.keys.push(entry.valueKey);
      line.texts.push(point.value ? 'T' : 'F');
    }
    line.keys.push(entry.qualityKey);
    line.texts.push(qualityValue(point.q));
  }
  for (const line of run) out.push(renderLine(line));
  return out;
}

interface Line {
  series: string;
  head: string;
  ts: number;
  /** Field keys and their values in the order the points came; a key may repeat (the last one wins). */
  keys: string[];
  texts: string[];
}

/**
 * The order a line's fields are written in, for one sequence of keys: indices into it, sorted by key
 * (code-unit order, as Array.prototype.sort without a comparator and the client's Point), each key
 * once (its last occurrence). Every message of a profile brings a series' keys in the same sequence
 * (the same strings, from `located`), so the order is worked out once per series and sequence: per
 * line there are then no field objects to make and nothing to sort.
 */
interface FieldOrder {
  keys: readonly string[];
  emit: number[];
}

const fieldOrders = new Map<string, FieldOrder>();

function fieldOrder(series: string, keys: readonly string[]): FieldOrder {
  const cached = fieldOrders.get(series);
  if (cached && sameKeys(cached.keys, keys)) return cached;
  const byKey = keys
    .map((_, i) => i)
    .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  const emit = byKey.filter((index, i) => i + 1 === byKey.length || keys[byKey[i + 1]!] !== keys[index]);
  const order = { keys: [...keys], emit };
  // Series are measurement and pump: a bounded set, but cap it as the meanings' cache is.
  if (fieldOrders.size < 10_000 || cached) fieldOrders.set(series, order);
  return order;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function renderLine({ series, head, ts, keys, texts }: Line): string {
  const { emit } = fieldOrder(series, keys);
  let text = '';
  for (let i = 0; i < emit.length; i++) {
    const index = emit[i]!;
    text += `${i > 0 ? ',' : ''}${keys[index]}=${texts[index]}`;
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
