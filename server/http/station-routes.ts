import { type RequestHandler, Router } from 'express';
import { columnHeader, historyCsv } from '../../core/csv/history-csv.ts';
import { inScope, type SiteScope, siteScope } from '../auth/site-scope.ts';
import type { EdgeRegistry } from '../ingest/edge-registry.ts';
import type { LatestValues, StationLatest } from '../ingest/latest-values.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { badRequest, HttpError } from './errors.ts';
import { historyQuerySchema } from './history-query.ts';

export interface StationRoutesDeps {
  latest: LatestValues;
  store: TelemetryStore;
  edges: EdgeRegistry;
  clock: () => number;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Columns one CSV may hold: each is a query of the store. */
const MAX_CSV_TAGS = 12;

export function stationRoutes(deps: StationRoutesDeps): Router {
  const router = Router();
  const { latest, store, clock } = deps;

  router.get('/', (req, res) => {
    const now = clock();
    const scope = siteScope(req);
    res.json(
      latest
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
        })),
    );
  });

  router.get('/:id', (req, res) => {
    const station = findStation(latest, req.params.id, siteParam(req.query.site), siteScope(req));
    if (!station)
      throw new HttpError(404, `no station "${req.params.id}" has published since the server started`);
    res.json(latest.view(station, clock()));
  });

  /** The parsed query, the station's site and each tag's points, for both answers of the history. */
  const readHistory = async (
    params: { id: string },
    scope: SiteScope,
    rawQuery: Record<string, unknown>,
    tags: (string | undefined)[],
  ) => {
    const id = checkId(params.id);
    const queries = tags.map((tag) => {
      const parsed = historyQuerySchema.safeParse({ ...rawQuery, tag });
      if (!parsed.success) throw badRequest(parsed.error, 'history query');
      return parsed.data;
    });
    const query = queries[0]!;
    const site = query.site ?? findStation(latest, id, undefined, scope)?.site;
    if (!site || !inScope(scope, site)) {
      throw new HttpError(
        404,
        `station "${id}" has not published since the server started: pass ?site= to read its history`,
      );
    }
    const series = await Promise.all(
      queries.map((q) =>
        store.range({ site, station: id, meaning: q.tag, from: q.from, to: q.to, step: q.step }),
      ),
    );
    return { id, site, query, tags: queries.map((q) => q.tag), series };
  };

  const history: RequestHandler<{ id: string }> = async (req, res) => {
    const { id, site, query, series } = await readHistory(req.params, siteScope(req), req.query, [
      tagText(req.query.tag),
    ]);
    res.json({
      site,
      station: id,
      tag: query.tag,
      from: query.from,
      to: query.to,
      step: query.step,
      points: series[0],
    });
  };

  // A spreadsheet's view of the same query; `tag` may name several meanings, comma-separated.
  const historyCsvRoute: RequestHandler<{ id: string }> = async (req, res) => {
    const given = tagText(req.query.tag);
    const tags = given === undefined ? [undefined] : given.split(',').map((tag) => tag.trim());
    if (tags.length > MAX_CSV_TAGS) throw new HttpError(400, `at most ${MAX_CSV_TAGS} tags in one CSV`);
    const { id, site, tags: names, series } = await readHistory(req.params, siteScope(req), req.query, tags);
    const held = latest.get(site, id);
    const units = held ? latest.view(held, clock()).values : {};
    const csv = historyCsv(
      'time (UTC)',
      names.map((tag, i) => ({ header: columnHeader(tag, units[tag]?.unit), points: series[i]! })),
      (ms) => new Date(ms).toISOString(),
    );
    res.type('text/csv; charset=utf-8').attachment(`${id}-history.csv`).send(csv);
  };
  router.get('/:id/history', history);
  router.get('/:id/history.csv', historyCsvRoute);

  return router;
}

/** `tag` as given (undefined is left to the schema's message); a repeated ?tag= is refused. */
function tagText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new HttpError(400, 'tag must be given once (comma-separate several in a CSV)');
  return value;
}

function siteParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ID.test(value))
    throw new HttpError(400, 'site must be an id of 1-64 letters, digits, _ or -');
  return value;
}

function checkId(id: string): string {
  if (!ID.test(id)) throw new HttpError(400, `station id "${id}" is not 1-64 letters, digits, _ or -`);
  return id;
}

/** A station of the user's sites: one of another site is as unknown as one that never published. */
function findStation(
  latest: LatestValues,
  id: string,
  site: string | undefined,
  scope: SiteScope,
): StationLatest | undefined {
  checkId(id);
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
