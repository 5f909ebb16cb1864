import { z } from 'zod';
import { FAULT_CLASSES } from '../alarms/catalogue.ts';
import { ALARM_STATUSES } from '../alarms/lifecycle.ts';
import { SEVERITIES } from '../alarms/severity.ts';
import { ROLES } from '../auth/roles.ts';
import { idSchema, listOf, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';

/** An alarm as the API and the live stream show it. */
export const alarmSchema = z.object({
  id: z.number(),
  site: z.string(),
  station: z.string(),
  faultClass: z.string(),
  subject: z.string().describe("'' for the station, pump[N] for one pump, or a meaning"),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  /** The title as a message code with params (a vendor code's text in both languages); else null. */
  titleCode: z.string().nullable().optional(),
  titleParams: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .nullable()
    .optional(),
  status: z.enum(ALARM_STATUSES),
  raisedAt: z.number(),
  lastRaisedAt: z.number(),
  clearedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
  occurrences: z.number(),
  value: z.unknown(),
  ticketId: z.number().nullable(),
});

export const alarmEventSchema = z.object({
  id: z.number(),
  alarm_id: z.number(),
  at: z.number(),
  action: z.string(),
  actor: z.string(),
  note: z.string(),
});

/** An alarm (station, fault class, subject) that raises nothing until `until`. */
export const shelfSchema = z.object({
  id: z.number(),
  site: z.string(),
  station: z.string(),
  faultClass: z.string(),
  subject: z.string(),
  until: z.number(),
  shelvedBy: z.string(),
  reason: z.string(),
});

/** How long a shelf may hold, in minutes: 1 min to 7 days. */
export const SHELF_MINUTES = { min: 1, max: 7 * 24 * 60 } as const;

export const alarmQuerySchema = z.object({
  state: listOf(ALARM_STATUSES).optional().describe('Comma-separated statuses'),
  site: idSchema.optional(),
  station: idSchema.optional(),
  severity: z.enum(SEVERITIES).optional(),
  q: z.string().max(200).optional().describe('Text in the title, station or fault class'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const ackBodySchema = z.object({ note: z.string().max(2000).default('') }).strict();

export const shelveBodySchema = z
  .object({
    site: idSchema,
    station: idSchema,
    faultClass: z.enum(FAULT_CLASSES),
    subject: z.string().max(64).default(''),
    minutes: z
      .number()
      .int()
      .min(SHELF_MINUTES.min)
      .max(SHELF_MINUTES.max)
      .describe('How long the shelf holds'),
    reason: z.string().min(1, 'say why the alarm is shelved').max(500),
  })
  .strict();

const alarmAnswer = z.object({ alarm: alarmSchema });

export const listAlarms = defineContract({
  method: 'GET',
  path: '/api/alarms',
  summary: 'Alarms, newest first, filtered by status, place, severity or text',
  access: ROLES,
  query: alarmQuerySchema,
  status: 200,
  response: z.object({ alarms: z.array(alarmSchema) }),
});

export const getAlarm = defineContract({
  method: 'GET',
  path: '/api/alarms/:id',
  summary: 'One alarm with its history',
  access: ROLES,
  params: rowIdParams,
  status: 200,
  response: alarmAnswer.extend({ history: z.array(alarmEventSchema) }),
});

export const acknowledgeAlarm = defineContract({
  method: 'POST',
  path: '/api/alarms/:id/ack',
  summary: 'Acknowledge an alarm',
  access: ['operator', 'admin'],
  params: rowIdParams,
  body: ackBodySchema,
  status: 200,
  response: alarmAnswer,
});

export const listShelves = defineContract({
  method: 'GET',
  path: '/api/alarms/shelves',
  summary: 'Shelves in force',
  access: ROLES,
  status: 200,
  response: z.object({ shelves: z.array(shelfSchema) }),
});

export const shelveAlarm = defineContract({
  method: 'POST',
  path: '/api/alarms/shelves',
  summary: 'Shelve an alarm of a station for a while',
  access: ['operator', 'admin'],
  body: shelveBodySchema,
  status: 201,
  response: z.object({ shelf: shelfSchema }),
});

export const unshelveAlarm = defineContract({
  method: 'DELETE',
  path: '/api/alarms/shelves/:id',
  summary: 'End a shelf early',
  access: ['operator', 'admin'],
  params: rowIdParams,
  status: 204,
});
