import { z } from 'zod';
import { SEVERITIES } from '../alarms/severity.ts';
import { ROLES } from '../auth/roles.ts';
import { ROOT_CAUSE_CODES } from '../tickets/root-causes.ts';
import { DEPARTMENTS, SERVICE_MODES, WORKFLOW_STATES } from '../tickets/workflow.ts';
import { idSchema, listOf, pumpNumber, rowIdParams, timeSchema } from './common.ts';
import { defineContract } from './contract.ts';
import { closeRecordFields } from './quality.ts';
import { SLA_STATES, slaViewSchema } from './sla.ts';

/** Parameters of a core/i18n message. */
const messageParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const ticketEventSchema = z.object({
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  note: z.string(),
  /** `note` as a core/i18n code with its parameters, null when a person wrote it. */
  code: z.string().nullable(),
  params: messageParamsSchema,
  data: z.unknown(),
});

/** A service ticket with its SLA clocks, as the API and the live stream show it. */
export const ticketSchema = z.object({
  id: z.number(),
  site: z.string(),
  station: z.string(),
  pump: z.number().nullable(),
  faultClass: z.string().nullable(),
  subject: z.string(),
  title: z.string(),
  /** `title` as a core/i18n code with its parameters (rendered in the reader's language), null when a person wrote it. */
  titleCode: z.string().nullable(),
  titleParams: messageParamsSchema,
  description: z.string(),
  descriptionCode: z.string().nullable(),
  descriptionParams: messageParamsSchema,
  severity: z.enum(SEVERITIES),
  source: z.string(),
  state: z.enum(WORKFLOW_STATES),
  reportedBy: z.string(),
  contractId: z.string().nullable(),
  slaPolicyId: z.string(),
  equipment: z.object({
    model: z.string().nullable(),
    serial: z.string().nullable(),
    warrantyEnd: z.string().nullable(),
    inWarranty: z.boolean().nullable(),
  }),
  triage: z.object({ mode: z.enum(SERVICE_MODES).nullable(), department: z.string().nullable() }),
  dispatch: z.object({ technician: z.string().nullable(), expectedArrival: z.number().nullable() }),
  resolution: z.object({
    workDone: z.string().nullable(),
    partsUsed: z.array(z.object({ part: z.string(), quantity: z.number() })),
    rootCause: z.string().nullable(),
  }),
  signOff: z.object({ signerName: z.string().nullable(), signedAt: z.number().nullable() }),
  occurrences: z.number(),
  reopenCount: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastOccurrenceAt: z.number(),
  resolvedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  /** Planned, follow-up and predictive work: when it is due. */
  dueAt: z.number().nullable().optional(),
  sla: slaViewSchema.nullable(),
  timeline: z.array(ticketEventSchema).optional().describe('Only in the answer about one ticket'),
});

export const rootCauseSchema = z.object({
  code: z.string(),
  label: z.string(),
  chargeable: z.boolean().describe('Customer-caused damage is charged even inside warranty'),
});

export const ticketQuerySchema = z.object({
  state: listOf(WORKFLOW_STATES).optional().describe('Comma-separated workflow states'),
  site: idSchema.optional(),
  station: idSchema.optional(),
  severity: z.enum(SEVERITIES).optional(),
  sla: listOf(SLA_STATES).optional().describe('Comma-separated SLA states'),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const TICKET_SOURCES = ['phone', 'email', 'web', 'visit'] as const;

export const manualTicketBodySchema = z
  .object({
    site: idSchema,
    station: idSchema,
    pump: pumpNumber.nullable().default(null),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).default(''),
    severity: z.enum(SEVERITIES),
    source: z.enum(TICKET_SOURCES),
    reportedBy: z.string().min(1, 'who reported it (name and phone)').max(200),
  })
  .strict();

const note = z.string().max(2000).default('');

/** One step of the service workflow, with what that step records. */
export const transitionBodySchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('triage'),
      mode: z.enum(SERVICE_MODES),
      department: z.enum(DEPARTMENTS),
      note,
    })
    .strict(),
  z
    .object({
      action: z.literal('dispatch'),
      technician: z.string().min(1).max(200),
      expectedArrival: timeSchema,
      note,
    })
    .strict(),
  z.object({ action: z.literal('arrive'), note }).strict(),
  z
    .object({
      action: z.literal('resolve'),
      workDone: z.string().min(1, 'describe the work done').max(5000),
      partsUsed: z
        .array(
          z
            .object({ part: z.string().min(1).max(200), quantity: z.number().int().min(1).max(10_000) })
            .strict(),
        )
        .max(100)
        .default([]),
      rootCause: z.enum(ROOT_CAUSE_CODES),
      /** Resolving while the ticket's alarm is still active needs this: why it is resolved anyway. */
      overrideActiveAlarm: z.string().min(1).max(2000).optional(),
      /** Needed for fault tickets (core/quality/close-record.ts), not for planned or follow-up work. */
      ...closeRecordFields,
      note,
    })
    .strict(),
  z
    .object({
      action: z.literal('sign_off'),
      signerName: z.string().min(1).max(200),
      signedAt: timeSchema.optional(),
      note,
    })
    .strict(),
  /** A fault ticket resolved without its quality record gives it here. */
  z.object({ action: z.literal('close'), ...closeRecordFields, note }).strict(),
  z
    .object({
      action: z.literal('reopen'),
      note: z.string().min(1, 'say why the ticket is reopened').max(2000),
    })
    .strict(),
]);

const ticketAnswer = z.object({ ticket: ticketSchema });

export const listTickets = defineContract({
  method: 'GET',
  path: '/api/tickets',
  summary: 'Tickets with their SLA clocks, filtered by state, place, severity, SLA state or text',
  access: ROLES,
  query: ticketQuerySchema,
  status: 200,
  response: z.object({ tickets: z.array(ticketSchema) }),
});

export const createTicket = defineContract({
  method: 'POST',
  path: '/api/tickets',
  summary: "A manual ticket from a customer's call, email or visit",
  access: ['service', 'admin'],
  body: manualTicketBodySchema,
  status: 201,
  response: ticketAnswer,
});

export const getTicket = defineContract({
  method: 'GET',
  path: '/api/tickets/:id',
  summary: 'One ticket with its timeline',
  access: ROLES,
  params: rowIdParams,
  status: 200,
  response: ticketAnswer,
});

export const transitionTicket = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/transitions',
  summary: 'Move a ticket one step along the service workflow',
  access: ['service', 'admin'],
  params: rowIdParams,
  body: transitionBodySchema,
  status: 200,
  response: ticketAnswer,
});

export const listRootCauses = defineContract({
  method: 'GET',
  path: '/api/root-causes',
  summary: 'Root-cause catalogue for resolutions',
  access: 'signed-in',
  status: 200,
  response: z.object({ rootCauses: z.array(rootCauseSchema) }),
});
