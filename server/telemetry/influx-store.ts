import { setLogger, type WriteApi, type WriteOptions } from '@influxdata/influxdb-client';
import type { Logger } from '../../core/log.ts';
import type { Quality } from '../../core/telemetry/payloads.ts';
import { writeBodyNow } from './influx-direct-write.ts';
import { type InfluxServerInfo, probeInflux } from './influx-probe.ts';
import {
  ROLLUP_POLICY,
  readsRollup,
  setUpInfluxRetention,
  type TelemetryRetentionOptions,
} from './influx-retention.ts';
import { createInfluxWriteApi, INFLUX_WRITE_OPTIONS, isRetriableWriteError } from './influx-writer.ts';
import { type InfluxConnection, ident, influxQuery, literal, msTime } from './influxql.ts';
import { lineProtocolBody, linesFromPoints } from './line-protocol.ts';
import {
  locateSeries,
  MEASUREMENTS,
  meaningOf,
  QUALITY_SUFFIX,
  type SeriesLocation,
} from './point-mapping.ts';
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

export interface InfluxStoreOptions {
  url: string;
  /** InfluxDB 2.x/3.x token. For 1.x use username/password. */
  token?: string;
  /** 2.x organization (ignored by 1.x and 3.x). Default ''. */
  org?: string;
  /** Bucket (2.x/3.x) or database (1.x). Default 'aftercare'. */
  bucket?: string;
  username?: string;
  password?: string;
  logger: Logger;
  observer?: StoreObserver;
  /** Overrides of INFLUX_WRITE_OPTIONS (batching, retries). */
  writeOptions?: Partial<WriteOptions>;
  /** 1.x: raw points kept this long and hourly roll-ups for ever (influx-retention.ts); absent: kept as they are. */
  retention?: TelemetryRetentionOptions;
}

/** Opens an InfluxDB store: probes the server, picks the write path, creates the 1.x database. */
export async function openInfluxStore(options: InfluxStoreOptions): Promise<InfluxStore> {
  const url = options.url.replace(/\/+$/, '');
  const headers = authHeaders(options);
  const info = await probeInflux(url, headers);
  const bucket = options.bucket ?? 'aftercare';
  const connection: InfluxConnection = { url, database: bucket.split('/')[0] ?? bucket, headers };
  if (info.major === 1) {
    // 1.x has databases, not buckets; CREATE DATABASE is a no-op when it exists.
    await influxQuery(connection, [`CREATE DATABASE ${ident(connection.database)}`]);
  }
  const store = new InfluxStore(connection, info, options, bucket);
  if (info.major === 1 && options.retention) {
    store.rawHours = (await setUpInfluxRetention(connection, options.retention)).rawHours;
  }
  return store;
}

function authHeaders(options: InfluxStoreOptions): Record<string, string> {
  if (options.token) return { authorization: `Token ${options.token}` };
  if (options.username !== undefined) {
    const basic = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }
  return {};
}

export class InfluxStore implements TelemetryStore {
  readonly kind = 'influxdb' as const;
  private readonly writeApi: WriteApi;
  private readonly observer: StoreObserver;
  private queued = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private lastError: string | undefined;
  private readonly org: string;
  /** Set when raw points expire (1.x retention set up): longer history reads the hourly roll-up. */
  rawHours: number | undefined;

  constructor(
    private readonly connection: InfluxConnection,
    readonly info: InfluxServerInfo,
    options: InfluxStoreOptions,
    private readonly bucket: string,
  ) {
    this.observer = options.observer ?? silentObserver;
    this.org = options.org ?? '';
    const logger = options.logger;
    // The client logs through console by default; route it to our structured log.
    setLogger({
      error: (message, error) => logger.error({ err: error }, message),
      warn: (message, error) => logger.warn({ err: error }, message),
    });
    const maxRetries = options.writeOptions?.maxRetries ?? INFLUX_WRITE_OPTIONS.maxRetries ?? 5;
    this.writeApi = createInfluxWriteApi({
      url: connection.url,
      writeApi: info.writeApi,
      headers: options.token ? {} : connection.headers,
      token: options.token,
      org: options.org ?? '',
      bucket,
      onRequest: () => this.trackRequest(),
      writeOptions: {
        ...options.writeOptions,
        writeSuccess: (lines) => {
          this.queued = Math.max(0, this.queued - lines.length);
          this.lastError = undefined;
          this.observer.pointsWritten(lines.length);
        },
        writeFailed: (error, lines, attempt) => {
          this.lastError = error.message;
          this.observer.error('write', error);
          // Dropped for good when the client will not retry: no longer queued.
          if (!isRetriableWriteError(error) || attempt > maxRetries) {
            this.queued = Math.max(0, this.queued - lines.length);
          }
        },
        writeRetrySkipped: (entry) => {
          this.queued = Math.max(0, this.queued - entry.lines.length);
        },
      },
    });
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    const lines = linesFromPoints(points);
    this.writeApi.writeRecords(lines);
    this.queued += lines.length;
  }

  async writeDurable(points: readonly TelemetryPoint[]): Promise<void> {
    const { body, lines } = lineProtocolBody(points);
    const done = this.trackRequest();
    try {
      await writeBodyNow(
        {
          url: this.connection.url,
          writeApi: this.info.writeApi,
          headers: this.connection.headers,
          org: this.org,
          bucket: this.bucket,
        },
        body,
      );
    } catch (error) {
      this.lastError = (error as Error).message;
      this.observer.error('write', error);
      throw error;
    } finally {
      done();
    }
    this.lastError = undefined;
    this.observer.pointsWritten(lines);
  }

  /** Sends what is buffered and waits for every write request in flight (not for retries). */
  async flush(): Promise<void> {
    try {
      await this.writeApi.flush();
    } catch (error) {
      // Already counted by writeFailed; the retry buffer keeps retriable lines.
      this.lastError = (error as Error).message;
    }
    await Promise.all(this.inFlight);
  }

  private trackRequest(): () => void {
    const started = process.hrtime.bigint();
    let finish!: () => void;
    const request = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.inFlight.add(request);
    return () => {
      this.observer.writeLatency(Number(process.hrtime.bigint() - started) / 1e9);
      this.inFlight.delete(request);
      finish();
    };
  }

  async latest(site: string, station: string): Promise<StoredValue[]> {
    const fields = await this.valueFields();
    const where = `WHERE "site" = ${literal(site)} AND "station" = ${literal(station)}`;
    const statements = fields.map(
      ({ measurement, field }) =>
        `SELECT last(${ident(field)}) AS "value", ${ident(field + QUALITY_SUFFIX)} AS "q" FROM ${ident(measurement)} ${where}${measurement === 'pump' ? ' GROUP BY "pump"' : ''}`,
    );
    if (statements.length === 0) return [];
    const results = await this.query(statements);
    const values: StoredValue[] = [];
    results.forEach((result, i) => {
      const { measurement, field } = fields[i]!;
      for (const series of result.series ?? []) {
        const row = series.values[0];
        if (!row) continue;
        const meaning = meaningOf({ measurement, field, pump: series.tags?.pump } as SeriesLocation);
        if (!meaning || row[1] === null) continue;
        values.push({
          meaning,
          ts: row[0] as number,
          value: row[1] as number | boolean,
          q: row[2] as Quality,
        });
      }
    });
    return values.sort((a, b) => a.meaning.localeCompare(b.meaning));
  }

  async range(query: RangeQuery): Promise<RangeRow[]> {
    const location = locateSeries(query.meaning);
    if (typeof location === 'string') throw new RangeError(location);
    const { measurement, field } = location;
    const where = [
      `"site" = ${literal(query.site)}`,
      `"station" = ${literal(query.station)}`,
      ...(location.pump ? [`"pump" = ${literal(location.pump)}`] : []),
      `time >= ${msTime(query.from)}`,
      `time <= ${msTime(query.to)}`,
    ].join(' AND ');
    const limit = query.limit ?? DEFAULT_RANGE_LIMIT;
    const from = ident(measurement);
    if (query.step === undefined) {
      const [result] = await this.query([
        `SELECT ${ident(field)} AS "value", ${ident(field + QUALITY_SUFFIX)} AS "q" FROM ${from} WHERE ${where} LIMIT ${limit}`,
      ]);
      return rowsOf(result).flatMap((row) =>
        row[1] === null || row[1] === undefined
          ? []
          : [{ ts: row[0] as number, value: row[1] as number | boolean, q: row[2] as Quality }],
      );
    }
    const group = `GROUP BY time(${msTime(query.step)}) fill(none) LIMIT ${limit}`;
    if ((await this.fieldType(measurement, field)) === 'boolean') {
      // InfluxQL cannot average booleans: count the trues against all readings.
      const [all, trues] = await this.query([
        `SELECT count(${ident(field)}) AS "n" FROM ${from} WHERE ${where} ${group}`,
        `SELECT count(${ident(field)}) AS "n" FROM ${from} WHERE ${where} AND ${ident(field)} = true ${group}`,
      ]);
      const trueCounts = new Map(rowsOf(trues).map((row) => [row[0] as number, row[1] as number]));
      return rowsOf(all).map((row) => {
        const n = row[1] as number;
        const t = trueCounts.get(row[0] as number) ?? 0;
        return { ts: row[0] as number, value: t / n, min: t === n ? 1 : 0, max: t > 0 ? 1 : 0 };
      });
    }
    const rollup = this.rawHours !== undefined && readsRollup(query, this.rawHours, Date.now());
    const [result] = await this.query([
      rollup
        ? `SELECT mean(${ident(`mean_${field}`)}) AS "value", min(${ident(`min_${field}`)}) AS "min", max(${ident(`max_${field}`)}) AS "max" FROM ${ident(this.connection.database)}.${ident(ROLLUP_POLICY)}.${from} WHERE ${where} ${group}`
        : `SELECT ${query.aggregate === 'last' ? 'last' : 'mean'}(${ident(field)}) AS "value", min(${ident(field)}) AS "min", max(${ident(field)}) AS "max" FROM ${from} WHERE ${where} ${group}`,
    ]);
    return rowsOf(result).map((row) => ({
      ts: row[0] as number,
      value: row[1] as number,
      min: row[2] as number,
      max: row[3] as number,
    }));
  }

  async readingCounts(site: string, station: string, from: number, to: number, bucketMs: number) {
    const where = `"site" = ${literal(site)} AND "station" = ${literal(station)} AND time >= ${msTime(from)} AND time <= ${msTime(to)}`;
    // Every message writes each polled reading's quality field: per bucket, the most-written
    // quality field counts the messages.
    const results = await this.query(
      MEASUREMENTS.map(
        (m) =>
          `SELECT count(/${QUALITY_SUFFIX}$/) FROM ${ident(m)} WHERE ${where} GROUP BY time(${msTime(bucketMs)}), "pump" fill(none)`,
      ),
    );
    const best = new Map<number, number>();
    for (const result of results) {
      for (const series of result.series ?? []) {
        for (const row of series.values) {
          const counts = row.slice(1).filter((v): v is number => typeof v === 'number');
          const ts = row[0] as number;
          best.set(ts, Math.max(best.get(ts) ?? 0, ...counts));
        }
      }
    }
    return [...best.entries()].sort(([a], [b]) => a - b).map(([ts, count]) => ({ ts, count }));
  }

  async health(): Promise<StoreHealth> {
    const base = {
      kind: this.kind,
      version: this.info.version,
      writePath: this.info.writeApi === 'v1' ? 'v1 /write' : 'v2 /api/v2/write',
      queued: this.queued,
    };
    try {
      const info = await probeInflux(this.connection.url, this.connection.headers, 2000);
      return { ...base, version: info.version, ok: this.lastError === undefined, lastError: this.lastError };
    } catch (error) {
      return { ...base, ok: false, lastError: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    try {
      await this.writeApi.close();
    } catch (error) {
      this.lastError = (error as Error).message;
    }
  }

  private async query(statements: string[]) {
    try {
      return await influxQuery(this.connection, statements);
    } catch (error) {
      this.observer.error('query', error);
      throw error;
    }
  }

  /** Value fields (not quality fields) of our measurements, with their types. */
  private async valueFields(): Promise<Array<{ measurement: string; field: string; type: string }>> {
    const [result] = await this.query([`SHOW FIELD KEYS FROM ${MEASUREMENTS.map(ident).join(', ')}`]);
    return (result?.series ?? []).flatMap((series) =>
      series.values
        .map(([field, type]) => ({ measurement: series.name, field: field as string, type: type as string }))
        .filter(({ field }) => !field.endsWith(QUALITY_SUFFIX)),
    );
  }

  private async fieldType(measurement: string, field: string): Promise<string | undefined> {
    const [result] = await this.query([`SHOW FIELD KEYS FROM ${ident(measurement)}`]);
    const row = result?.series?.[0]?.values.find(([name]) => name === field);
    return row?.[1] as string | undefined;
  }
}

function rowsOf(result: { series?: Array<{ values: unknown[][] }> } | undefined): unknown[][] {
  return result?.series?.[0]?.values ?? [];
}
