import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../../core/log.ts';

/** A client error with its HTTP status: the message is for the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export function badRequest(error: z.ZodError, what: string): HttpError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new HttpError(400, `invalid ${what}: ${summary}`, issues);
}

export function sendError(res: Response, error: HttpError): void {
  res.status(error.status).json({ error: error.message, ...(error.issues ? { issues: error.issues } : {}) });
}

/** Client errors as 4xx JSON; anything else 500, logged, without internals in the answer. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) return sendError(res, error);
    // body-parser and friends mark client errors with a status
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, new HttpError(status, (error as Error).message));
    }
    logger.error({ err: error, path: req.path }, 'request failed');
    sendError(res, new HttpError(500, 'internal error; see the server log'));
  };
}
