import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Logger } from '../../../core/log.ts';
import { alarmRoutes } from './alarm-routes.ts';
import { assetRoutes } from './asset-routes.ts';
import type { RouteContext } from './context.ts';
import { serviceErrorAnswers } from './error-answers.ts';
import { ticketRoutes } from './ticket-routes.ts';

/** The service API (mount at /api): alarms, tickets, assets, contracts and reports. */
export function serviceRouter(context: RouteContext, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  router.use(alarmRoutes(context));
  router.use(ticketRoutes(context));
  router.use(assetRoutes(context));
  router.use(serviceErrorAnswers());
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'service API request failed');
    res.status(500).json({ error: 'internal error; the server log has the details' });
  });
  return router;
}
