import type { PGlite } from '@electric-sql/pglite';
import { HEALTH_PREFIX } from './point-mapping.ts';
import type { RangeQuery, RangeRow } from './telemetry-store.ts';

const HOUR_MS = 3_600_000;

/** Hourly mean, min and max per series (booleans as 0/1), kept for ever, as 1.x's "rollup" policy. */
export const HOURLY_SCHEMA = `
CREATE TABLE IF NOT EXISTS telemetry_hourly (
  site text NOT NULL,
  station text NOT NULL,
  meaning text NOT NULL,
  hour timestamptz NOT NULL,
  mean double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (site, station, meaning, hour)
);`;

export interface PgliteRetention {
  /** Raw points older than this many hours are deleted; the hourly roll-up stays. */
  rawHours: number;
}

/**
 * Rolls the raw hours from `since` (to now) into telemetry_hourly (an hour still filling is
 * rewritten at the next pass), then deletes raw points older than the raw period. The health
 * models' own hourly series are left alone. Returns the rows rolled and deleted.
 */
export async function rollUpAndPrune(
  db: PGlite,
  retention: PgliteRetention,
  now: number,
  since: number,
): Promise<{ rolled: number; deleted: number }> {
  const rolled = await db.query(
    `INSERT INTO telemetry_hourly (site, station, meaning, hour, mean, min, max, n)
     SELECT site, station, meaning, date_bin('1 hour', ts, 'epoch'::timestamptz),
       avg(coalesce(num, bool::int)), min(coalesce(num, bool::int)), max(coalesce(num, bool::int)), count(*)
     FROM telemetry
     WHERE ts >= date_bin('1 hour', to_timestamp($1 / 1000.0), 'epoch'::timestamptz)
       AND (num IS NOT NULL OR bool IS NOT NULL) AND meaning NOT LIKE '${HEALTH_PREFIX}%'
     GROUP BY 1, 2, 3, 4
     ON CONFLICT (site, station, meaning, hour) DO UPDATE
       SET mean = excluded.mean, min = excluded.min, max = excluded.max, n = excluded.n`,
    [since],
  );
  const deleted = await db.query(
    `DELETE FROM telemetry WHERE ts < to_timestamp($1 / 1000.0) AND meaning NOT LIKE '${HEALTH_PREFIX}%'`,
    [now - retention.rawHours * HOUR_MS],
  );
  return { rolled: rolled.affectedRows ?? 0, deleted: deleted.affectedRows ?? 0 };
}

/** Whether a range reads the roll-up: buckets of an hour or more reaching past the raw period. Pure. */
export function readsHourly(
  query: Pick<RangeQuery, 'from' | 'step'>,
  rawHours: number,
  now: number,
): boolean {
  return query.step !== undefined && query.step >= HOUR_MS && query.from < now - rawHours * HOUR_MS;
}

/** A stepped range from the roll-up: each bucket's mean weighted by the readings of its hours. */
export async function hourlyRange(db: PGlite, query: RangeQuery, limit: number): Promise<RangeRow[]> {
  const bucket = `date_bin(make_interval(secs => $6 / 1000.0), hour, 'epoch'::timestamptz)`;
  const result = await db.query<{ ts: number; mean: number; min: number; max: number }>(
    `SELECT (extract(epoch from ${bucket}) * 1000)::float8 AS ts, sum(mean * n) / sum(n) AS mean,
       min(min) AS min, max(max) AS max
     FROM telemetry_hourly
     WHERE site = $1 AND station = $2 AND meaning = $3
       AND hour >= date_bin('1 hour', to_timestamp($4 / 1000.0), 'epoch'::timestamptz) AND hour <= to_timestamp($5 / 1000.0)
     GROUP BY 1 ORDER BY 1 LIMIT ${limit}`,
    [query.site, query.station, query.meaning, query.from, query.to, query.step],
  );
  return result.rows.map((row) => ({ ts: row.ts, value: row.mean, min: row.min, max: row.max }));
}
