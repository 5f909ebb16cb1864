import { Router } from 'express';
import { getStation, listStations, stationHistory } from '../../core/api/stations.ts';
import type { EdgeRegistry } from '../ingest/edge-registry.ts';
import type { LatestValues, StationLatest } from '../ingest/latest-values.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { contractRoute } from './contract-route.ts';
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

export function stationRoutes(deps: StationRoutesDeps): Router {
  const router = Router();
  const { latest, store, clock } = deps;
  const mount = { mount: STATIONS_MOUNT };

  contractRoute(
    router,
    listStations,
    () => {
      const now = clock();
      return latest.list().map((s) => ({
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
    ({ params: { id }, query: { site } }) => {
      const station = findStation(latest, id, site);
      if (!station) throw new HttpError(404, `no station "${id}" has published since the server started`);
      return latest.view(station, clock());
    },
    mount,
  );

  contractRoute(
    router,
    stationHistory,
    async ({ params: { id } }, req) => {
      // The contract checks the wire shape; the tag's meaning, the times and the bucket count here.
      const parsed = historyQuerySchema.safeParse(req.query);
      if (!parsed.success) throw badRequest(parsed.error, 'history query');
      const query = parsed.data;
      const site = query.site ?? findStation(latest, id, undefined)?.site;
      if (!site) {
        throw new HttpError(
          404,
          `station "${id}" has not published since the server started: pass ?site= to read its history`,
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
      return { site, station: id, tag: query.tag, from: query.from, to: query.to, step: query.step, points };
    },
    mount,
  );

  return router;
}

function findStation(latest: LatestValues, id: string, site: string | undefined): StationLatest | undefined {
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
