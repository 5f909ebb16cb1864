import { Router } from 'express';
import { type Kysely, sql } from 'kysely';
import { exportCustomer } from '../../core/api/retention.ts';
import type { Logger } from '../../core/log.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actor } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { writeCustomerExport } from './customer-export.ts';
import type { ExportSection } from './export-sections.ts';

export interface CustomerExportDeps {
  db: Kysely<ServiceDatabase>;
  audit: AuditLog;
  telemetry?: TelemetryStore;
  clock: () => number;
  logger?: Logger;
  /** Default: every section (tickets to telemetry, then service records, parts and charges). */
  sections?: readonly ExportSection[];
}

/** GET /api/customers/:id/export.zip: everything kept about one customer, as one streamed archive. */
export function customerExportRoutes(deps: CustomerExportDeps): Router {
  const router = Router();
  contractRoute(router, exportCustomer, async ({ params, query }, req, res): Promise<typeof ANSWERED> => {
    const who = actor(req);
    const customer = (
      await sql<{ id: string; name: string }>`SELECT id, name FROM customers WHERE id = ${params.id}`.execute(
        deps.db,
      )
    ).rows[0];
    if (!customer)
      throw new RefusedError(`no customer ${params.id}`, 404, 'error.noCustomer', { id: params.id });
    const now = deps.clock();
    const day = new Date(now).toISOString().slice(0, 10);
    res
      .status(200)
      .set('content-type', 'application/zip')
      .set('content-disposition', `attachment; filename="customer-${customer.id}-${day}.zip"`);
    try {
      const manifest = await writeCustomerExport(res, {
        db: deps.db,
        ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
        customer,
        now,
        generatedBy: who.username,
        telemetryDays: query.telemetryDays,
        ...(deps.sections ? { sections: deps.sections } : {}),
      });
      res.end();
      await deps.audit.record(who, {
        action: 'customer.export',
        target: `customers/${customer.id}`,
        result: 'ok',
        detail: { sections: Object.fromEntries(manifest.sections.map((s) => [s.name, s.records])) },
      });
    } catch (error) {
      // The headers are gone: a cut-off archive is the only signal left; the log says why.
      deps.logger?.error({ err: error, customer: customer.id }, 'customer export failed');
      res.destroy(error as Error);
    }
    return ANSWERED;
  });
  return router;
}
