import { z } from 'zod';
import { daySchema, idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/**
 * A station's acceptance record (验收): who accepted it for the customer, the dielectric test and
 * the earth check the source documents require. A passed record starts the warranty and the
 * follow-up calendar; core/acceptance/acceptance-rules.ts holds the test rules.
 */

export const acceptanceBodySchema = z
  .object({
    /** The day the customer accepted the station. */
    acceptedOn: daySchema,
    /** The customer's person who accepted (signed) it. */
    acceptedBy: z.string().trim().min(1).max(100),
    /** The station's nominal supply voltage, V (220 single phase, 380 three phase, or another). */
    nominalVoltage: z.number().positive().max(100_000),
    dielectric: z
      .object({
        /** Test voltage, V a.c. r.m.s. at 50 Hz. */
        testVoltage: z.number().positive().max(100_000),
        /** How long the voltage was held, s. */
        seconds: z.number().int().positive().max(86_400),
        /** No breakdown or flash-over. */
        passed: z.boolean(),
      })
      .strict(),
    earth: z
      .object({
        /** Measured earth resistance, Ω, when measured. */
        resistanceOhms: z.number().min(0).max(10_000).nullable().default(null),
        /** Every metal part reliably earthed, yellow-green conductor of the right section. */
        passed: z.boolean(),
      })
      .strict(),
    notes: z.string().max(2000).default(''),
  })
  .strict();
export type AcceptanceBody = z.output<typeof acceptanceBodySchema>;

export const acceptanceRecordSchema = z.object({
  site: z.string(),
  station: z.string(),
  acceptedOn: z.string(),
  acceptedBy: z.string(),
  /** The signed-in user who recorded it. */
  recordedBy: z.string(),
  recordedAt: z.number(),
  nominalVoltage: z.number(),
  dielectric: z.object({ testVoltage: z.number(), seconds: z.number(), passed: z.boolean() }),
  earth: z.object({ resistanceOhms: z.number().nullable(), passed: z.boolean() }),
  notes: z.string(),
  /** Both tests passed: the station is accepted. */
  passed: z.boolean(),
});
export type AcceptanceRecord = z.infer<typeof acceptanceRecordSchema>;

export const acceptanceViewSchema = z.object({
  /** null: not accepted yet. */
  record: acceptanceRecordSchema.nullable(),
  /** What the record started (or the station's own dates when set otherwise). */
  acceptanceDate: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  /** Per-part warranty ends of the contract's terms, and whether the software is covered for life. */
  parts: z.array(z.object({ part: z.string(), ends: z.string() })),
  softwareLifetime: z.boolean(),
  pumps: z.array(z.object({ pump: z.number(), warrantyEnd: z.string().nullable() })),
  /** The first follow-up visits counted from acceptance (the first, month 3, month 6, then yearly). */
  followUps: z.array(z.object({ months: z.number(), kind: z.string(), due: z.string() })),
});
export type AcceptanceView = z.infer<typeof acceptanceViewSchema>;

const stationParams = z.object({ site: idSchema, station: idSchema });

export const getAcceptance = defineContract({
  method: 'GET',
  path: '/api/assets/stations/:site/:station/acceptance',
  summary: "A station's acceptance record, its warranty and first follow-up visits",
  access: 'signed-in',
  params: stationParams,
  status: 200,
  response: acceptanceViewSchema,
});
export const putAcceptance = defineContract({
  method: 'PUT',
  path: '/api/assets/stations/:site/:station/acceptance',
  summary:
    'Record the acceptance: refused (400, naming the field) when the dielectric test is below what the nominal voltage requires; a passed one starts the warranty and the follow-up calendar',
  access: ['service', 'admin'],
  params: stationParams,
  body: acceptanceBodySchema,
  status: 200,
  response: acceptanceViewSchema,
});
