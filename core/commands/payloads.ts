import { z } from 'zod';
import { idSchema } from '../ids.ts';

/**
 * Remote commands (issue 16, item 5), defined once for the API, the MQTT link, the edge and the
 * dashboards. A command goes down on `aftercare/v1/{site}/{station}/commands`; the edge answers on
 * `aftercare/v1/{site}/{station}/command-results` (core/telemetry/topics.ts).
 */
export const COMMAND_KINDS = [
  'reset_trip',
  'switch_duty',
  'set_pressure',
  'start_pump',
  'stop_pump',
] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Kinds that act on one pump (the request names it); `set_pressure` carries a value instead. */
export const PUMP_COMMANDS: ReadonlySet<CommandKind> = new Set([
  'reset_trip',
  'switch_duty',
  'start_pump',
  'stop_pump',
]);
export const VALUE_COMMANDS: ReadonlySet<CommandKind> = new Set(['set_pressure']);

/** Time to live of a command: default and cap, ms. */
export const COMMAND_TTL = { defaultMs: 30_000, minMs: 5_000, maxMs: 120_000 } as const;

/** Where a command stands: sent and waiting, confirmed by read-back, refused, or no answer in time. */
export const COMMAND_STATUSES = ['pending', 'confirmed', 'refused', 'expired'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** Why a command did not happen. Codes are message codes `command.refused.<code>` (core/i18n). */
export const REFUSAL_CODES = [
  // decided by the server before anything is sent
  'offline',
  'last_running_pump',
  'unsupported',
  'no_pump',
  'bad_value',
  'no_broker',
  // answered by the edge
  'expired',
  'unknown_station',
  'write_failed',
  'not_confirmed',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const pumpSchema = z.number().int().min(1).max(9);
const timeSchema = z.number().int().min(946684800000).max(4102444800000);

/** `POST /api/stations/:site/:station/commands` body. */
export const commandRequestSchema = z
  .object({
    command: z.enum(COMMAND_KINDS),
    /** The pump of a pump command (reset_trip, switch_duty, start_pump, stop_pump). */
    pump: pumpSchema.optional(),
    /** The value of set_pressure, in the set point tag's unit (bar). */
    value: z.number().finite().optional(),
    /** Time to live, ms (default 30 s, at most 120 s). */
    ttlMs: z.number().int().min(COMMAND_TTL.minMs).max(COMMAND_TTL.maxMs).optional(),
    /** The second confirmation that stopping the last running pump is meant. */
    confirmLastPump: z.boolean().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (PUMP_COMMANDS.has(body.command) && body.pump === undefined)
      ctx.addIssue({ code: 'custom', path: ['pump'], message: `${body.command} needs a pump` });
    if (!PUMP_COMMANDS.has(body.command) && body.pump !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pump'], message: `${body.command} takes no pump` });
    if (VALUE_COMMANDS.has(body.command) && body.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${body.command} needs a value` });
    if (!VALUE_COMMANDS.has(body.command) && body.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${body.command} takes no value` });
  });
export type CommandRequest = z.infer<typeof commandRequestSchema>;

/** What the server publishes on a station's commands topic (QoS 1, not retained). */
export const commandMessageSchema = z
  .object({
    v: z.literal(1),
    id: z.uuid(),
    site: idSchema,
    station: idSchema,
    kind: z.enum(COMMAND_KINDS),
    pump: pumpSchema.optional(),
    value: z.number().finite().optional(),
    issuedAt: timeSchema,
    /** The edge refuses the command at or after this instant (its own clock). */
    expiresAt: timeSchema,
    by: z.string().min(1).max(64),
  })
  .strict()
  .refine((m) => m.expiresAt > m.issuedAt, {
    path: ['expiresAt'],
    message: 'expiresAt must be after issuedAt',
  });
export type CommandMessage = z.infer<typeof commandMessageSchema>;

/** What the edge publishes on the station's command-results topic. */
export const commandResultSchema = z
  .object({
    v: z.literal(1),
    id: z.uuid(),
    site: idSchema,
    station: idSchema,
    edge: idSchema,
    status: z.enum(['confirmed', 'refused']),
    /** Why it was refused (absent when confirmed). */
    code: z.enum(REFUSAL_CODES).optional(),
    /** The value read back after the write (engineering units), null when nothing was read. */
    readBack: z.union([z.number(), z.boolean(), z.null()]).default(null),
    detail: z.string().max(500).default(''),
    ts: timeSchema,
  })
  .strict()
  .refine((r) => (r.status === 'refused') === (r.code !== undefined), {
    path: ['code'],
    message: 'a refused result carries a code, a confirmed one none',
  });
export type CommandResult = z.infer<typeof commandResultSchema>;

/** A command as the API lists it and the live stream sends it (event `command`). */
export const commandViewSchema = z.object({
  id: z.string(),
  site: idSchema,
  station: idSchema,
  kind: z.enum(COMMAND_KINDS),
  pump: z.number().nullable(),
  value: z.number().nullable(),
  status: z.enum(COMMAND_STATUSES),
  code: z.enum(REFUSAL_CODES).nullable(),
  detail: z.string(),
  readBack: z.union([z.number(), z.boolean(), z.null()]),
  by: z.string(),
  role: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  settledAt: z.number().nullable(),
});
export type CommandView = z.infer<typeof commandViewSchema>;
