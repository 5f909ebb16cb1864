import express, { Router } from 'express';
import { getAcceptance, putAcceptance } from '../../core/api/acceptance.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actor } from '../auth/roles.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { dayOf } from '../maintenance/schedule.ts';
import { acceptanceView, decideAcceptance } from './acceptance-decision.ts';
import type { AcceptanceStore } from './acceptance-store.ts';

export interface AcceptanceRouteDeps {
  store: AcceptanceStore;
  audit: AuditLog;
  clock: () => number;
  /** Called after a record changed a station's dates (to ticket the follow-up visits now due). */
  accepted?: () => void;
}

/** GET and PUT /api/assets/stations/:site/:station/acceptance (signed-in read, service and admin write). */
export function acceptanceRoutes(deps: AcceptanceRouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));
  const { store } = deps;

  const stationOf = async (site: string, station: string, req: express.Request) => {
    const found = inScope(siteScope(req), site) ? await store.station(site, station) : undefined;
    if (!found)
      throw new RefusedError(`no station ${site}/${station}`, 404, 'error.noStation', {
        id: `${site}/${station}`,
      });
    return found;
  };

  contractRoute(router, getAcceptance, async ({ params: { site, station } }, req) => {
    const found = await stationOf(site, station, req);
    return acceptanceView(found, await store.get(site, station));
  });

  contractRoute(router, putAcceptance, async ({ params: { site, station }, body }, req) => {
    const found = await stationOf(site, station, req);
    const now = deps.clock();
    const decision = decideAcceptance(found, await store.get(site, station), body, dayOf(now));
    if (decision.kind === 'refused') {
      await deps.audit.record(actor(req), {
        action: 'station.acceptance',
        target: `station/${site}/${station}`,
        result: 'refused',
        detail: { ...body, issues: decision.issues.map((i) => i.path) },
      });
      const first = decision.issues[0]!;
      throw new HttpError(
        400,
        decision.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        decision.issues.map((i) => ({
          path: i.path,
          message: i.message,
          code: i.code,
          params: i.params,
        })),
        first.code,
        first.params,
      );
    }
    await store.record({
      site,
      station,
      body,
      passed: decision.passed,
      by: actor(req),
      at: now,
      dates: decision.dates,
    });
    if (decision.dates) deps.accepted?.();
    return acceptanceView((await store.station(site, station))!, await store.get(site, station));
  });

  return router;
}
