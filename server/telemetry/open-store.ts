import { join } from 'node:path';
import type { Logger } from '../../core/log.ts';
import { SERVER_DEFAULTS } from '../options.ts';
import type { TelemetryRetentionOptions } from './influx-retention.ts';
import { openInfluxStore } from './influx-store.ts';
import { openPgliteStore } from './pglite-store.ts';
import type { StoreObserver, TelemetryStore } from './telemetry-store.ts';

export interface InfluxOptions {
  url: string;
  token?: string;
  org?: string;
  /** Bucket (2.x/3.x) or database (1.x). Default 'aftercare'. */
  bucket?: string;
  username?: string;
  password?: string;
  /** 1.x: how long raw points are kept (`rawHours`); hourly roll-ups are kept for ever. */
  retention?: TelemetryRetentionOptions;
}

export interface OpenStoreOptions {
  /** InfluxDB when given; otherwise the embedded PGlite store. */
  influx?: InfluxOptions;
  /** PGlite lives in `<dataDir>/telemetry`. Default './data'. `:memory:` keeps it in memory. */
  dataDir?: string;
  logger: Logger;
  observer?: StoreObserver;
  /** Embedded store only: raw points kept this many hours, hourly roll-ups for ever. */
  rawHours?: number;
}

export async function openTelemetryStore(options: OpenStoreOptions): Promise<TelemetryStore> {
  if (options.influx) {
    return await openInfluxStore({ ...options.influx, logger: options.logger, observer: options.observer });
  }
  const dataDir = options.dataDir ?? SERVER_DEFAULTS.dataDir;
  const dir = dataDir === ':memory:' ? undefined : join(dataDir, 'telemetry');
  return await openPgliteStore({
    dir,
    observer: options.observer,
    ...(options.rawHours ? { retention: { rawHours: options.rawHours } } : {}),
  });
}
