import { influxQuery, literal, msTime } from '../../server/telemetry/influxql.ts';

/** Where a station's stream stood: the newest seq the server saw and its source timestamp. */
export interface StreamMark {
  seq: number;
  ts: number;
}

export interface FaultRow {
  fault: string;
  /** Telemetry messages the edge published after the mark (seq difference), all stations. */
  expected: number;
  /** Of those, readings the store holds (distinct source timestamps), all stations. */
  stored: number;
  /** From the fault's end until the store held every reading, ms (undefined: never). */
  catchUpMs: number | undefined;
}

/** Lost readings of one row: what was published and is not stored. */
export function lost(row: FaultRow): number {
  return Math.max(0, row.expected - row.stored);
}

/** The table the fault harness prints. */
export function formatFaultTable(rows: readonly FaultRow[]): string {
  const header = ['fault', 'readings expected', 'stored', 'lost', 'time to catch up'];
  const body = rows.map((row) => [
    row.fault,
    String(row.expected),
    String(row.stored),
    String(lost(row)),
    row.catchUpMs === undefined ? 'never' : `${(row.catchUpMs / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The newest seq and ts the server holds for a station (GET /api/stations/:id). */
export async function streamMark(
  serverUrl: string,
  station: string,
  authorization: string,
): Promise<StreamMark> {
  const response = await fetch(`${serverUrl}/api/stations/${station}`, {
    headers: { authorization },
    signal: AbortSignal.timeout(3000),
  });
  if (!response.ok) throw new Error(`GET /api/stations/${station}: ${response.status}`);
  const body = (await response.json()) as { seq: number; ts: number };
  return { seq: body.seq, ts: body.ts };
}

/** Which readings: a station's within (fromTs, toTs], or every one of a site. */
export type ReadingScope = { station: string; fromTs: number; toTs: number } | { site: string };

/**
 * Pump 1's run-status quality, which every telemetry message carries (comms_failed ones too):
 * one stored point per message in `scope`.
 */
function readingsOf(select: string, scope: ReadingScope): string {
  const where =
    'site' in scope
      ? `"site" = ${literal(scope.site)}`
      : `"station" = ${literal(scope.station)} AND time > ${msTime(scope.fromTs)} AND time <= ${msTime(scope.toTs)}`;
  return `SELECT ${select} FROM "pump" WHERE ${where} AND "pump" = '1'`;
}

function query(influxUrl: string, statement: string) {
  return influxQuery({ url: influxUrl, database: 'aftercare', headers: {}, timeoutMs: 5000 }, [statement]);
}

/** Readings (telemetry messages) InfluxDB holds in `scope`. */
export async function storedReadings(influxUrl: string, scope: ReadingScope): Promise<number> {
  const [result] = await query(influxUrl, readingsOf('count("running_q")', scope));
  return Number(result?.series?.[0]?.values[0]?.[1] ?? 0);
}

/**
 * Holes in a station's stored stream within (fromTs, toTs]: consecutive stored source timestamps
 * further apart than `maxStepMs`, as [last before, first after] pairs (for a failure's context).
 */
export async function storedGaps(
  influxUrl: string,
  scope: { station: string; fromTs: number; toTs: number },
  maxStepMs: number,
): Promise<Array<[number, number]>> {
  const [result] = await query(influxUrl, readingsOf('"running_q"', scope));
  const times = (result?.series?.[0]?.values ?? []).map((row) => Number(row[0]));
  const gaps: Array<[number, number]> = [];
  let previous = scope.fromTs;
  for (const ts of [...times, scope.toTs]) {
    if (ts - previous > maxStepMs) gaps.push([previous, ts]);
    previous = ts;
  }
  return gaps;
}
