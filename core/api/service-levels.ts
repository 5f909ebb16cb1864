import { z } from 'zod';
import { BUSINESS_DAY_KINDS } from '../sla/working-time.ts';
import { daySchema, idSchema, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';
import { PAUSE_REASONS, SLA_CLOCKS } from './sla.ts';
import { ticketSchema } from './tickets.ts';

const ticketAnswer = z.object({ ticket: ticketSchema });

export const pauseBodySchema = z
  .object({
    reason: z
      .enum(PAUSE_REASONS)
      .describe("Why the clocks stop: waiting for the customer's access, for parts, ..."),
    note: z.string().max(2000).default(''),
  })
  .strict();

export const resumeBodySchema = z.object({ note: z.string().max(2000).default('') }).strict();

export const pauseTicket = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/pause',
  summary: "Pause a ticket's SLA clocks with a reason (recorded in its timeline)",
  access: ['service', 'admin'],
  params: rowIdParams,
  body: pauseBodySchema,
  status: 200,
  response: ticketAnswer,
});

export const resumeTicket = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/resume',
  summary: "Resume a paused ticket's SLA clocks (recorded in its timeline)",
  access: ['service', 'admin'],
  params: rowIdParams,
  body: resumeBodySchema,
  status: 200,
  response: ticketAnswer,
});

export const businessDaySchema = z
  .object({
    day: daySchema,
    kind: z
      .enum(BUSINESS_DAY_KINDS)
      .describe('holiday: off on a working day; workday: a swapped working day (调休)'),
    name: z.string().max(100).default(''),
  })
  .strict();

export const calendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

const calendarYearAnswer = z.object({ year: z.number(), days: z.array(businessDaySchema) });

export const listCalendarYears = defineContract({
  method: 'GET',
  path: '/api/sla/calendar',
  summary: 'Years the business calendar has days for',
  access: 'signed-in',
  status: 200,
  response: z.object({ years: z.array(z.number()) }),
});

export const getCalendarYear = defineContract({
  method: 'GET',
  path: '/api/sla/calendar/:year',
  summary: "A year's public holidays and swapped working days",
  access: 'signed-in',
  params: calendarYearParams,
  status: 200,
  response: calendarYearAnswer,
});

export const putCalendarYear = defineContract({
  method: 'PUT',
  path: '/api/sla/calendar/:year',
  summary: "Replace a year's public holidays and swapped working days (from the State Council's notice)",
  access: ['admin'],
  params: calendarYearParams,
  body: z.object({ days: z.array(businessDaySchema).max(366) }).strict(),
  status: 200,
  response: calendarYearAnswer,
});

export const SLA_REPORT_FORMATS = ['json', 'csv'] as const;

export const slaReportQuerySchema = z.object({
  customer: idSchema,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
  format: z.enum(SLA_REPORT_FORMATS).default('json'),
});

const clockTally = z.object({
  clock: z.enum(SLA_CLOCKS),
  met: z.number(),
  metLate: z.number(),
  breached: z.number(),
  running: z.number().describe('Still open: running, paused or (the fix before arrival) not started'),
  notApplicable: z.number(),
});
export type ClockTally = z.infer<typeof clockTally>;

export const slaReportSchema = z.object({
  customer: z.string(),
  month: z.string(),
  /** China time: the month's tickets are those reported in it. */
  from: z.number(),
  to: z.number(),
  tickets: z.number(),
  clocks: z.array(clockTally),
  pauses: z.object({ count: z.number(), pausedMs: z.number() }),
  /** Tickets in the month with any clock breached or met late. */
  breachedTickets: z.array(
    z.object({ id: z.number(), station: z.string(), clocks: z.array(z.enum(SLA_CLOCKS)) }),
  ),
});
export type SlaReport = z.infer<typeof slaReportSchema>;

export const slaReport = defineContract({
  method: 'GET',
  path: '/api/reports/sla',
  summary:
    "SLA compliance of a customer's tickets reported in a month: met and breached per clock, pauses (json or csv)",
  access: 'signed-in',
  query: slaReportQuerySchema,
  status: 200,
  response: slaReportSchema,
});
