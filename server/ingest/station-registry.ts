/** A registered station: the edge it is assigned to (null: any edge of its site). */
export interface RegisteredStation {
  site: string;
  station: string;
  edgeId: string | null;
}

export type StationJudgement = 'registered' | 'unknown_station' | 'foreign_station';

export interface StationRegistryOptions {
  /** Reads every station that is not retired (the stations table). */
  load(): Promise<RegisteredStation[]>;
  /**
   * `registered-sites` (default): a site with registered stations accepts only those; a site with
   * none (a deployment without master data) accepts any. `strict`: every station must be registered.
   */
  mode?: 'registered-sites' | 'strict';
  /** Least time between two reads of the table, ms. Default 250. */
  minReloadMs?: number;
  clock?: () => number;
}

/**
 * The stations ingest accepts, held as maps for an O(1), allocation-free check per message. A miss
 * reads the table again before refusing, so a station registered a moment ago is not refused; a
 * removal is seen at the next miss or `reload()`.
 */
export class StationRegistry {
  readonly #options: StationRegistryOptions;
  #sites = new Map<string, Map<string, string | null>>();
  #loading: Promise<void> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(options: StationRegistryOptions) {
    this.#options = options;
  }

  /** Reads the stations table now (coalesced with a read under way). */
  reload(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const started = (this.#options.clock ?? Date.now)();
        const sites = new Map<string, Map<string, string | null>>();
        for (const row of await this.#options.load()) {
          let stations = sites.get(row.site);
          if (!stations) {
            stations = new Map();
            sites.set(row.site, stations);
          }
          stations.set(row.station, row.edgeId);
        }
        this.#sites = sites;
        this.#loadedAt = started;
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  /** The judgement from what is held, without reading the table. */
  judgeHeld(site: string, station: string, edge: string): StationJudgement {
    const stations = this.#sites.get(site);
    if (!stations) return this.#options.mode === 'strict' ? 'unknown_station' : 'registered';
    const assigned = stations.get(station);
    if (assigned === undefined) return 'unknown_station';
    return assigned === null || assigned === edge ? 'registered' : 'foreign_station';
  }

  /**
   * Judges a message's station; a refusal is confirmed against a read of the table that started
   * after the message arrived (reads are at least `minReloadMs` apart: a flood of invented stations
   * costs a few reads a second, not one each).
   */
  async judge(site: string, station: string, edge: string): Promise<StationJudgement> {
    const held = this.judgeHeld(site, station, edge);
    if (held === 'registered') return held;
    const clock = this.#options.clock ?? Date.now;
    const asked = clock();
    for (let attempt = 0; attempt < 3 && this.#loadedAt < asked; attempt++) {
      const wait = this.#loadedAt + (this.#options.minReloadMs ?? 250) - clock();
      if (!this.#loading && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        await this.reload();
      } catch {
        break;
      }
    }
    return this.judgeHeld(site, station, edge);
  }
}
