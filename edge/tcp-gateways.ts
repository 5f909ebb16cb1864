import type { Logger } from '../core/log.ts';
import type { EdgeConfig, EffectiveStationSettings } from './config.ts';
import { TcpLink } from './tcp-link.ts';

/**
 * The connections stations share (`tcp.shareConnection`): one TcpLink per host and port, opened on
 * the first station's request. Its window of requests on the wire is the sum of its stations'
 * `maxConcurrentRequests`, so sharing takes no station's window from another; config validation
 * keeps their timing equal.
 */
export class TcpGateways {
  readonly #links = new Map<string, TcpLink>();
  readonly #windows = new Map<string, number>();
  readonly #logger: Logger;

  constructor(config: EdgeConfig, logger: Logger) {
    this.#logger = logger;
    for (const station of config.stations) {
      if (!station.tcp?.shareConnection) continue;
      const key = `${station.tcp.host}:${station.tcp.port}`;
      this.#windows.set(key, (this.#windows.get(key) ?? 0) + station.tcp.maxConcurrentRequests);
    }
  }

  linkFor(host: string, port: number, settings: EffectiveStationSettings): TcpLink {
    const key = `${host}:${port}`;
    let link = this.#links.get(key);
    if (!link) {
      link = new TcpLink({
        host,
        port,
        timeoutMs: settings.timeoutMs,
        backoffMs: settings.backoffMs,
        maxBackoffMs: settings.maxBackoffMs,
        maxConcurrent: this.#windows.get(key) ?? 1,
        logger: this.#logger.child({ gateway: key }),
      });
      this.#links.set(key, link);
    }
    return link;
  }

  /** Shared connections stay open while one station uses them, so the edge closes them once its stations are done. */
  async close(): Promise<void> {
    await Promise.all([...this.#links.values()].map((link) => link.close()));
  }
}
