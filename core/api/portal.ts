import { z } from 'zod';
import { idSchema, pumpNumber, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';
import { ticketSchema } from './tickets.ts';

/**
 * The customer portal (issue 18): a customer's own stations and tickets, the online service request
 * form (在线申请表格) with photos, the satisfaction survey after every closed ticket, and the service
 * team's result feedback (结果反馈) within 3 days of resolving a ticket.
 */

/**
 * Photos a request may carry, and the size of each in bytes: the portal resizes a phone's photo to
 * 1600 px before sending it (a few hundred kB), and the server takes no body over 1 MiB anyway.
 */
export const PHOTO_LIMITS = { perRequest: 4, maxBytes: 1_000_000 } as const;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The result feedback is due this long after the ticket is resolved (DOMAIN.md: 1-3 days). */
export const RESULT_FEEDBACK_DAYS = 3;

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'is not a phone number (digits, + - ( ) and spaces)');

export const serviceRequestBodySchema = z
  .object({
    site: idSchema,
    station: idSchema,
    pump: pumpNumber.nullable().default(null),
    description: z.string().trim().min(1, 'describe the fault').max(2000),
    contactName: z.string().trim().min(1, 'who to call back').max(100),
    contactPhone: phone,
    /** Ids of photos this account uploaded (POST /api/portal/photos) and not yet sent with a request. */
    photos: z.array(z.number().int().positive()).max(PHOTO_LIMITS.perRequest).default([]),
  })
  .strict();

export const photoSchema = z.object({
  id: z.number(),
  contentType: z.enum(PHOTO_TYPES),
  size: z.number(),
  uploadedBy: z.string(),
  at: z.number(),
});

/** Each aspect 1-5: how fast the service came, whether it fixed the fault, how the staff behaved. */
export const SURVEY_ASPECTS = ['timeliness', 'quality', 'attitude'] as const;
const score = z.number().int().min(1).max(5);

export const portalSurveyBodySchema = z
  .object({
    score,
    aspects: z.object({ timeliness: score, quality: score, attitude: score }).strict(),
    comment: z.string().trim().max(2000).default(''),
  })
  .strict();

export const portalSurveySchema = z.object({
  ticketId: z.number(),
  score: z.number(),
  aspects: z.record(z.string(), z.number()),
  comment: z.string(),
  by: z.string(),
  at: z.number(),
});

export const FEEDBACK_STATES = ['pending', 'due', 'overdue', 'done'] as const;
export const resultFeedbackSchema = z.object({
  ticketId: z.number(),
  /** pending: not resolved yet; due / overdue: resolved, feedback not given, before / after dueAt. */
  state: z.enum(FEEDBACK_STATES),
  dueAt: z.number().nullable(),
  doneAt: z.number().nullable(),
  doneBy: z.string().nullable(),
  note: z.string(),
});

export const portalStationSchema = z.object({
  site: z.string(),
  siteName: z.string(),
  id: z.string(),
  name: z.string(),
  pumps: z.array(z.number()),
});

export const portalHome = defineContract({
  method: 'GET',
  path: '/api/portal/home',
  summary:
    "A customer's own sites and stations, and its closed tickets still waiting for its survey (an admin sees every site's)",
  access: ['customer', 'admin'],
  status: 200,
  response: z.object({
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    stations: z.array(portalStationSchema),
    awaitingSurvey: z.array(z.number()),
  }),
});

export const uploadPhoto = defineContract({
  method: 'POST',
  path: '/api/portal/photos',
  summary:
    'A photo for a service request: the raw JPEG, PNG or WebP bytes as the body (checked by their first bytes), at most 1 MB',
  access: ['customer', 'service', 'admin'],
  status: 201,
  response: z.object({ photo: photoSchema }),
});

export const fileServiceRequest = defineContract({
  method: 'POST',
  path: '/api/portal/requests',
  summary: 'The online service request form: opens a ticket whose source is web, with its photos',
  access: ['customer', 'service', 'admin'],
  body: serviceRequestBodySchema,
  status: 201,
  response: z.object({ ticket: ticketSchema }),
});

export const ticketCare = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/care',
  summary: "A ticket's photos, the customer's survey and the result feedback",
  access: ['operator', 'service', 'engineer', 'admin', 'customer'],
  params: rowIdParams,
  status: 200,
  response: z.object({
    photos: z.array(photoSchema),
    survey: portalSurveySchema.nullable(),
    /** A closed ticket without a survey: the customer may answer now. */
    surveyOpen: z.boolean(),
    resultFeedback: resultFeedbackSchema,
  }),
});

export const ticketPhoto = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/photos/:photo',
  summary: 'A photo of a ticket, for those who may see the ticket (its image bytes)',
  access: ['operator', 'service', 'engineer', 'admin', 'customer'],
  params: z.object({ id: z.coerce.number().int().positive(), photo: z.coerce.number().int().positive() }),
  status: 200,
  contentType: 'image/*',
});

export const answerSurvey = defineContract({
  method: 'POST',
  path: '/api/portal/tickets/:id/survey',
  summary:
    "The customer's satisfaction survey after a closed ticket, once per ticket (an admin records one given by phone)",
  access: ['customer', 'admin'],
  params: rowIdParams,
  body: portalSurveyBodySchema,
  status: 201,
  response: z.object({ survey: portalSurveySchema }),
});

export const resultFeedbackQuerySchema = z.object({
  state: z.enum(['due', 'overdue', 'done', 'open']).optional().describe('open: due or overdue'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const listResultFeedback = defineContract({
  method: 'GET',
  path: '/api/result-feedback',
  summary: 'Result feedback to the customer (结果反馈) of resolved tickets: due 3 days after resolution',
  access: ['operator', 'service', 'engineer', 'admin'],
  query: resultFeedbackQuerySchema,
  status: 200,
  response: z.object({
    tasks: z.array(
      resultFeedbackSchema.extend({
        site: z.string(),
        station: z.string(),
        title: z.string(),
        titleCode: z.string().nullable(),
        titleParams: z.record(z.string(), z.union([z.string(), z.number()])),
      }),
    ),
  }),
});

export const giveResultFeedback = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/result-feedback',
  summary: 'Records that the result was fed back to the customer (once per ticket)',
  access: ['service', 'admin'],
  params: rowIdParams,
  body: z.object({ note: z.string().trim().min(1, 'what the customer was told').max(2000) }).strict(),
  status: 201,
  response: z.object({ resultFeedback: resultFeedbackSchema }),
});

export const satisfactionRowSchema = z.object({
  customer: z.string(),
  name: z.string(),
  /** Surveys answered (portal and follow-up visits). */
  surveys: z.number(),
  average: z.number().nullable(),
  aspects: z.record(z.string(), z.number()),
  closed: z.number(),
  /** Closed tickets with a survey, over closed tickets; null without closed tickets. */
  responseRate: z.number().nullable(),
});

export const satisfactionReport = defineContract({
  method: 'GET',
  path: '/api/reports/satisfaction',
  summary: 'Customer satisfaction per customer: average score, surveys, closed tickets and response rate',
  access: ['operator', 'service', 'engineer', 'admin'],
  status: 200,
  response: z.object({ rows: z.array(satisfactionRowSchema) }),
});

export type ServiceRequestBody = z.input<typeof serviceRequestBodySchema>;
export type PortalSurveyBody = z.input<typeof portalSurveyBodySchema>;
export type Photo = z.infer<typeof photoSchema>;
export type ResultFeedback = z.infer<typeof resultFeedbackSchema>;
export type SatisfactionRow = z.infer<typeof satisfactionRowSchema>;
