import { z } from 'zod';
import { commandViewSchema } from '../commands/payloads.ts';
import { QUALITIES, STATION_STATES, stationEventSchema } from '../telemetry/payloads.ts';

/**
 * Every event of the live stream (socket.io) and of the server's service events, defined once:
 * the server's `Server<ClientToServerEvents, ServerToClientEvents>` and the dashboards'
 * `Socket<ServerToClientEvents, ClientToServerEvents>` both take their types from here.
 *
 * Every server-to-client payload names its site (and station, when it has one): the server sends
 * it only to that site's and station's rooms.
 */

const liveId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, _ or -');

/** `subscribe` / `unsubscribe` payload: one station (optionally of one site) or a whole site. */
export const roomRequestSchema = z.union([
  z.object({ station: liveId, site: liveId.optional() }).strict(),
  z.object({ site: liveId }).strict(),
]);
export type RoomRequest = z.infer<typeof roomRequestSchema>;

/** The ack of `subscribe` / `unsubscribe`: the rooms joined (or left), or why not. */
export const roomAckSchema = z.union([
  z.object({ ok: z.literal(true), rooms: z.array(z.string()) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type RoomAck = z.infer<typeof roomAckSchema>;

export const stationRoom = (site: string, station: string) => `station:${site}/${station}`;
export const siteRoom = (site: string) => `site:${site}`;

const heldValueSchema = z.object({
  v: z.union([z.number(), z.boolean(), z.null()]),
  q: z.enum(QUALITIES),
  ts: z.number(),
  ageMs: z.number(),
  unit: z.string().optional(),
});

/** `station:update`: a station's latest values with age and unit (as GET /api/stations/:id). */
export const stationViewSchema = z.object({
  site: liveId,
  station: liveId,
  edge: z.string(),
  model: z.string(),
  state: z.enum(STATION_STATES),
  seq: z.number(),
  ts: z.number(),
  ageMs: z.number(),
  values: z.record(z.string(), heldValueSchema),
});
export type StationView = z.infer<typeof stationViewSchema>;

export type { StationEvent } from '../telemetry/payloads.ts';
/** `station:event`: comms lost/restored and Modbus exceptions as the edge published them. */
export { stationEventSchema };

// Alarm, ticket and health shapes hold only what routing and the clients read (z.object keeps
// the rest of a payload's fields out of the type, not off the wire): the HTTP response schemas of
// alarms and tickets are their full description and may replace these.
const liveAlarmSchema = z.object({ id: z.number(), site: liveId, station: liveId, status: z.string() });
const liveShelfSchema = z.object({ id: z.number(), site: liveId, station: liveId, until: z.number() });
const liveTicketSchema = z.object({
  id: z.number(),
  state: z.string(),
  site: liveId,
  station: liveId,
  faultClass: z.string().nullable().optional(),
  subject: z.string().optional(),
});
const escalationSchema = z.object({
  clock: z.string(),
  level: z.enum(['at_risk', 'breached']),
  at: z.number(),
});
const healthScoreSchema = z.object({ score: z.number() });

export const ALARM_CHANGES = ['raised', 'raised_again', 'cleared', 'acknowledged'] as const;

/** `alarm`: an alarm's lifecycle moved, or a shelf was put on a station's alarms. */
export const alarmEventSchema = z.union([
  z.object({ change: z.enum(ALARM_CHANGES), alarm: liveAlarmSchema }),
  z.object({ change: z.literal('shelved'), shelf: liveShelfSchema }),
]);
export type AlarmEvent = z.infer<typeof alarmEventSchema>;

/** `ticket`: opened, another occurrence, reopened, a workflow action, or an SLA escalation. */
export const ticketEventSchema = z.object({
  change: z.string(),
  ticket: liveTicketSchema,
  escalation: escalationSchema.optional(),
});
export type TicketEvent = z.infer<typeof ticketEventSchema>;

/** `health`: a station's health after each hour its model closes. */
export const healthEventSchema = z.object({
  site: liveId,
  station: liveId,
  at: z.number(),
  health: z.object({ station: healthScoreSchema, pumps: z.record(z.string(), healthScoreSchema) }),
});
export type HealthEvent = z.infer<typeof healthEventSchema>;

/** Server-to-client payload schemas by event name. */
export const serverToClientSchemas = {
  'station:update': stationViewSchema,
  'station:event': stationEventSchema,
  alarm: alarmEventSchema,
  ticket: ticketEventSchema,
  health: healthEventSchema,
  /** A remote command was sent or settled (core/commands/payloads.ts). */
  command: commandViewSchema,
} as const;

export type ServerToClientEvents = {
  [E in keyof typeof serverToClientSchemas]: (payload: z.infer<(typeof serverToClientSchemas)[E]>) => void;
};

export interface ClientToServerEvents {
  subscribe: (request: RoomRequest, ack?: (answer: RoomAck) => void) => void;
  unsubscribe: (request: RoomRequest, ack?: (answer: RoomAck) => void) => void;
}

/** The site (and station) a server-to-client event belongs to: its rooms. */
export function scopeOf<E extends keyof ServerToClientEvents>(
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
): { site: string; station: string } {
  const p = payload as AlarmEvent | TicketEvent | StationView | HealthEvent;
  if (event === 'alarm') return 'shelf' in p ? (p as { shelf: Scope }).shelf : (p as { alarm: Scope }).alarm;
  if (event === 'ticket') return (p as TicketEvent).ticket;
  return p as Scope;
}
type Scope = { site: string; station: string };

/** The server's own events between its parts (alarm engine, routes, predictive, live stream). */
export interface ServiceEventMap {
  alarm: AlarmEvent;
  ticket: TicketEvent;
  /** A site's thresholds changed: models and rules reload them. */
  thresholds: { site: string };
}
