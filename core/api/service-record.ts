import { z } from 'zod';
import { ROOT_CAUSE_CODES } from '../tickets/root-causes.ts';
import { idSchema, rowIdParams, timeSchema } from './common.ts';
import { defineContract } from './contract.ts';
import { chargeSchema, partCodeSchema } from './parts.ts';
import { PHOTO_LIMITS } from './portal.ts';

/**
 * The on-site service record (售后服务单, issue 19): what the technician did, the parts used from
 * which depot, readings before and after, photos and the customer's signature; the server builds the
 * PDF, archives it with the ticket and e-mails it to the customer and to sales.
 */

export const RECORD_LANGUAGES = ['zh-CN', 'en'] as const;
/**
 * A signature PNG as a data URL, drawn at the device's resolution (up to SIGNATURE_MAX_RATIO device
 * pixels per CSS pixel): a full-width pad on a 3x phone or a 2x desktop is a few tens of kB, a busy
 * one a few hundred. The route takes a JSON body of up to SERVICE_RECORD_BODY_LIMIT for it (every
 * other route 16 kB) and checks the PNG's own header for its size.
 */
export const SIGNATURE_MAX_BYTES = 360_000;
export const SIGNATURE_MAX_PX = { width: 2400, height: 1200 } as const;
export const SIGNATURE_MAX_RATIO = 3;
export const SERVICE_RECORD_BODY_LIMIT = 512 * 1024;

/** A reading by its meaning (outlet pressure, current of phase L1, ...), before and after the work. */
export const readingSchema = z
  .object({
    key: z.string().trim().min(1).max(80),
    before: z.string().trim().max(40).default(''),
    after: z.string().trim().max(40).default(''),
  })
  .strict();

export const usedPartSchema = z
  .object({ part: partCodeSchema, quantity: z.number().int().min(1).max(10_000), depot: idSchema })
  .strict();

export const serviceRecordBodySchema = z
  .object({
    language: z.enum(RECORD_LANGUAGES).default('zh-CN'),
    workDone: z.string().trim().min(1, 'describe the work done').max(5000),
    rootCause: z.enum(ROOT_CAUSE_CODES),
    finishedAt: timeSchema.optional(),
    parts: z.array(usedPartSchema).max(50).default([]),
    readings: z.array(readingSchema).max(30).default([]),
    /** Ids of photos the technician uploaded (POST /api/portal/photos) for this record. */
    photos: z
      .array(z.number().int().positive())
      .max(PHOTO_LIMITS.perRequest * 2)
      .default([]),
    /** The customer's signature, drawn on the phone: `data:image/png;base64,...`. */
    signature: z
      .string()
      .max(Math.ceil((SIGNATURE_MAX_BYTES * 4) / 3) + 32)
      .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'is not a PNG data URL'),
    signerName: z.string().trim().min(1, "the customer's responsible person").max(200),
    /** Resolving while the ticket's alarm is still active needs this: why it is resolved anyway. */
    overrideActiveAlarm: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const serviceRecordSchema = z.object({
  ticketId: z.number(),
  language: z.enum(RECORD_LANGUAGES),
  technician: z.string(),
  arrivedAt: z.number().nullable(),
  finishedAt: z.number(),
  workDone: z.string(),
  rootCause: z.string(),
  parts: z.array(z.object({ part: z.string(), quantity: z.number(), depot: z.string() })),
  readings: z.array(z.object({ key: z.string(), before: z.string(), after: z.string() })),
  photos: z.array(z.number()),
  signerName: z.string(),
  signedAt: z.number(),
  charge: chargeSchema,
  pdfBytes: z.number(),
  /** Addresses the PDF was sent to (the customer's contacts and sales); empty when e-mail is not set up. */
  mailedTo: z.array(z.string()),
});

export const submitServiceRecord = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/service-record',
  summary:
    'Submit the on-site service record: resolves and signs off the ticket, builds, archives and mails the PDF',
  access: ['service', 'admin'],
  params: rowIdParams,
  body: serviceRecordBodySchema,
  status: 201,
  response: z.object({ record: serviceRecordSchema }),
});

export const getServiceRecord = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/service-record',
  summary: "The ticket's service record, or null before one is submitted",
  access: ['operator', 'service', 'engineer', 'admin', 'customer'],
  params: rowIdParams,
  status: 200,
  response: z.object({ record: serviceRecordSchema.nullable() }),
});

export const serviceRecordPdf = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/service-record.pdf',
  summary: "The ticket's archived service record as PDF (售后服务单)",
  access: ['operator', 'service', 'engineer', 'admin', 'customer'],
  params: rowIdParams,
  status: 200,
  contentType: 'application/pdf',
});
