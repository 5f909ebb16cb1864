/** InfluxQL over /query: answered by InfluxDB 1.x, 2.x (through DBRP mappings) and 3.x alike. */

export interface InfluxConnection {
  url: string;
  /** Database (1.x) or bucket mapped to one (2.x, 3.x). */
  database: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface InfluxStatementResult {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
}

/** Double-quoted identifier (measurement, field, tag key). */
export function ident(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Single-quoted string literal (tag values). */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Integer ms since the epoch as an InfluxQL time literal. */
export function msTime(ms: number): string {
  return `${Math.trunc(ms)}ms`;
}

/**
 * Runs one or more statements (joined by `;`) in one request with ms epochs in the answer.
 * Throws when the request fails or any statement reports an error.
 */
export async function influxQuery(
  connection: InfluxConnection,
  statements: readonly string[],
): Promise<InfluxStatementResult[]> {
  const params = new URLSearchParams({ db: connection.database, epoch: 'ms' });
  const body = new URLSearchParams({ q: statements.join(';\n') });
  const response = await fetch(`${connection.url}/query?${params}`, {
    method: 'POST',
    headers: { ...connection.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(connection.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`InfluxQL query failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  const parsed = JSON.parse(text) as { results?: InfluxStatementResult[]; error?: string };
  if (parsed.error) throw new Error(`InfluxQL query failed: ${parsed.error}`);
  const results = parsed.results ?? [];
  const failed = results.find((result) => result.error);
  if (failed) throw new Error(`InfluxQL statement ${failed.statement_id} failed: ${failed.error}`);
  return results;
}
