import express, { type RequestHandler, Router } from 'express';
import { SERVICE_RECORD_BODY_LIMIT } from '../../core/api/service-record.ts';
import { HttpError } from './errors.ts';

/** What the API takes as a JSON body when a route says nothing else. */
export const DEFAULT_JSON_LIMIT = 16 * 1024;

/**
 * Routes with a JSON limit of their own: the service record carries the customer's signature as a
 * PNG data URL (512 kB, parsed here, ahead of the other routers' own parsers); the fleet import a
 * whole file's text, parsed by its own route only after its admin guard, and sign-in its own smaller
 * one (`own`: left alone here).
 */
const OWN_LIMITS: readonly { method: string; path: RegExp; limit: number | 'own' }[] = [
  { method: 'POST', path: /^\/tickets\/\d+\/service-record\/?$/, limit: SERVICE_RECORD_BODY_LIMIT },
  { method: 'POST', path: /^\/fleet\/import\/?$/, limit: 'own' },
  // Sign-in takes 4 kB, parsed after its rate limiter.
  { method: 'POST', path: /^\/auth\/login\/?$/, limit: 'own' },
];

/**
 * express.json with `limit` bytes, whose refusal of a larger body is a 413 with the code
 * `error.bodyTooLarge` and its figures (body-parser's own error would read as a generic bad request).
 */
export function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      const failure = error as { type?: string; length?: number } | undefined;
      if (failure?.type !== 'entity.too.large') return next(error);
      const bytes = failure.length ?? Number(req.headers['content-length'] ?? 0);
      next(
        new HttpError(
          413,
          `request body of ${bytes} bytes; at most ${limit}`,
          undefined,
          'error.bodyTooLarge',
          {
            bytes,
            max: limit,
          },
        ),
      );
    });
}

/**
 * The API's JSON parser (mount at /api before the routers): 16 kB, except the routes above. A body
 * parsed here is not parsed again by a router's own parser.
 */
export function jsonBodies(): Router {
  const router = Router();
  const parse = jsonBody(DEFAULT_JSON_LIMIT);
  const routes = OWN_LIMITS.map((route) => ({
    ...route,
    parse: route.limit === 'own' ? undefined : jsonBody(route.limit),
  }));
  router.use((req, res, next) => {
    const route = routes.find((r) => r.method === req.method && r.path.test(req.path));
    if (!route) return parse(req, res, next);
    return route.parse ? route.parse(req, res, next) : next();
  });
  return router;
}
