import express, { Router } from 'express';
import { exportFleet, importFleet } from '../../core/api/fleet.ts';
import { writeFleetCsv } from '../../core/fleet/fleet-csv.ts';
import { writeFleetYaml } from '../../core/fleet/fleet-yaml.ts';
import { actor } from '../auth/roles.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { contractRoutes } from './contract-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { importFleetFile } from './fleet-import.ts';
import { siteRoutes } from './site-routes.ts';

/** The fleet's master data: customers, sites, contracts, and the bulk import and export. */
export function fleetRoutes(context: RouteContext): Router {
  const router = Router();
  customerRoutes(router, context);
  siteRoutes(router, context);
  contractRoutes(router, context);

  contractRoute(
    router,
    importFleet,
    async ({ body }, req) =>
      await importFleetFile(context.fleet, body, async (result, tx) => {
        if (result.dryRun) return;
        await context.audit.record(
          actor(req),
          {
            action: 'fleet.import',
            target: `file/${body.file}`,
            result: result.applied ? 'ok' : 'refused',
            detail: { created: result.created, updated: result.updated, issues: result.issues.length },
          },
          tx,
        );
      }),
    // The file's text travels in the JSON body: up to 8 MB of it (the contract's limit).
    { beforeParse: [express.json({ limit: '9mb' })] },
  );

  contractRoute(router, exportFleet, async ({ query }) => {
    const data = await context.fleet.exportData();
    return query.format === 'csv'
      ? writeFleetCsv(data, query.kind ?? 'stations')
      : writeFleetYaml(data, query.kind);
  });
  return router;
}
