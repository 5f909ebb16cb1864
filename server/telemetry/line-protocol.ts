import { BodyBuilder } from './body-builder.ts';
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
  const lines: string[] = [];
  let line = '';
  renderPoints(points, {
    put: (text) => {
      line += text;
    },
    endLine: () => {
      lines.push(line);
      line = '';
    },
  });
  return lines;
}

/**
 * The lines of linesFromPoints as a request body: UTF-8, joined by newlines, and how many. Made
 * without a string per line or per field (the line strings were ~20% of what the server allocated
 * at 1,000 stations, ~24 KiB a message; this makes ~2.5).
 */
export function lineProtocolBody(points: readonly TelemetryPoint[]): { body: Uint8Array; lines: number } {
  // ~60 bytes a point for the reference profile's keys; the builder grows if that is short.
  const builder = new BodyBuilder(64 * points.length);
  let lines = 0;
  renderPoints(points, {
    put: (text) => builder.put(text),
    endLine: () => {
      builder.put('\n');
      lines++;
    },
  });
  // Every line ended with a newline; the body has none after its last.
  return { body: builder.bytes().subarray(0, Math.max(0, builder.length - 1)), lines };
}

interface LineSink {
  put(text: string): void;
  endLine(): void;
}

/**
 * Where each point of one message goes (points of one message are adjacent and share site,
 * station and ts: a run): its lines in the order their series first appear, each line's fields in
 * key order. Every message of a profile brings its meanings in the same sequence, so the plan is
 * made once per sequence and each message is then written from it: no field objects, no sort.
 */
interface RunPlan {
  /** The run's meanings' places (null: no place in the schema), as the plan was made for. */
  entries: readonly (Located | null)[];
  lines: readonly PlanLine[];
}

interface PlanLine {
  head: string;
  fields: readonly PlanField[];
}

interface PlanField {
  /** `key=` and `,key=`. */
  first: string;
  rest: string;
  quality: boolean;
  /**
   * Offsets in the run of the points that write this key, the last first. A key is written once:
   * the quality by the last point of its meaning, the value by the last that has one (a message
   * redelivered beside itself brings every meaning twice).
   */
  at: readonly number[];
}

const plansByFirst = new Map<Located | null, RunPlan[]>();
/** The current run's entries (reused: no array per message). */
const runEntries: Array<Located | null> = [];

function planOf(entries: readonly (Located | null)[]): RunPlan {
  const known = plansByFirst.get(entries[0] ?? null);
  if (known) {
    for (const plan of known) if (sameEntries(plan.entries, entries)) return plan;
  }
  const plan = makePlan(entries);
  // Plans follow profiles and their poll-class mixes, a handful each; an edge sending ever other
  // sets of meanings gets its plans made per message once the cache is full, not a cache that grows.
  if (known && known.length >= PLANS_PER_FIRST_MEANING) {
    known.shift();
    known.push(plan);
  } else if (cachedPlans < MAX_CACHED_PLANS) {
    cachedPlans++;
    if (known) known.push(plan);
    else plansByFirst.set(entries[0] ?? null, [plan]);
  }
  return plan;
}

const PLANS_PER_FIRST_MEANING = 16;
const MAX_CACHED_PLANS = 1000;
let cachedPlans = 0;

function makePlan(entries: readonly (Located | null)[]): RunPlan {
  const lines = new Map<string, { head: string; keys: Map<string, { quality: boolean; at: number[] }> }>();
  entries.forEach((entry, offset) => {
    if (!entry) return;
    let line = lines.get(entry.series);
    if (!line) {
      line = { head: entry.head, keys: new Map() };
      lines.set(entry.series, line);
    }
    for (const [key, quality] of [
      [entry.valueKey, false],
      [entry.qualityKey, true],
    ] as const) {
      const field = line.keys.get(key);
      if (field) field.at.unshift(offset);
      else line.keys.set(key, { quality, at: [offset] });
    }
  });
  return {
    entries: [...entries],
    lines: [...lines.values()].map(({ head, keys }) => ({
      head,
      // Code-unit order, as Array.prototype.sort and the client's Point sort keys.
      fields: [...keys.keys()]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((key) => ({ first: `${key}=`, rest: `,${key}=`, ...keys.get(key)! })),
    })),
  };
}

function sameEntries(a: readonly (Located | null)[], b: readonly (Located | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function renderPoints(points: readonly TelemetryPoint[], sink: LineSink): void {
  let start = 0;
  while (start < points.length) {
    const first = points[start]!;
    let end = start;
    runEntries.length = 0;
    for (; end < points.length; end++) {
      const point = points[end]!;
      if (point.ts !== first.ts || point.station !== first.station || point.site !== first.site) break;
      runEntries.push(located(point.meaning));
    }
    const plan = planOf(runEntries);
    const tags = `,site=${escapeKey(first.site)},station=${escapeKey(first.station)} `;
    const ts = ` ${Math.trunc(first.ts)}`;
    for (const line of plan.lines) renderLine(points, start, line, tags, ts, sink);
    start = end;
  }
}

function renderLine(
  points: readonly TelemetryPoint[],
  start: number,
  line: PlanLine,
  tags: string,
  ts: string,
  sink: LineSink,
): void {
  sink.put(line.head);
  sink.put(tags);
  let written = 0;
  for (const field of line.fields) {
    const text = field.quality
      ? qualityValue(points[start + field.at[0]!]!.q)
      : valueText(points, start, field.at);
    if (text === undefined) continue;
    sink.put(written === 0 ? field.first : field.rest);
    sink.put(text);
    written++;
  }
  sink.put(ts);
  sink.endLine();
}

/** The value field's text from the last of its points that has a value; undefined if none has. */
function valueText(
  points: readonly TelemetryPoint[],
  start: number,
  at: readonly number[],
): string | undefined {
  for (let i = 0; i < at.length; i++) {
    const value = points[start + at[i]!]!.value;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return String(value);
    } else if (typeof value === 'boolean') {
      return value ? 'T' : 'F';
    }
  }
  return undefined;
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
