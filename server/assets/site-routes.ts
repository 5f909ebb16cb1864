import type { Router } from 'express';
import { createSite, listFleetSites, retireSite, updateSite } from '../../core/api/fleet.ts';
import { createRefusal, retireRefusal, siteRefusals, updateRefusal } from '../../core/fleet/fleet-rules.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { audited, refuseFirst, smallJson } from './fleet-refusal.ts';

/** GET/POST /api/sites, PUT/DELETE /api/sites/:id. */
export function siteRoutes(router: Router, context: RouteContext): void {
  const { fleet } = context;
  const one = async (id: string) => (await fleet.sites(true)).find((row) => row.id === id)!;

  contractRoute(router, listFleetSites, async ({ query }, req) => {
    const scope = siteScope(req);
    const sites = await fleet.sites(query.retired === 'true', query.customer);
    return { sites: sites.filter((site) => inScope(scope, site.id)) };
  });

  contractRoute(
    router,
    createSite,
    async ({ body }, req) => {
      const snapshot = await fleet.snapshot();
      refuseFirst([createRefusal(snapshot, 'site', body.id), ...siteRefusals(snapshot, body)]);
      await fleet.saveSite(body);
      await audited(context, req, 'site.create', `site/${body.id}`, body);
      return { site: await one(body.id) };
    },
    { beforeParse: smallJson },
  );

  contractRoute(
    router,
    updateSite,
    async ({ params: { id }, body }, req) => {
      const snapshot = await fleet.snapshot();
      refuseFirst([updateRefusal(snapshot, 'site', id), ...siteRefusals(snapshot, body)]);
      await fleet.saveSite({ ...body, id });
      await audited(context, req, 'site.update', `site/${id}`, body);
      return { site: await one(id) };
    },
    { beforeParse: smallJson },
  );

  contractRoute(router, retireSite, async ({ params: { id } }, req) => {
    refuseFirst([retireRefusal(await fleet.snapshot(), 'site', id)]);
    await fleet.retire('site', id);
    await audited(context, req, 'site.retire', `site/${id}`);
    return undefined;
  });
}
