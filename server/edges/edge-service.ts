import type { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from '../../core/log.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import type { StationHub } from '../ingest/station-hub.ts';
import { edgeRoutes } from './edge-routes.ts';
import { EdgeSightings } from './edge-sightings.ts';
import { EdgeStore } from './edge-store.ts';
import { provisionedEdges, writeProvisionedEdges } from './provisioned-edges-writer.ts';

export interface EdgeServiceOptions {
  db: Kysely<ServiceDatabase>;
  hub: StationHub;
  audit: AuditLog;
  clock: () => number;
  logger: Logger;
  /** The provisioned-edges file the broker watches. Undefined: none (the broker knows only its users file). */
  file?: string | undefined;
  /** Broker URL written into generated edge configs. */
  mqttUrl: string;
  /** Profiles directory written into generated edge configs. */
  profilesDir: string;
  /**
   * How often the file is rewritten from the database (catching stations assigned by other routes
   * or another server instance) and sightings are stored, ms. Default 10000.
   */
  syncEveryMs?: number;
}

export interface EdgeService {
  router: Router;
  /** Rewrites the provisioned-edges file now and stores the sightings. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/** Edge provisioning: the /api/edges routes, the provisioned-edges file, last seen and version. */
export async function startEdgeService(options: EdgeServiceOptions): Promise<EdgeService> {
  const store = new EdgeStore(options.db);
  const sightings = new EdgeSightings();
  const unsubscribe = options.hub.subscribe(sightings);
  let chain: Promise<void> = Promise.resolve();
  // One writer at a time: a route waits for its own change to reach the file, never for a later one.
  const writeFile = () => {
    const run = chain.then(async () => {
      if (!options.file) return;
      const changed = await writeProvisionedEdges(options.file, provisionedEdges(await store.active()));
      if (changed) options.logger.info({ file: options.file }, 'provisioned edges written');
    });
    chain = run.catch(() => {});
    return run;
  };
  const sync = async () => {
    await writeFile();
    await sightings.flush((edgeId, s) => store.recordSighting(edgeId, s.site, s.at, s.version));
  };
  await writeFile();
  const timer = setInterval(() => {
    sync().catch((error: unknown) => options.logger.error({ err: error }, 'edge sync failed'));
  }, options.syncEveryMs ?? 10_000);
  timer.unref();
  const router = edgeRoutes({
    store,
    audit: options.audit,
    registry: options.hub.edges,
    sightings,
    clock: options.clock,
    provisioned: writeFile,
    mqttUrl: options.mqttUrl,
    profilesDir: options.profilesDir,
  });
  return {
    router,
    sync,
    stop: async () => {
      clearInterval(timer);
      unsubscribe();
      await sync().catch((error: unknown) => options.logger.warn({ err: error }, 'last edge sync failed'));
    },
  };
}
