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

/**
 * Readings of a station InfluxDB holds with a source timestamp in (fromTs, toTs]: one per message,
 * counted on pump 1's run-status quality, which every message carries (comms_failed ones too).
 */
export async function storedReadings(
  influxUrl: string,
  station: string,
  fromTs: number,
  toTs: number,
): Promise<number> {
  const q =
    `SELECT count("running_q") FROM "pump" WHERE "station" = '${station}' AND "pump" = '1' ` +
    `AND time > ${fromTs}ms AND time <= ${toTs}ms`;
  const response = await fetch(`${influxUrl}/query?${new URLSearchParams({ db: 'aftercare', q })}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`InfluxDB /query: ${response.status}`);
  const body = (await response.json()) as {
    results: Array<{ series?: Array<{ values: Array<[string, number]> }>; error?: string }>;
  };
  const result = body.results[0];
  if (result?.error) throw new Error(result.error);
  return result?.series?.[0]?.values[0]?.[1] ?? 0;
}

/**
 * Holes in a station's stored stream within (fromTs, toTs]: consecutive stored source timestamps
 * further apart than `maxStepMs`, as [last before, first after] pairs (for a failure's context).
 */
export async function storedGaps(
  influxUrl: string,
  station: string,
  fromTs: number,
  toTs: number,
  maxStepMs: number,
): Promise<Array<[number, number]>> {
  const q =
    `SELECT "running_q" FROM "pump" WHERE "station" = '${station}' AND "pump" = '1' ` +
    `AND time > ${fromTs}ms AND time <= ${toTs}ms`;
  const response = await fetch(
    `${influxUrl}/query?${new URLSearchParams({ db: 'aftercare', q, epoch: 'ms' })}`,
    { signal: AbortSignal.timeout(5000) },
  );
  if (!response.ok) throw new Error(`InfluxDB /query: ${response.status}`);
  const body = (await response.json()) as {
    results: Array<{ series?: Array<{ values: Array<[number, string]> }> }>;
  };
  const times = (body.results[0]?.series?.[0]?.values ?? []).map((row) => row[0]);
  const gaps: Array<[number, number]> = [];
  let previous = fromTs;
  for (const ts of [...times, toTs]) {
    if (ts - previous > maxStepMs) gaps.push([previous, ts]);
    previous = ts;
  }
  return gaps;
}
