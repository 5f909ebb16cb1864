import { z } from 'zod';
import { RECORD_CLASSES, RETENTION_PERIODS } from '../retention/periods.ts';
import { idSchema } from './common.ts';
import { defineContract } from './contract.ts';

const ADMIN = ['admin'] as const;

export const retentionClassSchema = z.object({
  class: z.enum(RECORD_CLASSES),
  period: z.enum(RETENTION_PERIODS),
  updatedAt: z.number(),
  updatedBy: z.string(),
});

export const legalHoldSchema = z.object({
  id: z.number(),
  class: z.enum(RECORD_CLASSES),
  recordId: z.string(),
  reason: z.string(),
  heldBy: z.string(),
  heldAt: z.number(),
});

export const retentionOutcomeSchema = z.object({
  at: z.number(),
  dryRun: z.boolean(),
  classes: z.array(
    z.object({
      class: z.enum(RECORD_CLASSES),
      period: z.enum(RETENTION_PERIODS),
      action: z.enum(['delete', 'anonymise']),
      cutoff: z.number().nullable(),
      ids: z.array(z.string()),
      held: z.array(z.string()),
    }),
  ),
});

export const listRetentionClasses = defineContract({
  method: 'GET',
  path: '/api/retention/classes',
  summary: 'Record classes and how long each is kept (permanent, 10, 5 or 3 years)',
  access: ADMIN,
  status: 200,
  response: z.object({ classes: z.array(retentionClassSchema) }),
});

export const putRetentionClass = defineContract({
  method: 'PUT',
  path: '/api/retention/classes/:class',
  summary: "Sets a record class's retention period",
  access: ADMIN,
  params: z.object({ class: z.enum(RECORD_CLASSES) }),
  body: z.object({ period: z.enum(RETENTION_PERIODS) }).strict(),
  status: 200,
  response: retentionClassSchema,
});

export const listLegalHolds = defineContract({
  method: 'GET',
  path: '/api/retention/holds',
  summary: 'Records under a legal hold (never removed by retention)',
  access: ADMIN,
  status: 200,
  response: z.object({ holds: z.array(legalHoldSchema) }),
});

export const putLegalHold = defineContract({
  method: 'POST',
  path: '/api/retention/holds',
  summary: 'Puts a record under a legal hold',
  access: ADMIN,
  body: z
    .object({
      class: z.enum(RECORD_CLASSES),
      recordId: z.string().min(1).max(64),
      reason: z.string().max(500).default(''),
    })
    .strict(),
  status: 201,
  response: legalHoldSchema,
});

export const clearLegalHold = defineContract({
  method: 'DELETE',
  path: '/api/retention/holds/:id',
  summary: 'Clears a legal hold',
  access: ADMIN,
  params: z.object({ id: z.coerce.number().int().positive() }),
  status: 204,
});

export const runRetentionNow = defineContract({
  method: 'POST',
  path: '/api/retention/run',
  summary: 'Removes or anonymises expired records now (dryRun: only lists them)',
  access: ADMIN,
  body: z.object({ dryRun: z.boolean().default(true) }).strict(),
  status: 200,
  response: retentionOutcomeSchema,
});

export const retentionRunSchema = z.object({
  id: z.number(),
  actor: z.string(),
  outcome: retentionOutcomeSchema,
});

export const listRetentionRuns = defineContract({
  method: 'GET',
  path: '/api/retention/runs',
  summary: 'The log of real retention runs (the yearly job and on demand): what each removed or anonymised',
  access: ADMIN,
  status: 200,
  response: z.object({ runs: z.array(retentionRunSchema) }),
});

/** What `manifest.json` of a customer's export says: one entry per section and the files it wrote. */
export const exportManifestSchema = z.object({
  format: z.literal('aftercare-customer-export/1'),
  customer: z.object({ id: z.string(), name: z.string() }),
  sites: z.array(z.string()),
  generatedAt: z.number(),
  generatedBy: z.string(),
  sections: z.array(
    z.object({
      name: z.string(),
      records: z.number(),
      files: z.array(z.string()),
      note: z.string().optional(),
    }),
  ),
});
export type ExportManifest = z.infer<typeof exportManifestSchema>;

export const exportCustomer = defineContract({
  method: 'GET',
  path: '/api/customers/:id/export.zip',
  summary:
    "One customer's records as one zip, streamed: tickets (JSON, CSV), timelines, portal requests, photos, surveys, hourly telemetry roll-ups, manifest.json",
  access: ['engineer', 'admin'],
  params: z.object({ id: idSchema }),
  query: z.object({
    telemetryDays: z.coerce
      .number()
      .int()
      .min(1)
      .max(3660)
      .default(365)
      .describe('how far back the hourly telemetry roll-ups reach, days'),
  }),
  status: 200,
});
