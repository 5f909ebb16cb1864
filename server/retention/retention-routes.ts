import express, { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  clearLegalHold,
  listLegalHolds,
  listRetentionClasses,
  listRetentionRuns,
  putLegalHold,
  putRetentionClass,
  retentionOutcomeSchema,
  runRetentionNow,
} from '../../core/api/retention.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actor } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { contractRoute } from '../http/contract-route.ts';
import { retentionClasses, runRetention } from './retention-job.ts';
import { withRetention } from './retention-schema.ts';
import { RetentionStore } from './retention-store.ts';

export interface RetentionRouteDeps {
  db: Kysely<ServiceDatabase>;
  audit: AuditLog;
  clock: () => number;
}

/** Admin routes: retention periods per class, legal holds, and a run (or dry run) on demand. */
export function retentionRoutes({ db, audit, clock }: RetentionRouteDeps): Router {
  const router = Router();
  router.use('/retention', express.json({ limit: '16kb' }));
  const store = new RetentionStore(db);

  contractRoute(router, listRetentionClasses, async () => ({ classes: await retentionClasses(db) }));

  contractRoute(router, putRetentionClass, async ({ params, body }, req) => {
    const who = actor(req);
    await store.setPeriod(params.class, body.period, who.username, clock());
    await audit.record(who, {
      action: 'retention.period',
      target: `retention/${params.class}`,
      result: 'ok',
      detail: { period: body.period },
    });
    const updated = (await retentionClasses(db)).find((entry) => entry.class === params.class);
    if (!updated) throw new RefusedError(`no record class ${params.class}`, 404);
    return updated;
  });

  contractRoute(router, listLegalHolds, async () => ({ holds: await store.holds() }));

  contractRoute(router, putLegalHold, async ({ body }, req) => {
    const who = actor(req);
    const held = await store.hold(body.class, body.recordId, body.reason, who.username, clock());
    await audit.record(who, {
      action: 'retention.hold',
      target: `${body.class}/${body.recordId}`,
      result: 'ok',
      detail: { reason: body.reason },
    });
    return held;
  });

  contractRoute(router, clearLegalHold, async ({ params }, req) => {
    const cleared = await store.clear(params.id);
    if (!cleared) throw new RefusedError(`no legal hold ${params.id}`, 404);
    await audit.record(actor(req), {
      action: 'retention.unhold',
      target: `${cleared.class}/${cleared.recordId}`,
      result: 'ok',
    });
    return undefined;
  });

  contractRoute(router, runRetentionNow, async ({ body }, req) =>
    runRetention(db, audit, actor(req), { now: clock(), dryRun: body.dryRun }),
  );

  contractRoute(router, listRetentionRuns, async () => {
    const rows = await withRetention(db)
      .selectFrom('retention_runs')
      .select(['id', 'actor', 'outcome'])
      .where('dry_run', '=', false)
      .orderBy('at', 'desc')
      .limit(50)
      .execute();
    return {
      runs: rows.map((row) => ({
        id: row.id,
        actor: row.actor,
        outcome: retentionOutcomeSchema.parse(row.outcome),
      })),
    };
  });

  return router;
}
