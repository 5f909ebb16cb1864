import { z } from 'zod';
import { QUALITIES, STATION_STATES } from '../../core/telemetry/payloads.ts';

/** Response shapes, for the OpenAPI document (the handlers build them from typed objects). */
const heldValue = z.object({
  v: z.union([z.number(), z.boolean(), z.null()]),
  q: z.enum(QUALITIES),
  ts: z.number().describe('Source timestamp, ms since the epoch'),
  ageMs: z.number().describe('Now minus ts'),
  unit: z.string().optional(),
});

export const stationViewSchema = z.object({
  site: z.string(),
  station: z.string(),
  edge: z.string(),
  model: z.string(),
  state: z.enum(STATION_STATES),
  seq: z.number(),
  ts: z.number(),
  ageMs: z.number(),
  values: z.record(z.string(), heldValue).describe('Latest value by meaning'),
});

export const stationSummarySchema = z.object({
  site: z.string(),
  station: z.string(),
  edge: z.string(),
  model: z.string(),
  state: z.enum(STATION_STATES),
  ts: z.number(),
  ageMs: z.number(),
  values: z.number().describe('Number of meanings held'),
});

export const historySchema = z.object({
  site: z.string(),
  station: z.string(),
  tag: z.string(),
  from: z.number(),
  to: z.number(),
  step: z.number().optional().describe('Bucket width in ms when downsampled'),
  points: z.array(
    z.object({
      ts: z.number().describe('Point time, or bucket start (epoch-aligned) when stepped'),
      value: z
        .union([z.number(), z.boolean()])
        .describe('Raw value; when stepped the average (fraction true for booleans)'),
      q: z.enum(QUALITIES).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
    }),
  ),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  broker: z.object({ url: z.string(), connected: z.boolean() }),
  store: z.object({
    kind: z.enum(['influxdb', 'pglite']),
    ok: z.boolean(),
    version: z.string().optional(),
    writePath: z.string().optional(),
    queued: z.number(),
    lastError: z.string().optional(),
  }),
  edges: z.array(
    z.object({
      site: z.string(),
      edge: z.string(),
      online: z.boolean(),
      ts: z.number(),
      stations: z.record(z.string(), z.enum(STATION_STATES)),
      receivedAt: z.number(),
    }),
  ),
});

export const errorSchema = z.object({
  error: z.string(),
  /** The sentence as a core/i18n message code, to render in the reader's language. */
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
