import type { Request } from 'express';
import { Router } from 'express';
import { getStation, listStations, stationHistory, stationHistoryCsv } from '../../core/api/stations.ts';
import { columnHeader, historyCsv } from '../../core/csv/history-csv.ts';
import { inScope, type SiteScope, siteScope } from '../auth/site-scope.ts';
import type { EdgeRegistry } from '../ingest/edge-registry.ts';
import type { LatestValues, StationLatest } from '../ingest/latest-values.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { ANSWERED, contractRoute } from './contract-route.ts';
import { badRequest, HttpError } from './errors.ts';
import { historyQuerySchema } from './history-query.ts';

export interface StationRoutesDeps {
  latest: LatestValues;
  store: TelemetryStore;
  edges: EdgeRegistry;
  clock: () => number;
}

/** Mounted at /api/stations. */
export const STATIONS_MOUNT = '/api/stations';
/** Columns one CSV may hold: each is a query of the store. */
const MAX_CSV_TAGS = 12;

export function stationRoutes(deps: StationRoutesDeps): Router {
  const router = Router();
  const { latest, store, clock } = deps;
  const mount = { mount: STATIONS_MOUNT };

  contractRoute(
    router,
    listStations,
    (_input, req) => {
      const now = clock();
      const scope = siteScope(req);
      return latest
        .list()
        .filter((s) => inScope(scope, s.site))
        .map((s) => ({
          site: s.site,
          station: s.station,
          edge: s.edge,
          model: s.model,
          state: s.state,
          ts: s.ts,
          ageMs: Math.max(0, now - s.ts),
          values: Object.keys(s.values).length,
        }));
    },
    mount,
  );

  contractRoute(
    router,
    getStation,
    ({ params: { id }, query: { site } }, req) => {
      const station = findStation(latest, id, site, siteScope(req));
      if (!station)
        throw new HttpError(
          404,
          `no station "${id}" has published since the server started`,
          undefined,
          'error.stationSilent',
          { id },
        );
      return latest.view(station, clock());
    },
    mount,
  );

  /** An enumeration's buckets hold its last code (its station's profile says, else any profile). */
  const aggregateOf = (site: string, station: string, meaning: string): 'mean' | 'last' => {
    const { profiles } = latest;
    const model = latest.get(site, station)?.model;
    const models = model && profiles.profile(model) ? [model] : profiles.models();
    return models.some((m) => profiles.reading(m, meaning)?.enum) ? 'last' : 'mean';
  };

  /** The parsed query, the station's site and each tag's points, for both answers of the history. */
  const readHistory = async (id: string, req: Request, tags: string[]) => {
    const scope = siteScope(req);
    // The contract checks the wire shape; the tag's meaning, the times and the bucket count here.
    const queries = tags.map((tag) => {
      const parsed = historyQuerySchema.safeParse({ ...req.query, tag });
      if (!parsed.success) throw badRequest(parsed.error, 'history query');
      return parsed.data;
    });
    const query = queries[0]!;
    const site = query.site ?? findStation(latest, id, undefined, scope)?.site;
    if (!site || !inScope(scope, site)) {
      throw new HttpError(
        404,
        `station "${id}" has not published since the server started: pass ?site= to read its history`,
        undefined,
        'error.stationSilent',
        { id },
      );
    }
    const series = await Promise.all(
      queries.map((q) =>
        store.range({
          site,
          station: id,
          meaning: q.tag,
          from: q.from,
          to: q.to,
          step: q.step,
          aggregate: aggregateOf(site, id, q.tag),
        }),
      ),
    );
    return { site, query, tags: queries.map((q) => q.tag), series };
  };

  contractRoute(
    router,
    stationHistory,
    async ({ params: { id }, query: { tag } }, req) => {
      const { site, query, series } = await readHistory(id, req, [tag]);
      return {
        site,
        station: id,
        tag: query.tag,
        from: query.from,
        to: query.to,
        step: query.step,
        points: series[0] ?? [],
      };
    },
    mount,
  );

  // A spreadsheet's view of the same query; `tag` may name several meanings, comma-separated.
  contractRoute(
    router,
    stationHistoryCsv,
    async ({ params: { id }, query: { tag } }, req, res): Promise<typeof ANSWERED> => {
      const tags = tag.split(',').map((t) => t.trim());
      if (tags.length > MAX_CSV_TAGS) throw new HttpError(400, `at most ${MAX_CSV_TAGS} tags in one CSV`);
      const { site, tags: names, series } = await readHistory(id, req, tags);
      const held = latest.get(site, id);
      const units = held ? latest.view(held, clock()).values : {};
      const csv = historyCsv(
        'time (UTC)',
        names.map((name, i) => ({ header: columnHeader(name, units[name]?.unit), points: series[i]! })),
        (ms) => new Date(ms).toISOString(),
      );
      res.type('text/csv; charset=utf-8').attachment(`${id}-history.csv`).send(csv);
      return ANSWERED;
    },
    mount,
  );

  return router;
}

/** A station of the user's sites: one of another site is as unknown as one that never published. */
function findStation(
  latest: LatestValues,
  id: string,
  site: string | undefined,
  scope: SiteScope,
): StationLatest | undefined {
  if (site) return inScope(scope, site) ? latest.get(site, id) : undefined;
  const found = latest.findById(id).filter((s) => inScope(scope, s.site));
  if (found.length > 1) {
    throw new HttpError(
      409,
      `station "${id}" exists in sites ${found.map((s) => s.site).join(', ')}: pass ?site=`,
    );
  }
  return found[0];
}
