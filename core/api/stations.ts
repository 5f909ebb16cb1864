import { z } from 'zod';
import { ROLES } from '../auth/roles.ts';
import { QUALITIES, STATION_STATES } from '../telemetry/payloads.ts';
import { idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/** Live readings of the stations, their stored history and how complete it is. */

export const heldValueSchema = z.object({
  v: z.union([z.number(), z.boolean(), z.null()]),
  q: z.enum(QUALITIES),
  ts: z.number().describe('Source timestamp, ms since the epoch'),
  ageMs: z.number().describe('Now minus ts'),
  unit: z.string().optional(),
});

/** GET /api/stations/:id and socket.io `station:update`. */
export const stationViewSchema = z.object({
  site: z.string(),
  station: z.string(),
  edge: z.string(),
  model: z.string(),
  state: z.enum(STATION_STATES),
  seq: z.number(),
  ts: z.number(),
  ageMs: z.number(),
  values: z.record(z.string(), heldValueSchema).describe('Latest value by meaning'),
});

export const stationSummarySchema = stationViewSchema
  .omit({ seq: true, values: true })
  .extend({ values: z.number().describe('Number of meanings held') });

export const historyPointSchema = z.object({
  ts: z.number().describe('Point time, or bucket start (epoch-aligned) when stepped'),
  value: z
    .union([z.number(), z.boolean()])
    .describe('Raw value; when stepped the average (fraction true for booleans)'),
  q: z.enum(QUALITIES).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

export const historySchema = z.object({
  site: z.string(),
  station: z.string(),
  tag: z.string(),
  from: z.number(),
  to: z.number(),
  step: z.number().optional().describe('Bucket width in ms when downsampled'),
  points: z.array(historyPointSchema),
});

export const dayCompletenessSchema = z.object({
  day: z.string().describe('YYYY-MM-DD in the asked time zone'),
  expected: z.number(),
  stored: z.number(),
  ratio: z.number().nullable(),
});

export const completenessSchema = z.object({
  site: z.string(),
  station: z.string(),
  expectedIntervalMs: z.number(),
  basis: z.string(),
  expected: z.number(),
  stored: z.number(),
  ratio: z.number().nullable(),
  timeZone: z.string(),
  firstReading: z.number().nullable(),
  expectedFrom: z.number().nullable(),
  days: z.array(dayCompletenessSchema),
});

const stationParams = z.object({ id: idSchema.describe('Station id') });
const siteQuery = idSchema
  .optional()
  .describe('Site of the station, needed when two sites have one with this id');

/**
 * GET /api/stations/:id/history on the wire (strings); the server checks the tag against the
 * profile's meanings, the times and the bucket count on top of this.
 */
export const historyQuerySchema = z
  .object({
    tag: z
      .string({
        error:
          'tag is required: a meaning such as pressure.outlet or pump[1].bearing_vibration, or a health series such as health.pump[1].vibration',
      })
      .describe('Meaning, e.g. pressure.outlet or pump[1].bearing_vibration'),
    from: z
      .string()
      .optional()
      .describe('Start (inclusive): ISO 8601 or ms since the epoch. Default: to - 1h'),
    to: z.string().optional().describe('End (inclusive): ISO 8601 or ms since the epoch. Default: now'),
    step: z
      .string()
      .optional()
      .describe('Bucket width, 1s to 7d (e.g. 10s, 5m, 1h), at most 10000 buckets. Default: raw points'),
    site: siteQuery,
  })
  .strict();

/** Days back a completeness answer covers at most. */
export const COMPLETENESS_MAX_DAYS = 366;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const completenessQuerySchema = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(COMPLETENESS_MAX_DAYS)
      .default(7)
      .describe('Days back, today included'),
    site: siteQuery,
    tz: z
      .string()
      .max(64)
      .refine(isTimeZone, 'tz must be an IANA time zone such as Asia/Shanghai or UTC')
      .default('UTC')
      .describe('IANA time zone whose days are counted (the site’s)'),
  })
  .strict();

export const listStations = defineContract({
  method: 'GET',
  path: '/api/stations',
  summary: 'Stations seen since the server started',
  access: ROLES,
  status: 200,
  response: z.array(stationSummarySchema),
});

export const getStation = defineContract({
  method: 'GET',
  path: '/api/stations/:id',
  summary: 'Latest value of every meaning of a station, with quality and age',
  access: ROLES,
  params: stationParams,
  query: z.object({ site: siteQuery }),
  status: 200,
  response: stationViewSchema,
});

export const stationHistory = defineContract({
  method: 'GET',
  path: '/api/stations/:id/history',
  summary: 'Readings of one meaning over time, raw or downsampled in the store',
  access: ROLES,
  params: stationParams,
  query: historyQuerySchema,
  status: 200,
  response: historySchema,
});

export const stationHistoryCsv = defineContract({
  method: 'GET',
  path: '/api/stations/:id/history.csv',
  summary:
    'The same history as a spreadsheet opens it: UTF-8 with BOM, a header row with each meaning and its unit; `tag` may list up to 12 meanings, comma-separated',
  access: ROLES,
  params: stationParams,
  query: historyQuerySchema.extend({
    tag: z
      .string({ error: 'tag is required: one meaning, or several comma-separated' })
      .describe('Meanings, comma-separated'),
  }),
  status: 200,
  response: z.string(),
  contentType: 'text/csv; charset=utf-8',
});

export const stationCompleteness = defineContract({
  method: 'GET',
  path: '/api/stations/:id/completeness',
  summary: 'Readings stored per day against the readings the poll plan expects',
  access: ROLES,
  params: stationParams,
  query: completenessQuerySchema,
  status: 200,
  response: completenessSchema,
});
