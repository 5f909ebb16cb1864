import { z } from 'zod';
import { SEVERITIES } from '../alarms/severity.ts';
import {
  NCR_DISPOSITIONS,
  QUALITY_ACTION_REASONS,
  QUALITY_ACTION_STATUSES,
  RESPONSIBILITIES,
} from '../quality/vocabulary.ts';
import { idSchema, listOf, rowIdParams, timeSchema } from './common.ts';
import { defineContract } from './contract.ts';

const QUALITY_READERS = ['service', 'engineer', 'admin'] as const;
const QUALITY_WRITERS = ['service', 'engineer', 'admin'] as const;

/**
 * What resolving (or closing) a fault ticket records besides the root cause: who answers for it, the
 * corrective action (fixes this fault) and the preventive action (keeps it from happening again).
 */
export const closeRecordFields = {
  responsibility: z.enum(RESPONSIBILITIES).optional(),
  correctiveAction: z.string().trim().min(1).max(5000).optional(),
  preventiveAction: z.string().trim().min(1).max(5000).optional(),
};

export const ticketQualityRecordSchema = z.object({
  ticketId: z.number(),
  responsibility: z.enum(RESPONSIBILITIES),
  correctiveAction: z.string(),
  preventiveAction: z.string(),
  recordedBy: z.string(),
  recordedAt: z.number(),
});

export const qualityActionEventSchema = z.object({
  at: z.number(),
  actor: z.string(),
  /** `opened`, `status`, `assigned` or `note`. */
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  note: z.string(),
});

export const qualityActionSchema = z.object({
  id: z.number(),
  ticketId: z.number().nullable(),
  site: z.string(),
  station: z.string(),
  pump: z.number().nullable(),
  failureMode: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  reasons: z.array(z.enum(QUALITY_ACTION_REASONS)),
  /** The ticket's title when it opened (English or as a person wrote it). */
  title: z.string(),
  owner: z.string(),
  dueAt: z.number(),
  status: z.enum(QUALITY_ACTION_STATUSES),
  openedAt: z.number(),
  updatedAt: z.number(),
  closedAt: z.number().nullable(),
  /** Not verified closed and past its due date, by the server's clock. */
  overdue: z.boolean(),
  timeline: z.array(qualityActionEventSchema).optional().describe('Only in the answer about one action'),
});

export const caseSchema = z.object({
  ticketId: z.number(),
  faultClass: z.string().nullable(),
  rootCause: z.string().nullable(),
  model: z.string().nullable(),
  symptoms: z.string(),
  fix: z.string(),
  resolvedAt: z.number(),
});

export const rankedCaseSchema = z.object({
  case: caseSchema,
  sameClass: z.boolean(),
  sameModel: z.boolean(),
  text: z.number().describe('TF-IDF cosine similarity of the texts, 0..1'),
});

const ncrFields = {
  product: z.string().trim().min(1).max(200),
  model: z.string().trim().max(200).nullable().default(null),
  batch: z.string().trim().max(200).nullable().default(null),
  serial: z.string().trim().max(200).nullable().default(null),
  problem: z.string().trim().min(1).max(5000),
  disposition: z.enum(NCR_DISPOSITIONS),
  ticketId: z.number().int().positive().nullable().default(null),
  qualityActionId: z.number().int().positive().nullable().default(null),
};

const batchOrSerial = (ncr: { batch: string | null; serial: string | null }) =>
  Boolean(ncr.batch?.length || ncr.serial?.length);

export const ncrBodySchema = z
  .object(ncrFields)
  .strict()
  .refine(batchOrSerial, { message: 'give the batch or the serial number', path: ['batch'] });

export const ncrSchema = z.object({
  id: z.number(),
  product: z.string(),
  model: z.string().nullable(),
  batch: z.string().nullable(),
  serial: z.string().nullable(),
  problem: z.string(),
  disposition: z.enum(NCR_DISPOSITIONS),
  ticketId: z.number().nullable(),
  qualityActionId: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const actionAnswer = z.object({ action: qualityActionSchema });
const ncrAnswer = z.object({ ncr: ncrSchema });

export const listQualityActions = defineContract({
  method: 'GET',
  path: '/api/quality/actions',
  summary: 'Quality actions (corrective and preventive), newest first, overdue ones flagged',
  access: QUALITY_READERS,
  query: z.object({
    status: listOf(QUALITY_ACTION_STATUSES).optional().describe('Comma-separated statuses'),
    overdue: z.enum(['true', 'false']).optional(),
    site: idSchema.optional(),
  }),
  status: 200,
  response: z.object({ actions: z.array(qualityActionSchema) }),
});

export const getQualityAction = defineContract({
  method: 'GET',
  path: '/api/quality/actions/:id',
  summary: 'One quality action with its timeline',
  access: QUALITY_READERS,
  params: rowIdParams,
  status: 200,
  response: actionAnswer,
});

export const updateQualityAction = defineContract({
  method: 'PUT',
  path: '/api/quality/actions/:id',
  summary: "Change a quality action's owner or due date",
  access: QUALITY_WRITERS,
  params: rowIdParams,
  body: z
    .object({
      owner: z.string().trim().min(1).max(200).optional(),
      dueAt: timeSchema.optional(),
      note: z.string().max(2000).default(''),
    })
    .strict(),
  status: 200,
  response: actionAnswer,
});

export const moveQualityAction = defineContract({
  method: 'POST',
  path: '/api/quality/actions/:id/transitions',
  summary: 'Move a quality action: open -> in progress -> verified closed (or back one step)',
  access: QUALITY_WRITERS,
  params: rowIdParams,
  body: z
    .object({ status: z.enum(QUALITY_ACTION_STATUSES), note: z.string().trim().max(2000).default('') })
    .strict(),
  status: 200,
  response: actionAnswer,
});

export const getTicketQuality = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/quality',
  summary:
    "A ticket's quality record (responsibility, corrective and preventive action) and its quality actions",
  access: 'signed-in',
  params: rowIdParams,
  status: 200,
  response: z.object({
    record: ticketQualityRecordSchema.nullable(),
    actions: z.array(qualityActionSchema),
  }),
});

export const similarCases = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/similar-cases',
  summary:
    'Resolved fault tickets like this one: same fault class, same model, similar text; with what fixed them',
  access: 'signed-in',
  params: rowIdParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(50).optional() }),
  status: 200,
  response: z.object({ cases: z.array(rankedCaseSchema) }),
});

export const searchCases = defineContract({
  method: 'GET',
  path: '/api/cases',
  summary: 'The case library: resolved fault tickets, searched by text (zh or en), fault class and model',
  access: 'signed-in',
  query: z.object({
    q: z.string().max(500).default(''),
    faultClass: z.string().max(64).optional(),
    model: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  }),
  status: 200,
  response: z.object({ cases: z.array(rankedCaseSchema) }),
});

export const listNcrs = defineContract({
  method: 'GET',
  path: '/api/quality/ncrs',
  summary: 'Non-conforming product records, newest first',
  access: QUALITY_READERS,
  query: z.object({ ticketId: z.coerce.number().int().positive().optional() }),
  status: 200,
  response: z.object({ ncrs: z.array(ncrSchema) }),
});

export const getNcr = defineContract({
  method: 'GET',
  path: '/api/quality/ncrs/:id',
  summary: 'One non-conforming product record',
  access: QUALITY_READERS,
  params: rowIdParams,
  status: 200,
  response: ncrAnswer,
});

export const createNcr = defineContract({
  method: 'POST',
  path: '/api/quality/ncrs',
  summary: 'Record a non-conforming product: product, batch or serial, problem, disposition',
  access: QUALITY_WRITERS,
  body: ncrBodySchema,
  status: 201,
  response: ncrAnswer,
});

export const updateNcr = defineContract({
  method: 'PUT',
  path: '/api/quality/ncrs/:id',
  summary: 'Replace a non-conforming product record',
  access: QUALITY_WRITERS,
  params: rowIdParams,
  body: ncrBodySchema,
  status: 200,
  response: ncrAnswer,
});

export const deleteNcr = defineContract({
  method: 'DELETE',
  path: '/api/quality/ncrs/:id',
  summary: 'Delete a non-conforming product record entered by mistake',
  access: ['admin'],
  params: rowIdParams,
  status: 204,
});
