import type { PGlite } from '@electric-sql/pglite';
import type { Quality } from '../../core/telemetry/payloads.ts';
import { openPglite } from '../db/open-pglite.ts';
import {
  HOURLY_SCHEMA,
  hourlyRange,
  type PgliteRetention,
  readsHourly,
  rollUpAndPrune,
} from './pglite-rollup.ts';
import { HEALTH_PREFIX, locateSeries } from './point-mapping.ts';
import {
  DEFAULT_RANGE_LIMIT,
  type RangeQuery,
  type RangeRow,
  type StoredValue,
  type StoreHealth,
  type StoreObserver,
  silentObserver,
  type TelemetryPoint,
  type TelemetryStore,
} from './telemetry-store.ts';

export interface PgliteStoreOptions {
  /** Directory of the database; undefined keeps it in memory (tests). */
  dir?: string;
  /** Queued points are written at least this often, in ms. Default 250. */
  flushIntervalMs?: number;
  /** A write starts as soon as this many points are queued. Default 2000. */
  batchSize?: number;
  /** Points held while writes lag; past it new points are dropped and counted. Default 100 000. */
  maxQueue?: number;
  observer?: StoreObserver;
  /** Raw points kept this many hours, hourly roll-ups for ever (rolled and pruned hourly). Default: all raw kept. */
  retention?: PgliteRetention;
  /** Time source for the roll-up, ms. Default Date.now. */
  clock?: () => number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS telemetry (
  site text NOT NULL,
  station text NOT NULL,
  meaning text NOT NULL,
  ts timestamptz NOT NULL,
  num double precision,
  bool boolean,
  q text NOT NULL,
  PRIMARY KEY (site, station, meaning, ts)
);`;

// Same series and timestamp twice is one point, as in InfluxDB: the later write wins.
const INSERT = `
INSERT INTO telemetry (site, station, meaning, ts, num, bool, q)
SELECT site, station, meaning, to_timestamp(ms / 1000.0), num, bool, q
FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::boolean[], $7::text[])
  AS t(site, station, meaning, ms, num, bool, q)
ON CONFLICT (site, station, meaning, ts) DO UPDATE SET num = excluded.num, bool = excluded.bool, q = excluded.q`;

const HAS_VALUE = '(num IS NOT NULL OR bool IS NOT NULL)';
/** A bucket's newest number: a state's code as it last stood, never an average of codes. */
const LAST_NUM = '(array_agg(num ORDER BY ts DESC) FILTER (WHERE num IS NOT NULL))[1]';
// The health models' hourly series share the table; latest values and reading counts are telemetry's.
const TELEMETRY_ONLY = `meaning NOT LIKE '${HEALTH_PREFIX}%'`;
const EPOCH_MS = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** Opens (and creates on first use) the embedded telemetry store. */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<PgliteStore> {
  const db = await openPglite(options.dir);
  await db.exec(SCHEMA);
  await db.exec(HOURLY_SCHEMA);
  const store = new PgliteStore(db, options);
  if (options.retention) await store.maintain();
  return store;
}

export class PgliteStore implements TelemetryStore {
  readonly kind = 'pglite' as const;
  private queue: TelemetryPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastError: string | undefined;
  private closed = false;
  private readonly observer: StoreObserver;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  private readonly retention: PgliteRetention | undefined;
  private readonly clock: () => number;
  private rolledUntil: number | undefined;
  private oldestWritten = Number.POSITIVE_INFINITY;
  private maintenance: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: PGlite,
    options: PgliteStoreOptions,
  ) {
    this.observer = options.observer ?? silentObserver;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 2000;
    this.maxQueue = options.maxQueue ?? 100_000;
    this.retention = options.retention;
    this.clock = options.clock ?? Date.now;
    if (this.retention) {
      this.maintenance = setInterval(() => void this.maintain().catch(() => {}), 3_600_000);
      this.maintenance.unref();
    }
  }

  /**
   * Rolls raw hours into telemetry_hourly and deletes raw points past the raw period (a no-op
   * without retention). Runs at open and hourly; callable on demand (tests, a moved clock).
   */
  async maintain(): Promise<{ rolled: number; deleted: number }> {
    if (!this.retention || this.closed) return { rolled: 0, deleted: 0 };
    await this.flush();
    const now = this.clock();
    // After a restart: from the last hour rolled (or all raw on the first pass), never pruning unrolled hours.
    const since = Math.min(
      this.oldestWritten,
      this.rolledUntil ??
        (
          await this.db.query<{ ms: number | null }>(
            'SELECT (extract(epoch from max(hour)) * 1000)::float8 AS ms FROM telemetry_hourly',
          )
        ).rows[0]?.ms ??
        0,
    );
    this.oldestWritten = Number.POSITIVE_INFINITY;
    try {
      const outcome = await rollUpAndPrune(this.db, this.retention, now, since);
      // The hour still filling is rolled again next time.
      this.rolledUntil = now;
      return outcome;
    } catch (error) {
      this.oldestWritten = Math.min(this.oldestWritten, since);
      this.observer.error('write', error);
      throw error;
    }
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    if (this.closed) throw new Error('telemetry store is closed');
    const room = this.maxQueue - this.queue.length;
    if (points.length > room) {
      this.observer.error(
        'write',
        new Error(`write queue full: dropped ${points.length - Math.max(0, room)} points`),
      );
    }
    this.queue.push(...points.slice(0, Math.max(0, room)));
    if (this.queue.length >= this.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  async writeDurable(points: readonly TelemetryPoint[]): Promise<void> {
    if (this.closed) throw new Error('telemetry store is closed');
    if (points.length === 0) return;
    const started = process.hrtime.bigint();
    try {
      await this.insert(dedupe([...points]));
    } catch (error) {
      this.lastError = (error as Error).message;
      this.observer.error('write', error);
      throw error;
    }
    this.observer.writeLatency(Number(process.hrtime.bigint() - started) / 1e9);
    this.observer.pointsWritten(points.length);
    this.lastError = undefined;
  }

  private insert(batch: TelemetryPoint[]) {
    // A late point (an edge's spool sent after an outage) makes its hour roll up again.
    if (this.retention)
      for (const point of batch) this.oldestWritten = Math.min(this.oldestWritten, point.ts);
    return this.db.query(INSERT, [
      batch.map((p) => p.site),
      batch.map((p) => p.station),
      batch.map((p) => p.meaning),
      batch.map((p) => p.ts),
      batch.map((p) => (typeof p.value === 'number' ? p.value : null)),
      batch.map((p) => (typeof p.value === 'boolean' ? p.value : null)),
      batch.map((p) => p.q),
    ]);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Chained so flushes never overlap and a caller's flush covers what was queued before it.
    this.flushing = this.flushing.then(() => this.writeQueued());
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = dedupe(this.queue.splice(0, this.batchSize));
      const started = process.hrtime.bigint();
      try {
        await this.insert(batch);
        this.observer.writeLatency(Number(process.hrtime.bigint() - started) / 1e9);
        this.observer.pointsWritten(batch.length);
        this.lastError = undefined;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.observer.error('write', error);
      }
    }
  }

  async latest(site: string, station: string): Promise<StoredValue[]> {
    const result = await this.query<{
      meaning: string;
      ts: number;
      num: number | null;
      bool: boolean | null;
      q: Quality;
    }>(
      `SELECT DISTINCT ON (meaning) meaning, ${EPOCH_MS('ts')} AS ts, num, bool, q FROM telemetry
       WHERE site = $1 AND station = $2 AND ${HAS_VALUE} AND ${TELEMETRY_ONLY} ORDER BY meaning, ts DESC`,
      [site, station],
    );
    return result.map((row) => ({
      meaning: row.meaning,
      ts: row.ts,
      value: (row.num ?? row.bool)!,
      q: row.q,
    }));
  }

  async range(query: RangeQuery): Promise<RangeRow[]> {
    const location = locateSeries(query.meaning);
    if (typeof location === 'string') throw new RangeError(location);
    const where = `site = $1 AND station = $2 AND meaning = $3 AND ts >= to_timestamp($4 / 1000.0)
      AND ts <= to_timestamp($5 / 1000.0) AND ${HAS_VALUE}`;
    const limit = query.limit ?? DEFAULT_RANGE_LIMIT;
    const params = [query.site, query.station, query.meaning, query.from, query.to];
    if (query.step === undefined) {
      const rows = await this.query<{ ts: number; num: number | null; bool: boolean | null; q: Quality }>(
        `SELECT ${EPOCH_MS('ts')} AS ts, num, bool, q FROM telemetry WHERE ${where} ORDER BY ts LIMIT ${limit}`,
        params,
      );
      return rows.map((row) => ({ ts: row.ts, value: (row.num ?? row.bool)!, q: row.q }));
    }
    if (this.retention && readsHourly(query, this.retention.rawHours, this.clock()))
      return await hourlyRange(this.db, query, limit);
    const bucket = `date_bin(make_interval(secs => $6 / 1000.0), ts, 'epoch'::timestamptz)`;
    const rows = await this.query<{
      ts: number;
      avg: number | null;
      min: number | null;
      max: number | null;
      frac: number | null;
      bmin: number | null;
      bmax: number | null;
    }>(
      `SELECT ${EPOCH_MS(bucket)} AS ts, ${query.aggregate === 'last' ? LAST_NUM : 'avg(num)'} AS avg, min(num) AS min, max(num) AS max,
         avg(bool::int)::float8 AS frac, min(bool::int) AS bmin, max(bool::int) AS bmax
       FROM telemetry WHERE ${where} GROUP BY 1 ORDER BY 1 LIMIT ${limit}`,
      [...params, query.step],
    );
    return rows.map((row) =>
      row.avg !== null
        ? { ts: row.ts, value: row.avg, min: row.min!, max: row.max! }
        : { ts: row.ts, value: row.frac!, min: row.bmin!, max: row.bmax! },
    );
  }

  async readingCounts(site: string, station: string, from: number, to: number, bucketMs: number) {
    const rows = await this.query<{ ts: number; count: number }>(
      `SELECT ${EPOCH_MS(`date_bin(make_interval(secs => $5 / 1000.0), ts, 'epoch'::timestamptz)`)} AS ts,
         count(DISTINCT ts)::int AS count
       FROM telemetry WHERE site = $1 AND station = $2 AND ${TELEMETRY_ONLY}
         AND ts >= to_timestamp($3 / 1000.0) AND ts <= to_timestamp($4 / 1000.0)
       GROUP BY 1 ORDER BY 1`,
      [site, station, from, to, bucketMs],
    );
    return rows.map((row) => ({ ts: row.ts, count: row.count }));
  }

  async health(): Promise<StoreHealth> {
    try {
      const [row] = await this.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
      return {
        kind: this.kind,
        ok: this.lastError === undefined,
        version: `PGlite (PostgreSQL ${row?.v})`,
        queued: this.queue.length,
        lastError: this.lastError,
      };
    } catch (error) {
      return { kind: this.kind, ok: false, queued: this.queue.length, lastError: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    clearInterval(this.maintenance);
    this.closed = true;
    await this.db.close();
  }

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.db.query<T>(sql, params)).rows;
    } catch (error) {
      this.observer.error('query', error);
      throw error;
    }
  }
}

/** Within one INSERT a key may appear once; the last reading of a key wins. */
function dedupe(points: TelemetryPoint[]): TelemetryPoint[] {
  const byKey = new Map<string, TelemetryPoint>();
  for (const point of points)
    byKey.set(`${point.site}\u0000${point.station}\u0000${point.meaning}\u0000${point.ts}`, point);
  return [...byKey.values()];
}
