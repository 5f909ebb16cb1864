import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { ApiContract } from '../../core/api/contract.ts';
import { health, metrics, openApi } from '../../core/api/system.ts';
import type { Logger } from '../../core/log.ts';
import type { EdgeRegistry } from '../ingest/edge-registry.ts';
import type { LatestValues } from '../ingest/latest-values.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { completenessRoute } from './completeness-route.ts';
import { contractRoute, contractsOf } from './contract-route.ts';
import { errorHandler, HttpError } from './errors.ts';
import { jsonBodies } from './json-bodies.ts';
import { renderMetrics, type ServerMetrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { STATIONS_MOUNT, stationRoutes } from './station-routes.ts';

export interface ApiAppDeps {
  latest: LatestValues;
  edges: EdgeRegistry;
  store: TelemetryStore;
  metrics: ServerMetrics;
  broker: { url: string; connected: () => boolean };
  logger: Logger;
  /**
   * Runs first on every /api request and on /metrics (sets req.user from a bearer token). Without
   * it no request has a user, so every route but health and sign-in answers 401.
   */
  authenticate?: RequestHandler;
  /** A static bearer token that may read /metrics besides signed-in engineers and admins. */
  metricsToken?: string;
  /** Served over HTTPS by this process: browsers are told to keep to it (HSTS). Default false. */
  https?: boolean;
  /** More routers mounted at /api (sign-in, alarms and tickets), before the 404 fallback. */
  routers?: Router[];
  /** Served at / when given (the dashboards). */
  staticDir?: string;
  version: string;
  clock?: () => number;
  /** The poll plan completeness is measured against: one reading per this many ms. Default 1000. */
  expectedIntervalMs?: number;
  /** When live polling began (history stored before it is not held to the poll plan). Default none. */
  pollingSince?: () => number | undefined;
  /** Largest request body of any route, bytes (routes may allow less). Default 1 MiB. */
  maxBodyBytes?: number;
}

export function createApiApp(deps: ApiAppDeps): Express {
  const clock = deps.clock ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  // Over plain HTTP (a LAN, or behind a TLS proxy) no HSTS and no upgrade of requests; over the
  // server's own HTTPS, helmet's defaults.
  app.use(
    deps.https
      ? helmet()
      : helmet({
          strictTransportSecurity: false,
          contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
        }),
  );
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;
  app.use((req, _res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > maxBodyBytes)
      return next(
        new HttpError(
          413,
          `request body of ${length} bytes; at most ${maxBodyBytes}`,
          undefined,
          'error.bodyTooLarge',
          {
            bytes: length,
            max: maxBodyBytes,
          },
        ),
      );
    next();
  });
  const root = { mount: '' };

  contractRoute(
    app,
    health,
    async () => {
      const store = await deps.store.health();
      const broker = { url: deps.broker.url, connected: deps.broker.connected() };
      return {
        status: broker.connected && store.ok ? 'ok' : 'degraded',
        broker,
        store,
        edges: deps.edges.list(clock()),
      } as const;
    },
    root,
  );
  // Sign-in is among the routers: it checks its own credentials and needs no user.
  if (deps.authenticate) app.use('/api', deps.authenticate);
  app.use('/api', jsonBodies());
  // Built on first request, when every router has registered its routes.
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  contractRoute(
    app,
    openApi,
    () => {
      document ??= buildOpenApiDocument(deps.version, registered());
      return document;
    },
    root,
  );
  const stationRouters = [
    completenessRoute({
      latest: deps.latest,
      store: deps.store,
      expectedIntervalMs: deps.expectedIntervalMs ?? 1000,
      ...(deps.pollingSince ? { pollingSince: deps.pollingSince } : {}),
      clock,
    }),
    stationRoutes({ latest: deps.latest, store: deps.store, edges: deps.edges, clock }),
  ];
  app.use(STATIONS_MOUNT, ...stationRouters);
  for (const router of deps.routers ?? []) app.use('/api', router);
  app.use('/api', (req, _res, next) =>
    next(
      new HttpError(404, `no API route ${req.method} ${req.originalUrl}`, undefined, 'error.noRoute', {
        method: req.method,
        path: req.originalUrl,
      }),
    ),
  );

  contractRoute(
    app,
    { ...metrics, contentType: deps.metrics.registry.contentType },
    () => renderMetrics(deps.metrics, deps.store),
    { ...root, beforeGuard: [metricsTokenOr(deps.metricsToken, deps.authenticate)] },
  );
  const registered = (): ApiContract[] => [
    ...contractsOf(app),
    ...stationRouters.flatMap((router) => contractsOf(router)),
    ...(deps.routers ?? []).flatMap((router) => contractsOf(router)),
  ];
  if (deps.staticDir) app.use(express.static(deps.staticDir));
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * /metrics for Prometheus: its static token passes at once; anything else goes through the normal
 * bearer authentication, and the role guard after this decides.
 */
function metricsTokenOr(token: string | undefined, authenticate: RequestHandler | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return (req, res, next) => {
    const presented = Buffer.from(req.headers.authorization ?? '');
    if (expected && presented.length === expected.length && timingSafeEqual(presented, expected)) {
      (req as typeof req & { user?: unknown }).user = { username: 'metrics-scraper', role: 'engineer' };
      return next();
    }
    if (authenticate) return authenticate(req, res, next);
    next();
  };
}
