import { z } from 'zod';
import { defineContract } from './contract.ts';

/** The device profiles the server holds: what the dashboards need to show a reading it does not know. */

const labelSchema = z.object({ en: z.string(), zh: z.string().optional() });

export const profileReadingSchema = z.object({
  meaning: z.string().describe('pump[N].field, a station meaning or custom.<name>'),
  unit: z.string(),
  description: z.string().optional(),
  label: labelSchema.optional().describe("The reading's name in both languages (custom meanings)"),
  enum: z
    .record(z.string(), labelSchema)
    .optional()
    .describe('Code -> label of a state (stored as its code, never averaged)'),
  alarmCodes: z
    .record(
      z.string(),
      labelSchema.extend({
        severity: z.enum(['minor', 'general', 'major']),
        kind: z.enum(['alarm', 'warning']),
      }),
    )
    .optional()
    .describe("The vendor's alarm or warning codes this reading reports"),
});

export const profileReadingsSchema = z.object({
  model: z.string(),
  vendor: z.string(),
  description: z.string(),
  nominalVoltage: z.number(),
  phases: z.number(),
  pumps: z.number(),
  readings: z.array(profileReadingSchema),
});

export const getProfileReadings = defineContract({
  method: 'GET',
  path: '/api/profiles/:model',
  summary: "A device profile's readings: unit, description, enumeration labels and vendor code texts",
  access: 'signed-in',
  params: z.object({ model: z.string().min(1).max(200) }),
  status: 200,
  response: profileReadingsSchema,
});

export const listProfiles = defineContract({
  method: 'GET',
  path: '/api/profiles',
  summary: 'The models of the device profiles in use (reloaded without a restart when their files change)',
  access: 'signed-in',
  status: 200,
  response: z.object({ models: z.array(z.string()) }),
});

export type ProfileReadings = z.infer<typeof profileReadingsSchema>;
