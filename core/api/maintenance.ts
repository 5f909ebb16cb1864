import { z } from 'zod';
import { WORKFLOW_STATES } from '../tickets/workflow.ts';
import { daySchema, idParams, idSchema, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';

/** Maintenance plans, the calendar of visits due, and follow-up surveys. */

export const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string().nullable(),
  contractId: z.string().nullable(),
  everyMonths: z.number().nullable(),
  everyRunHours: z.number().nullable(),
  leadDays: z.number(),
  work: z.string(),
});

const ticketLink = {
  ticketId: z.number().nullable(),
  state: z.enum(WORKFLOW_STATES).nullable(),
};

export const followUpVisitSchema = z.object({
  months: z
    .number()
    .describe('Months after acceptance: 0 (the first visit, a week after), 3, 6, 12, 24, ...'),
  kind: z.enum(['first', 'quarterly', 'half_year', 'yearly']),
  due: z.string(),
  ...ticketLink,
});

export const preventiveVisitSchema = z.object({
  planId: z.string(),
  pump: z.number().nullable(),
  due: z.string().nullable(),
  dueAtRunHours: z.number().nullable(),
  runHours: z.number().optional(),
  ...ticketLink,
});

export const calendarSchema = z.object({
  from: z.string(),
  to: z.string(),
  plans: z.array(planSchema),
  stations: z.array(
    z.object({
      site: z.string(),
      station: z.string(),
      acceptanceDate: z.string().nullable(),
      followUps: z.array(followUpVisitSchema),
      preventive: z.array(preventiveVisitSchema),
    }),
  ),
});

export const surveySchema = z.object({
  id: z.number(),
  ticket_id: z.number(),
  customer_id: z.string().nullable(),
  site: z.string(),
  station: z.string(),
  score: z.number(),
  remarks: z.string(),
  surveyed_by: z.string(),
  at: z.number(),
});

export const calendarQuerySchema = z.object({
  from: daySchema.optional(),
  to: daySchema.optional(),
  site: idSchema.optional(),
});
export const surveyBodySchema = z
  .object({ score: z.number().int().min(1).max(5), remarks: z.string().max(2000).default('') })
  .strict();
export const planBodySchema = z
  .object({
    name: z.string().min(1).max(200),
    model: z.string().min(1).max(100).nullable().default(null),
    contractId: idSchema.nullable().default(null),
    everyMonths: z.number().int().min(1).max(120).nullable().default(null),
    everyRunHours: z.number().int().min(1).max(1_000_000).nullable().default(null),
    leadDays: z.number().int().min(0).max(365).default(14),
    work: z.string().max(2000).default(''),
  })
  .strict()
  .refine(
    (p) => p.everyMonths !== null || p.everyRunHours !== null,
    'a plan needs everyMonths or everyRunHours',
  );

export const maintenanceCalendar = defineContract({
  method: 'GET',
  path: '/api/maintenance/calendar',
  summary: 'Follow-up and preventive visits due from..to (default: today to 400 days on), with their tickets',
  access: 'signed-in',
  query: calendarQuerySchema,
  status: 200,
  response: calendarSchema,
});
export const listPlans = defineContract({
  method: 'GET',
  path: '/api/maintenance/plans',
  summary: 'Maintenance plans',
  access: 'signed-in',
  status: 200,
  response: z.object({ plans: z.array(planSchema) }),
});
export const putPlan = defineContract({
  method: 'PUT',
  path: '/api/maintenance/plans/:id',
  summary: 'Create or replace a maintenance plan',
  access: ['service', 'admin'],
  params: idParams,
  body: planBodySchema,
  status: 200,
  response: z.object({ plan: planSchema }),
});
export const recordSurvey = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/survey',
  summary: "The customer's satisfaction survey that ends a follow-up visit",
  access: ['service', 'admin'],
  params: rowIdParams,
  body: surveyBodySchema,
  status: 201,
  response: z.object({ survey: surveySchema }),
});
export const customerSurveys = defineContract({
  method: 'GET',
  path: '/api/customers/:id/surveys',
  summary: "A customer's surveys, oldest first",
  access: 'signed-in',
  params: idParams,
  status: 200,
  response: z.object({ surveys: z.array(surveySchema) }),
});
