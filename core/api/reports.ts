import { z } from 'zod';
import { idSchema, queryTimeSchema } from './common.ts';
import { defineContract } from './contract.ts';

export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export const REPORT_LANGS = ['zh-CN', 'en'] as const;

export const halfYearQuerySchema = z.object({
  from: queryTimeSchema.optional().describe('ms since the epoch or ISO 8601; default: six months before to'),
  to: queryTimeSchema.optional().describe('ms since the epoch or ISO 8601; default: now'),
  customer: idSchema.optional().describe("only this customer's sites"),
  site: idSchema.optional().describe('only this site'),
  model: z.string().min(1).max(64).optional().describe('only pumps of this model'),
  format: z.enum(REPORT_FORMATS).default('json'),
  lang: z.enum(REPORT_LANGS).default('zh-CN').describe("the PDF's language"),
});

const figureRowSchema = z.object({
  key: z.string(),
  faults: z.number(),
  resolved: z.number(),
  exposureHours: z.number(),
  mtbfHours: z.number().nullable(),
  mttrHours: z.number().nullable(),
  repeats: z.number(),
  firstTimeFixRate: z.number().nullable(),
});

const notAvailable = z.object({ available: z.literal(false), reason: z.literal('not_available_yet') });
const availability = <T extends z.ZodType>(value: T) =>
  z.union([z.object({ available: z.literal(true), value }), notAvailable]);

export const halfYearReportSchema = z.object({
  from: z.number(),
  to: z.number(),
  customer: z.string().nullable(),
  generatedAt: z.number(),
  totals: figureRowSchema,
  byCustomer: z.array(figureRowSchema),
  bySite: z.array(figureRowSchema),
  byModel: z.array(figureRowSchema),
  byFailureMode: z.array(figureRowSchema),
  faults: z.array(
    z.object({
      id: z.number(),
      site: z.string(),
      station: z.string(),
      pump: z.number().nullable(),
      model: z.string(),
      source: z.string(),
      severity: z.string(),
      failureMode: z.string(),
      openedAt: z.number(),
      resolvedAt: z.number().nullable(),
      repeat: z.boolean(),
    }),
  ),
  notFaults: z.record(z.string(), z.number()),
  parts: z.array(z.object({ part: z.string(), quantity: z.number(), cost: z.number().nullable() })),
  partsCost: z.number().nullable(),
  topRootCauses: z.array(
    z.object({
      code: z.string(),
      faults: z.number(),
      chargeable: z.boolean().nullable(),
      actions: z.array(z.string()),
    }),
  ),
  slaCompliance: availability(z.object({ met: z.number(), total: z.number(), rate: z.number() })),
  satisfaction: availability(z.object({ responses: z.number(), meanScore: z.number() })),
});
export type HalfYearReport = z.output<typeof halfYearReportSchema>;

export const halfYearReport = defineContract({
  method: 'GET',
  path: '/api/reports/half-year',
  summary:
    'The half-year fault report (fault tickets only): MTBF over the pumps exposed, MTTR, repeats, first-time fix, SLA, satisfaction, parts, root causes; json, csv or pdf (503 error.reportFontMissing without a CJK font)',
  access: ['service', 'engineer', 'admin'],
  query: halfYearQuerySchema,
  status: 200,
  response: halfYearReportSchema,
});

export const storedReportSchema = z.object({
  id: z.number(),
  kind: z.string(),
  from: z.number(),
  to: z.number(),
  generatedAt: z.number(),
});

export const listStoredReports = defineContract({
  method: 'GET',
  path: '/api/reports/runs',
  summary: 'Half-year reports the schedule generated and stored',
  access: ['service', 'engineer', 'admin'],
  status: 200,
  response: z.object({ reports: z.array(storedReportSchema) }),
});

export const getStoredReport = defineContract({
  method: 'GET',
  path: '/api/reports/runs/:id',
  summary: 'One stored half-year report as generated',
  access: ['service', 'engineer', 'admin'],
  params: z.object({ id: z.coerce.number().int().positive() }),
  status: 200,
  response: halfYearReportSchema,
});

export const downloadStoredReport = defineContract({
  method: 'GET',
  path: '/api/reports/runs/:id/download',
  summary: 'One stored half-year report as a file: csv, or pdf in zh-CN or en',
  access: ['service', 'engineer', 'admin'],
  params: z.object({ id: z.coerce.number().int().positive() }),
  query: z.object({
    format: z.enum(['csv', 'pdf']).default('pdf'),
    lang: z.enum(REPORT_LANGS).default('zh-CN'),
  }),
  status: 200,
});
