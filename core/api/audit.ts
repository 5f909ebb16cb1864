import { z } from 'zod';
import { queryTimeSchema } from './common.ts';
import { defineContract } from './contract.ts';

/** Who did what to the fleet and its accounts, and what came of it. */

export const AUDIT_RESULTS = ['ok', 'refused', 'failed'] as const;

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  actorRole: z.string(),
  /** A dotted verb: `customer.create`, `edge.rotate`, `command.reset_trip`, `account.disable`. */
  action: z.string(),
  /** What was acted on: `customer/acme`, `station/plant1/st1`. */
  target: z.string(),
  result: z.enum(AUDIT_RESULTS),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z
  .object({
    /** Actions starting with this: `command.` lists every remote command. */
    action: z.string().max(64).optional(),
    actor: z.string().max(64).optional(),
    /** Targets starting with this: `station/plant1/`. */
    target: z.string().max(200).optional(),
    since: queryTimeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const listAudit = defineContract({
  method: 'GET',
  path: '/api/audit',
  summary: 'The audit log, newest first: admin actions and remote commands',
  access: ['admin'],
  query: auditQuerySchema,
  status: 200,
  response: z.object({ entries: z.array(auditEntrySchema) }),
});
