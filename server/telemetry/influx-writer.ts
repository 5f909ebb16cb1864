import {
  type CommunicationObserver,
  HttpError,
  InfluxDB,
  type SendOptions,
  type Transport,
  type WriteApi,
  type WriteOptions,
} from '@influxdata/influxdb-client';

/**
 * Write batching for live data. The client's default flushInterval of 60 s would leave the
 * dashboards' history a minute behind; 1 s keeps it at most a second behind while still sending
 * one request per second per server, not one per message. 5000 lines a batch is the client's
 * own advice for InfluxDB. Bodies past 1 kB are gzipped.
 */
export const INFLUX_WRITE_OPTIONS: Partial<WriteOptions> = {
  flushInterval: 1000,
  batchSize: 5000,
  gzipThreshold: 1000,
  maxRetries: 5,
  maxRetryTime: 60_000,
  /** Lines held for retry while InfluxDB is down (about 10 minutes of a 3-station demo). */
  maxBufferLines: 100_000,
  minRetryDelay: 500,
  maxRetryDelay: 15_000,
};

export interface InfluxWriterOptions {
  url: string;
  writeApi: 'v1' | 'v2';
  /** Headers for every request (authorization). */
  headers: Record<string, string>;
  /** v2 token; for 1.8+ in compatibility mode `user:password`. */
  token?: string;
  /** v2 organization; '' for 1.8+. */
  org: string;
  /** Bucket (v2) or database[/retention policy] (v1). */
  bucket: string;
  writeOptions?: Partial<WriteOptions>;
  /** Called as each write request starts; the function it returns is called as it ends. */
  onRequest?: () => () => void;
}

/**
 * A WriteApi with the client's batching, retry buffer and gzip, for either write path. For 1.x
 * before 1.8 the transport turns the client's `/api/v2/write?org=&bucket=db/rp&precision=` into
 * `/write?db=&rp=&precision=`: same body (line protocol), same answer (204).
 */
export function createInfluxWriteApi(options: InfluxWriterOptions): WriteApi {
  const client = new InfluxDB({ url: options.url, token: options.token, headers: options.headers });
  const transport = timedTransport(
    options.writeApi === 'v1' ? v1WriteTransport(client.transport) : client.transport,
    options.onRequest,
  );
  const writer = new InfluxDB({
    url: options.url,
    token: options.token,
    headers: options.headers,
    transport,
  });
  return writer.getWriteApi(options.org, options.bucket, 'ms', {
    ...INFLUX_WRITE_OPTIONS,
    ...options.writeOptions,
  });
}

/** Rewrites a v2 write path to the 1.x one; pure, for tests. */
export function v1WritePath(v2Path: string): string {
  const url = new URL(v2Path, 'http://x');
  if (url.pathname !== '/api/v2/write') return v2Path;
  const [db = '', rp] = (url.searchParams.get('bucket') ?? '').split('/');
  const params = new URLSearchParams({ db });
  if (rp) params.set('rp', rp);
  params.set('precision', url.searchParams.get('precision') ?? 'ns');
  const consistency = url.searchParams.get('consistency');
  if (consistency) params.set('consistency', consistency);
  return `/write?${params}`;
}

function v1WriteTransport(inner: Transport): Transport {
  return delegate(inner, (path) => v1WritePath(path));
}

function timedTransport(inner: Transport, onRequest?: () => () => void): Transport {
  if (!onRequest) return inner;
  return {
    ...delegate(inner, (path) => path),
    send(path, body, sendOptions, callbacks) {
      const done = onRequest();
      inner.send(path, body, sendOptions, {
        ...callbacks,
        error(error: Error) {
          done();
          callbacks?.error?.(error);
        },
        complete() {
          done();
          callbacks?.complete?.();
        },
      });
    },
  };
}

function delegate(inner: Transport, mapPath: (path: string) => string): Transport {
  return {
    send(
      path: string,
      body: string,
      sendOptions: SendOptions,
      callbacks?: Partial<CommunicationObserver<Uint8Array>>,
    ) {
      inner.send(mapPath(path), body, sendOptions, callbacks);
    },
    request: (path, body, sendOptions, responseStarted) =>
      inner.request(mapPath(path), body, sendOptions, responseStarted),
    iterate: (path, body, sendOptions) => inner.iterate(mapPath(path), body, sendOptions),
    get chunkCombiner() {
      return inner.chunkCombiner;
    },
  };
}

/** Whether the client will retry this write error (the same rule as its WriteApiImpl). */
export function isRetriableWriteError(error: unknown): boolean {
  return !(error instanceof HttpError) || error.statusCode >= 429;
}
