import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { RefusedError } from '../db/errors.ts';

/**
 * The service API's error answers for routers mounted beside it: invalid input 400 with the fields,
 * refusals with their status, anything else passed on (the app logs it and answers 500).
 */
export function serviceErrorAnswers(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
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
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: `invalid request body: ${(error as Error).message}` });
      return;
    }
    next(error);
  };
}
