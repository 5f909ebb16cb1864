import type { ErrorRequestHandler, Response } from 'express';
import { ZodError, type z } from 'zod';
import { precise } from '../../core/api/zod-issues.ts';
import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';
import type { Logger } from '../../core/log.ts';
import { RefusedError } from '../db/errors.ts';

/**
 * A client error with its HTTP status: the message is the English sentence for the caller, and
 * `code` with `params` (core/i18n) let a reader render it in their own language.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The fields at fault; `code` and `params` (core/i18n) when the server can say it in any language. */
    readonly issues?: Array<{ path: string; message: string; code?: MessageCode; params?: MessageParams }>,
    readonly code?: MessageCode,
    readonly params: MessageParams = {},
  ) {
    super(message);
  }
}

export function badRequest(error: z.ZodError, what: string): HttpError {
  const issues = precise(error.issues).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new HttpError(400, `invalid ${what}: ${summary}`, issues, 'error.invalidRequest', {
    detail: summary,
  });
}

/** The error answer: `{ error, code?, params?, issues? }`; `error` stays the English sentence. */
export function sendError(res: Response, error: HttpError): void {
  res.status(error.status).json({
    error: error.message,
    ...(error.code ? { code: error.code, params: error.params } : {}),
    ...(error.issues ? { issues: error.issues } : {}),
  });
}

/**
 * The API's one error handler: an HttpError or a store's refusal with its status, invalid input
 * (a ZodError thrown by a route's parse) 400 with the fields, body-parser's client errors with
 * theirs; anything else 500, logged, without internals in the answer.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpError) return sendError(res, error);
    if (error instanceof RefusedError) {
      return sendError(res, new HttpError(error.status, error.message, undefined, error.code, error.params));
    }
    if (error instanceof ZodError) return sendError(res, badRequest(error, 'request'));
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = (error as Error).message;
      return sendError(
        res,
        new HttpError(status, `invalid request body: ${detail}`, undefined, 'error.invalidRequest', {
          detail,
        }),
      );
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendError(res, new HttpError(500, 'internal error; see the server log', undefined, 'error.internal'));
  };
}
