import { Router } from 'express';
import { system } from '../../core/api/system.ts';
import { contractRoute } from './contract-route.ts';
import type { ServerMetrics } from './metrics.ts';

export interface SystemRoutesOptions {
  metrics: ServerMetrics;
  /** The embedded broker's counters, when the server runs beside one (the demo). */
  brokerStats?: () => object;
  /** The embedded edge agent's counters, when there is one (the demo). */
  edgeStats?: () => object;
}

/** Process-level metric families that /metrics has and the dashboards do not need. */
const DEFAULT_METRIC = /^aftercare_(process|nodejs)_/;

/**
 * GET /system: the server's own counters (messages in, bad payloads by reason, points written,
 * live clients, ...) as JSON, with the broker's and edge's counters when known. Any signed-in user.
 */
export function systemRoutes(options: SystemRoutesOptions): Router {
  const router = Router();
  contractRoute(router, system, async () => {
    const families = await options.metrics.registry.getMetricsAsJSON();
    const counters = families
      .filter((family) => !DEFAULT_METRIC.test(family.name) && String(family.type) !== 'histogram')
      .map((family) => ({
        name: family.name,
        help: family.help,
        values: family.values.map((sample) => ({
          labels: sample.labels as Record<string, string | number>,
          value: sample.value,
        })),
      }));
    return {
      at: Date.now(),
      counters,
      // Plain counter objects: JSON as they are.
      broker: (options.brokerStats?.() as Record<string, unknown> | undefined) ?? null,
      edge: (options.edgeStats?.() as Record<string, unknown> | undefined) ?? null,
    };
  });
  return router;
}
