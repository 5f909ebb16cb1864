import { Router } from 'express';
import type { RouteContext } from '../http/route-context.ts';
import { contractRoutes } from './contract-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { siteRoutes } from './site-routes.ts';

/** The fleet's master data: customers, sites, contracts, and the bulk import and export. */
export function fleetRoutes(context: RouteContext): Router {
  const router = Router();
  customerRoutes(router, context);
  siteRoutes(router, context);
  contractRoutes(router, context);
  return router;
}
