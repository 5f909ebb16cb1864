import { type Request, Router } from 'express';
import { COMPLETENESS_MAX_DAYS, stationCompleteness } from '../../core/api/stations.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { completenessByDay, DAY_MS, localDays } from '../ingest/completeness.ts';
import type { LatestValues } from '../ingest/latest-values.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { type ContractInput, contractRoute } from './contract-route.ts';
import { HttpError } from './errors.ts';
import { STATIONS_MOUNT } from './station-routes.ts';

export interface CompletenessRouteDeps {
  latest: LatestValues;
  store: TelemetryStore;
  /** The poll plan: one telemetry message per this many ms per station (the edges' fast interval). */
  expectedIntervalMs: number;
  /** When live polling began: nothing is expected before it (history stored earlier still counts). */
  pollingSince?: () => number | undefined;
  clock: () => number;
}

/** How far back the station's first reading is looked for; also the most days one may ask. */
const HISTORY_DAYS = COMPLETENESS_MAX_DAYS;
const FIRST_READING_TTL_MS = 10 * 60_000;

/**
 * GET /api/stations/:id/completeness?days=7&tz=Asia/Shanghai: readings stored per day of the zone against readings expected
 * from the poll plan (one per `expectedIntervalMs`; stated in the answer).
 */
export function completenessRoute(deps: CompletenessRouteDeps): Router {
  const router = Router();
  // A station's first reading moves only when older history is stored (a rare import): looking it
  // up scans a year of counts, so it is remembered for a while.
  const firstReadings = new Map<string, { first: number; checkedAt: number }>();
  const serve = async (
    { params: { id }, query }: ContractInput<typeof stationCompleteness>,
    req: Request,
  ) => {
    const scope = siteScope(req);
    const known = deps.latest
      .findById(id)
      .filter((s) => inScope(scope, s.site) && (!query.site || s.site === query.site));
    const asked = query.site && inScope(scope, query.site) ? query.site : undefined;
    const site = query.site ? asked : known.length === 1 ? known[0]!.site : undefined;
    if (!site) {
      throw new HttpError(
        known.length > 1 ? 400 : 404,
        known.length > 1
          ? `station "${id}" exists on several sites; add ?site=`
          : `no station "${id}" has published since the server started; add ?site= to ask the store`,
        undefined,
        known.length > 1 ? undefined : 'error.stationSilent',
        { id },
      );
    }
    const now = deps.clock();
    const key = `${site}/${id}`;
    const cached = firstReadings.get(key);
    let since = cached && now - cached.checkedAt < FIRST_READING_TTL_MS ? cached.first : undefined;
    const window = localDays(now, query.days, query.tz);
    if (since === undefined) {
      // One count per UTC day over the last year finds the day of the station's first reading.
      const yearFrom = (Math.floor(now / DAY_MS) - (HISTORY_DAYS - 1)) * DAY_MS;
      since = await firstReading(
        deps.store,
        site,
        id,
        await deps.store.readingCounts(site, id, yearFrom, now, DAY_MS),
        now,
      );
      if (since !== undefined) firstReadings.set(key, { first: since, checkedAt: now });
    }
    // Local days start at a quarter hour in every time zone; UTC days are whole epoch days.
    const bucketMs = query.tz === 'UTC' ? DAY_MS : 15 * 60_000;
    const counts = await deps.store.readingCounts(site, id, window[0]!.start, now, bucketMs);
    const polling = deps.pollingSince?.();
    const expectedFrom = polling === undefined ? since : Math.max(since ?? polling, polling);
    const days = completenessByDay(counts, {
      days: query.days,
      intervalMs: deps.expectedIntervalMs,
      now,
      ...(expectedFrom === undefined ? {} : { since: expectedFrom }),
      timeZone: query.tz,
    });
    const expected = days.reduce((sum, d) => sum + d.expected, 0);
    const stored = days.reduce((sum, d) => sum + d.stored, 0);
    return {
      site,
      station: id,
      expectedIntervalMs: deps.expectedIntervalMs,
      basis:
        'expected = time covered since expectedFrom (the first reading, or when live polling began if later) / expectedIntervalMs (the configured fast poll interval)',
      expected,
      stored,
      ratio: expected === 0 ? null : Math.min(1, stored / expected),
      timeZone: query.tz,
      firstReading: since ?? null,
      expectedFrom: expectedFrom ?? null,
      days,
    };
  };
  contractRoute(router, stationCompleteness, serve, { mount: STATIONS_MOUNT });
  return router;
}

/**
 * When the station's first stored reading is (within HISTORY_DAYS), to the second: nothing is
 * expected of a station before it first reported. From the first day with readings in `daily`,
 * narrowed in two more bucketed counts (minute, second), each answered by the store's aggregation.
 */
async function firstReading(
  store: TelemetryStore,
  site: string,
  station: string,
  daily: ReadonlyArray<{ ts: number; count: number }>,
  now: number,
): Promise<number | undefined> {
  let first = daily.find((bucket) => bucket.count > 0);
  let width = DAY_MS;
  for (const bucketMs of [60_000, 1000]) {
    if (!first) return undefined;
    const within = await store.readingCounts(
      site,
      station,
      first.ts,
      Math.min(now, first.ts + width),
      bucketMs,
    );
    first = within.find((bucket) => bucket.count > 0);
    width = bucketMs;
  }
  return first?.ts;
}
