import type { Quality } from '../../core/telemetry/payloads.ts';

/** One reading of one meaning at one station, as it goes into a store. */
export interface TelemetryPoint {
  site: string;
  station: string;
  /** Tag meaning, e.g. `pump[1].bearing_vibration` or `pressure.outlet`. */
  meaning: string;
  /** Source timestamp, ms since the epoch. */
  ts: number;
  /** null only with quality `comms_failed`: stores keep the quality, never a value. */
  value: number | boolean | null;
  q: Quality;
}

/** The newest stored value of one meaning. */
export interface StoredValue {
  meaning: string;
  ts: number;
  value: number | boolean;
  q: Quality;
}

export interface RangeQuery {
  site: string;
  station: string;
  meaning: string;
  /** Inclusive bounds, ms since the epoch. */
  from: number;
  to: number;
  /**
   * Bucket width in ms. Buckets are aligned to the epoch (as InfluxQL's GROUP BY time and
   * Postgres' date_bin with an epoch origin both do), so a bucket's ts may be before `from`.
   * Without it, raw points come back.
   */
  step?: number;
  /**
   * How a bucket sums up its readings: `mean` (with min and max; booleans as the fraction true), or
   * `last`, the bucket's newest value, for states (an enumeration's code is never averaged: modes 0
   * and 4 are not "2"). Default mean.
   */
  aggregate?: 'mean' | 'last';
  /** Most rows returned (default 10 000): the oldest first. */
  limit?: number;
}

/**
 * One row of a range. Raw rows carry the value and its quality. Stepped rows carry, for numbers,
 * the bucket's average (or with `aggregate: 'last'` its newest value) with its min and max; for
 * booleans, the fraction of readings that were true (0..1) with min and max as 0/1.
 */
export interface RangeRow {
  ts: number;
  value: number | boolean;
  q?: Quality;
  min?: number;
  max?: number;
}

export interface StoreHealth {
  kind: 'influxdb' | 'pglite';
  ok: boolean;
  /** Server version (InfluxDB) or engine version (PGlite). */
  version?: string;
  /** Which write path is in use, e.g. `v1 /write` or `v2 /api/v2/write`. */
  writePath?: string;
  /** Points accepted but not yet written. */
  queued: number;
  /** Last write or query error, if the last attempt failed. */
  lastError?: string;
}

/** Hooks for metrics; the store knows nothing of prom-client. */
export interface StoreObserver {
  pointsWritten(count: number): void;
  /** One write round trip (HTTP request or SQL transaction), in seconds. */
  writeLatency(seconds: number): void;
  error(operation: 'write' | 'query', error: unknown): void;
}

export const silentObserver: StoreObserver = {
  pointsWritten: () => {},
  writeLatency: () => {},
  error: () => {},
};

/**
 * Telemetry storage: InfluxDB in production, PGlite embedded by default. Both answer the same
 * queries with the same semantics; downsampling happens in the database, never in JS.
 */
export interface TelemetryStore {
  readonly kind: StoreHealth['kind'];
  /** Accepts points for a batched write; resolves once queued, not once written. */
  write(points: readonly TelemetryPoint[]): Promise<void>;
  /**
   * Writes at once, bypassing the batch queue, and resolves once the database holds the points;
   * rejects (keeping nothing) when it cannot. Behind the server's delayed MQTT acknowledgement:
   * writes are idempotent (same series and source timestamp overwrite), so a retry is harmless.
   */
  writeDurable(points: readonly TelemetryPoint[]): Promise<void>;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Newest stored value of every meaning of one station (quality marks without a value skipped). */
  latest(site: string, station: string): Promise<StoredValue[]>;
  range(query: RangeQuery): Promise<RangeRow[]>;
  /**
   * Telemetry messages stored per bucket (epoch-aligned, `bucketMs` wide) with a source timestamp
   * in [from, to]: distinct timestamps in PGlite; in InfluxDB the count of the most-written field.
   */
  readingCounts(
    site: string,
    station: string,
    from: number,
    to: number,
    bucketMs: number,
  ): Promise<Array<{ ts: number; count: number }>>;
  health(): Promise<StoreHealth>;
  /** Flushes and closes; the store is unusable after. */
  close(): Promise<void>;
}

export const DEFAULT_RANGE_LIMIT = 10_000;
