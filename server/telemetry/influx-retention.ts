import { type InfluxConnection, ident, influxQuery } from './influxql.ts';
import { MEASUREMENTS } from './point-mapping.ts';

/** Where the hourly roll-ups live (InfluxDB 1.x retention policy, kept for ever). */
export const ROLLUP_POLICY = 'rollup';
const HOUR_MS = 3_600_000;

export interface TelemetryRetentionOptions {
  /** How long raw points are kept, in hours (InfluxDB's minimum is 1). Default 90 days. */
  rawHours?: number;
}

/**
 * InfluxDB 1.x: raw points in the default policy `autogen` kept `rawHours`, hourly mean/min/max of
 * every field in `rollup` (infinite) by one continuous query per measurement, and a backfill of the
 * hours the raw policy still holds (so a new roll-up is not empty and a restart loses no hour).
 * Idempotent: run at every start.
 */
export async function setUpInfluxRetention(
  connection: InfluxConnection,
  options: TelemetryRetentionOptions = {},
): Promise<{ rawHours: number }> {
  const rawHours = Math.max(1, Math.round(options.rawHours ?? 90 * 24));
  const db = ident(connection.database);
  const shardHours = Math.min(rawHours, 24);
  await influxQuery(connection, [
    `ALTER RETENTION POLICY "autogen" ON ${db} DURATION ${rawHours}h SHARD DURATION ${shardHours}h DEFAULT`,
    `CREATE RETENTION POLICY ${ident(ROLLUP_POLICY)} ON ${db} DURATION INF REPLICATION 1`,
  ]);
  for (const measurement of MEASUREMENTS) {
    const select = rollupSelect(connection.database, measurement);
    const name = ident(`hourly_${measurement}`);
    const existing = await influxQuery(connection, ['SHOW CONTINUOUS QUERIES']);
    const known = (existing[0]?.series ?? []).some((series) =>
      (series.values ?? []).some((row) => row[0] === `hourly_${measurement}`),
    );
    if (!known) {
      await influxQuery(connection, [
        `CREATE CONTINUOUS QUERY ${name} ON ${db} BEGIN ${select} GROUP BY time(1h), * END`,
      ]);
    }
    await influxQuery(connection, [`${select} WHERE time >= now() - ${rawHours}h GROUP BY time(1h), *`]);
  }
  return { rawHours };
}

function rollupSelect(database: string, measurement: string): string {
  const db = ident(database);
  return `SELECT mean(*), min(*), max(*) INTO ${db}.${ident(ROLLUP_POLICY)}.${ident(measurement)} FROM ${db}."autogen".${ident(measurement)}`;
}

/** True when a history query should read the roll-up: hourly or coarser steps reaching past the raw points. */
export function readsRollup(query: { from: number; step?: number }, rawHours: number, now: number): boolean {
  return query.step !== undefined && query.step >= HOUR_MS && query.from < now - rawHours * HOUR_MS;
}
