import { Router } from 'express';
import { listAudit } from '../../core/api/audit.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { AuditLog } from './audit-log.ts';

export function auditRoutes(audit: AuditLog): Router {
  const router = Router();
  contractRoute(router, listAudit, async ({ query }) => ({ entries: await audit.list(query) }));
  return router;
}
