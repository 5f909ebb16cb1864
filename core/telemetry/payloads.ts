import { z } from 'zod';
import { idSchema } from '../ids.ts';

/**
 * Quality of one value, carried from the edge to the store and the dashboards.
 * - good: read this cycle and plausible
 * - stale: the read failed this cycle; the value is the last good one, still recent
 * - frozen: an analog value that has not changed at all for too many reads (stuck sensor)
 * - out_of_range: outside the tag's plausible range in the profile
 * - comms_failed: no recent value at all; `v` is null
 * - not_available: the device answered with its "no value" code (0xFFFF, 0x7FFF, NaN, ... per the
 *   profile); `v` is null: no alarm, not charted
 */
export const QUALITIES = [
  'good',
  'stale',
  'frozen',
  'out_of_range',
  'comms_failed',
  'not_available',
] as const;
export type Quality = (typeof QUALITIES)[number];

/** Station communication state as the edge sees it. */
export const STATION_STATES = ['ok', 'degraded', 'comms_failed'] as const;
export type StationState = (typeof STATION_STATES)[number];

/** Source timestamps in ms since the epoch; plausible: after 2000-01-01, before 2100-01-01. */
const timestampSchema = z
  .number()
  .int()
  .min(946684800000, 'timestamp before 2000-01-01')
  .max(4102444800000, 'timestamp after 2100-01-01');

export const valueSchema = z
  .object({
    v: z.union([z.number().finite(), z.boolean(), z.null()]),
    q: z.enum(QUALITIES),
  })
  .strict();

export const telemetrySchema = z
  .object({
    /** Payload schema version. */
    v: z.literal(1),
    site: idSchema,
    station: idSchema,
    edge: idSchema,
    /** Device profile model, so the server knows units and meanings. */
    model: z.string().min(1).max(128),
    /** Per-station sequence number, +1 per published message. */
    seq: z.number().int().min(0),
    /** Source timestamp: when the values were read (ms since epoch). */
    ts: timestampSchema,
    state: z.enum(STATION_STATES),
    /** Values by tag meaning. */
    values: z.record(z.string().max(64), valueSchema).refine((values) => Object.keys(values).length <= 512, {
      message: 'more than 512 values',
    }),
  })
  .strict();

export type TelemetryValue = z.infer<typeof valueSchema>;
export type Telemetry = z.infer<typeof telemetrySchema>;

/**
 * How an edge's spool stands: writing to disk (ok), or skipped because the disk is full, read-only
 * or the spool cannot be opened (unavailable); then readings go out live, held in memory until acknowledged.
 */
export const SPOOL_STATES = ['ok', 'full', 'read_only', 'unavailable'] as const;
export type SpoolState = (typeof SPOOL_STATES)[number];

export const edgeSpoolSchema = z
  .object({
    state: z.enum(SPOOL_STATES),
    /** Why it is skipped: ENOSPC, EROFS, EACCES, CORRUPT, ... */
    code: z
      .string()
      .regex(/^[A-Z0-9_]{1,32}$/)
      .optional(),
  })
  .strict();
export type EdgeSpool = z.infer<typeof edgeSpoolSchema>;

/** Per poll class: the planned interval, the one the edge aims at now, and the one it achieved. */
const edgePollingSchema = z
  .object({
    stretched: z.boolean(),
    classes: z.record(
      z.string().max(32),
      z
        .object({
          plannedMs: z.number().int().min(0),
          targetMs: z.number().min(0),
          actualMs: z.number().min(0).nullable(),
          lagMs: z.number().min(0),
        })
        .strict(),
    ),
  })
  .strict();

export const edgeStatusSchema = z
  .object({
    v: z.literal(1),
    edge: idSchema,
    site: idSchema,
    online: z.boolean(),
    ts: timestampSchema,
    stations: z.record(idSchema, z.enum(STATION_STATES)).default({}),
    /** The edge agent's software version (optional: edges before 0.1 left it out). */
    version: z.string().min(1).max(64).optional(),
    /** The edge's spool (optional: edges before issue 17 left it out, and a last will has none). */
    spool: edgeSpoolSchema.optional(),
    /** The edge's poll plan when it had to stretch it under overload (optional: absent while as planned). */
    polling: edgePollingSchema.optional(),
  })
  .strict();
export type EdgeStatus = z.infer<typeof edgeStatusSchema>;

export const stationEventSchema = z
  .object({
    v: z.literal(1),
    site: idSchema,
    station: idSchema,
    edge: idSchema,
    ts: timestampSchema,
    type: z.enum(['comms_lost', 'comms_restored', 'modbus_exception']),
    detail: z.string().max(500).default(''),
  })
  .strict();
export type StationEvent = z.infer<typeof stationEventSchema>;
