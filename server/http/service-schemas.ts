import { z } from 'zod';
import { FAULT_CLASSES } from '../alarms/catalogue.ts';
import { ALARM_STATUSES } from '../alarms/lifecycle.ts';
import { SEVERITIES } from '../alarms/severity.ts';
import { thresholdsPatchSchema } from '../alarms/thresholds.ts';
import { slaPolicySchema } from '../sla/policies.ts';
import { ROOT_CAUSE_CODES } from '../tickets/root-causes.ts';
import { DEPARTMENTS, SERVICE_MODES, WORKFLOW_STATES } from '../tickets/workflow.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, _ or -');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** Comma-separated list in a query string: `state=new,triaged`. */
const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));
const time = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

export const idParam = z.object({ id: z.coerce.number().int().positive() });

export const alarmQuery = z.object({
  state: listOf(ALARM_STATUSES).optional(),
  site: id.optional(),
  station: id.optional(),
  severity: z.enum(SEVERITIES).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const ackBody = z.object({ note: z.string().max(2000).default('') }).strict();

export const shelveBody = z
  .object({
    site: id,
    station: id,
    faultClass: z.enum(FAULT_CLASSES),
    subject: z.string().max(64).default(''),
    /** How long the shelf holds, 1 min to 7 days. */
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    reason: z.string().min(1, 'say why the alarm is shelved').max(500),
  })
  .strict();

export const ticketQuery = z.object({
  state: listOf(WORKFLOW_STATES).optional(),
  site: id.optional(),
  station: id.optional(),
  severity: z.enum(SEVERITIES).optional(),
  sla: listOf(['ok', 'at_risk', 'breached'] as const).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const manualTicketBody = z
  .object({
    site: id,
    station: id,
    pump: z.number().int().min(1).max(9).nullable().default(null),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).default(''),
    severity: z.enum(SEVERITIES),
    source: z.enum(['phone', 'email', 'web', 'visit']),
    reportedBy: z.string().min(1, 'who reported it (name and phone)').max(200),
  })
  .strict();

const note = z.string().max(2000).default('');

export const transitionBody = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('triage'),
      mode: z.enum(SERVICE_MODES),
      department: z.enum(DEPARTMENTS),
      note,
    })
    .strict(),
  z
    .object({
      action: z.literal('dispatch'),
      technician: z.string().min(1).max(200),
      expectedArrival: time,
      note,
    })
    .strict(),
  z.object({ action: z.literal('arrive'), note }).strict(),
  z
    .object({
      action: z.literal('resolve'),
      workDone: z.string().min(1, 'describe the work done').max(5000),
      partsUsed: z
        .array(
          z
            .object({ part: z.string().min(1).max(200), quantity: z.number().int().min(1).max(10_000) })
            .strict(),
        )
        .max(100)
        .default([]),
      rootCause: z.enum(ROOT_CAUSE_CODES),
      note,
    })
    .strict(),
  z
    .object({
      action: z.literal('sign_off'),
      signerName: z.string().min(1).max(200),
      signedAt: time.optional(),
      note,
    })
    .strict(),
  z.object({ action: z.literal('close'), note }).strict(),
  z
    .object({
      action: z.literal('reopen'),
      note: z.string().min(1, 'say why the ticket is reopened').max(2000),
    })
    .strict(),
]);

export const reliabilityQuery = z.object({
  by: z.enum(['station', 'pump_model', 'failure_mode']).default('station'),
  from: time.optional(),
  to: time.optional(),
});
/** Query values arrive as strings; numbers in ms are coerced before the schema above. */
export function coerceTimes(query: Record<string, unknown>): Record<string, unknown> {
  const out = { ...query };
  for (const key of ['from', 'to']) {
    const value = out[key];
    if (typeof value === 'string' && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

export const contractBody = z
  .object({
    customerId: id,
    name: z.string().min(1).max(200),
    slaPolicyId: z.string().regex(/^[a-z0-9-]{1,64}$/),
    startsOn: day,
    endsOn: day.nullable().default(null),
    warrantyTerms: z.string().max(2000).default(''),
  })
  .strict();

export const stationBody = z
  .object({
    name: z.string().min(1).max(200),
    model: z.string().max(128).default(''),
    serialNumber: z.string().max(128).default(''),
    acceptanceDate: day.nullable().default(null),
    warrantyEnd: day.nullable().default(null),
    contractId: id.nullable().default(null),
  })
  .strict();

export const pumpBody = z
  .object({
    model: z.string().max(128).default(''),
    serialNumber: z.string().max(128).default(''),
    acceptanceDate: day.nullable().default(null),
    warrantyEnd: day.nullable().default(null),
  })
  .strict();

export const thresholdsBody = thresholdsPatchSchema;
export const policyBody = slaPolicySchema;
