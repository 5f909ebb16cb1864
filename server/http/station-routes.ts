import { type RequestHandler, Router } from 'express';
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

export function stationRoutes(deps: StationRoutesDeps): Router {
  const router = Router();
  const { latest, store, clock } = deps;

  router.get('/', (_req, res) => {
    const now = clock();
    res.json(
      latest.list().map((s) => ({
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
    const station = findStation(latest, req.params.id, siteParam(req.query.site));
    if (!station)
      throw new HttpError(
        404,
        `no station "${req.params.id}" has published since the server started`,
        undefined,
        'error.stationSilent',
        { id: req.params.id },
      );
    res.json(latest.view(station, clock()));
  });

  const history: RequestHandler<{ id: string }> = async (req, res) => {
    const id = checkId(req.params.id);
    const parsed = historyQuerySchema.safeParse(req.query);
    if (!parsed.success) throw badRequest(parsed.error, 'history query');
    const query = parsed.data;
    const site = query.site ?? findStation(latest, id, undefined)?.site;
    if (!site) {
      throw new HttpError(
        404,
        `station "${id}" has not published since the server started: pass ?site= to read its history`,
        undefined,
        'error.stationSilent',
        { id },
      );
    }
    const points = await store.range({
      site,
      station: id,
      meaning: query.tag,
      from: query.from,
      to: query.to,
      step: query.step,
    });
    res.json({ site, station: id, tag: query.tag, from: query.from, to: query.to, step: query.step, points });
  };
  router.get('/:id/history', history);

  return router;
}

function siteParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ID.test(value))
    throw new HttpError(400, 'site must be an id of 1-64 letters, digits, _ or -', undefined, 'error.badId', {
      id: String(value),
    });
  return value;
}

function checkId(id: string): string {
  if (!ID.test(id))
    throw new HttpError(
      400,
      `station id "${id}" is not 1-64 letters, digits, _ or -`,
      undefined,
      'error.badId',
      {
        id,
      },
    );
  return id;
}

function findStation(latest: LatestValues, id: string, site: string | undefined): StationLatest | undefined {
  checkId(id);
  if (site) return latest.get(site, id);
  const found = latest.findById(id);
  if (found.length > 1) {
    throw new HttpError(
      409,
      `station "${id}" exists in sites ${found.map((s) => s.site).join(', ')}: pass ?site=`,
    );
  }
  return found[0];
}
