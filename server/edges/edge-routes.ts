import { randomBytes } from 'node:crypto';
import express, { type Request, Router } from 'express';
import {
  assignEdgeStations,
  createEdge,
  type EdgeSecretAnswer,
  edgeConfig,
  getEdge,
  listEdges,
  renameEdge,
  retireEdge,
  revokeEdge,
  rotateEdge,
} from '../../core/api/edges.ts';
import { edgeUsername } from '../../core/edges/provisioned-edges.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actor } from '../auth/roles.ts';
import { inScope, scopedSiteFilter, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { EdgeRegistry } from '../ingest/edge-registry.ts';
import { edgeConfigText } from './edge-config-text.ts';
import type { EdgeSightings } from './edge-sightings.ts';
import type { EdgeStore, EdgeWithStations } from './edge-store.ts';
import { edgeView } from './edge-view.ts';

export interface EdgeRoutesDeps {
  store: EdgeStore;
  audit: AuditLog;
  registry: EdgeRegistry;
  sightings: EdgeSightings;
  clock: () => number;
  /** Rewrites the provisioned-edges file; resolves once the broker can read the change. */
  provisioned(): Promise<void>;
  /** The broker URL written into generated configs (as the gateways reach it). */
  mqttUrl: string;
  /** Where gateways find the profiles, written into generated configs. */
  profilesDir: string;
}

/** 24 random bytes: 192 bits, far past guessing, so one scrypt round per connect is plenty. */
function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

export function edgeRoutes(deps: EdgeRoutesDeps): Router {
  const router = Router();
  router.use('/edges', express.json({ limit: '64kb' }));
  const { store, audit } = deps;

  const view = (row: EdgeWithStations) => {
    const live = deps.registry.list().find((s) => s.edge === row.id && s.site === row.site_id);
    return edgeView(
      row,
      live ? { online: live.online, receivedAt: live.receivedAt, version: live.version } : undefined,
      deps.sightings.get(row.id, row.site_id),
    );
  };

  /** The edge, if the user may see its site; 404 as if it did not exist otherwise. */
  const visible = async (req: Request, id: string) => {
    const row = await store.get(id);
    if (!row || !inScope(siteScope(req), row.site_id))
      throw new RefusedError(`no edge ${id}`, 404, 'error.noEdge', { id });
    return row;
  };
  const notRetired = (row: EdgeWithStations) => {
    if (row.retired_at !== null)
      throw new RefusedError(`edge ${row.id} is retired`, 409, 'error.edgeRetired', { id: row.id });
    return row;
  };

  /** Runs an admin action and records it, also when it is refused. */
  const audited = async <T>(
    req: Request,
    action: string,
    id: string,
    detail: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      const result = await run();
      await audit.record(actor(req), { action, target: `edge/${id}`, result: 'ok', detail });
      return result;
    } catch (error) {
      const refused = error instanceof RefusedError;
      await audit.record(actor(req), {
        action,
        target: `edge/${id}`,
        result: refused ? 'refused' : 'failed',
        detail: { ...detail, error: (error as Error).message },
      });
      throw error;
    }
  };

  const config = async (row: EdgeWithStations) =>
    edgeConfigText({
      edgeId: row.id,
      site: row.site_id,
      username: edgeUsername(row.id),
      mqttUrl: deps.mqttUrl,
      profilesDir: deps.profilesDir,
      stations: await store.configStations(row.id),
      at: deps.clock(),
    });

  const secretAnswer = async (row: EdgeWithStations, password: string): Promise<EdgeSecretAnswer> => ({
    edge: view(row),
    credentials: {
      username: edgeUsername(row.id),
      password,
      env: { MQTT_USERNAME: edgeUsername(row.id), MQTT_PASSWORD: password },
    },
    config: await config(row),
  });

  contractRoute(router, listEdges, async ({ query }, req) => {
    const filter = scopedSiteFilter(siteScope(req), query.site);
    if (!filter) return { edges: [] };
    const rows = await store.list({ ...filter, retired: query.retired === 'true' });
    return { edges: rows.map(view) };
  });

  contractRoute(router, getEdge, async ({ params }, req) => ({ edge: view(await visible(req, params.id)) }));

  contractRoute(router, createEdge, async ({ body }, req) => {
    const password = newPassword();
    const row = await audited(
      req,
      'edge.create',
      body.id,
      { site: body.siteId, name: body.name, stations: body.stations },
      async () => {
        if (!(await store.siteExists(body.siteId)))
          throw new RefusedError(`no site ${body.siteId}`, 400, 'error.edgeNoSite', { site: body.siteId });
        await store.create({
          id: body.id,
          siteId: body.siteId,
          name: body.name,
          secretHash: await hashSecret(password),
          at: deps.clock(),
        });
        const created = (await store.get(body.id))!;
        // A refused station list undoes the creation: its password would otherwise be lost unseen.
        if (body.stations.length > 0)
          await store.setStations(created, body.stations).catch(async (error: unknown) => {
            await store.remove(body.id);
            throw error;
          });
        await deps.provisioned();
        return (await store.get(body.id))!;
      },
    );
    return await secretAnswer(row, password);
  });

  contractRoute(router, renameEdge, async ({ params, body }, req) => {
    const row = notRetired(await visible(req, params.id));
    await audited(req, 'edge.rename', row.id, { from: row.name, to: body.name }, () =>
      store.rename(row.id, body.name),
    );
    return { edge: view((await store.get(row.id))!) };
  });

  contractRoute(router, assignEdgeStations, async ({ params, body }, req) => {
    const row = notRetired(await visible(req, params.id));
    await audited(req, 'edge.stations', row.id, { from: row.stations, to: body.stations }, async () => {
      await store.setStations(row, body.stations);
      await deps.provisioned();
    });
    return { edge: view((await store.get(row.id))!) };
  });

  contractRoute(router, edgeConfig, async ({ params }, req) => ({
    config: await config(notRetired(await visible(req, params.id))),
  }));

  contractRoute(router, revokeEdge, async ({ params }, req) => {
    const row = notRetired(await visible(req, params.id));
    await audited(req, 'edge.revoke', row.id, {}, async () => {
      if (row.revoked_at === null) await store.revoke(row.id, deps.clock());
      await deps.provisioned();
    });
    return { edge: view((await store.get(row.id))!) };
  });

  contractRoute(router, rotateEdge, async ({ params }, req) => {
    const row = notRetired(await visible(req, params.id));
    const password = newPassword();
    await audited(req, 'edge.rotate', row.id, { credentialVersion: row.credential_version + 1 }, async () => {
      await store.rotate(row.id, await hashSecret(password));
      await deps.provisioned();
    });
    return await secretAnswer((await store.get(row.id))!, password);
  });

  contractRoute(router, retireEdge, async ({ params }, req) => {
    const row = await visible(req, params.id);
    if (row.retired_at !== null) return undefined;
    await audited(req, 'edge.retire', row.id, { stations: row.stations }, async () => {
      await store.retire(row.id, deps.clock());
      await deps.provisioned();
    });
    return undefined;
  });

  return router;
}
