import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../../../core/log.ts';
import { RefusedError } from '../db/errors.ts';
import { alarmRoutes } from './alarm-routes.ts';
import { assetRoutes } from './asset-routes.ts';
import type { RouteContext } from './context.ts';
import { ticketRoutes } from './ticket-routes.ts';

/** The service API (mount at /api): alarms, tickets, assets, contracts and reports. */
export function serviceRouter(context: RouteContext, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  router.use(alarmRoutes(context));
  router.use(ticketRoutes(context));
  router.use(assetRoutes(context));
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const summary = issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
      res.status(400).json({ error: `invalid request: ${summary}`, issues });
      return;
    }
    if (error instanceof RefusedError) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    const status = (error as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's errors: malformed JSON, too large, wrong charset.
      res.status(status).json({ error: `invalid request body: ${(error as Error).message}` });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'service API request failed');
    res.status(500).json({ error: 'internal error; the server log has the details' });
  });
  return router;
}
