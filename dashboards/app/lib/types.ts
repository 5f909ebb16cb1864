/** Shapes of the server's API and live stream, as the dashboards read them: the schemas in core/api. */
import type { z } from 'zod';
import type {
  alarmSchema,
  assetStationSchema,
  completenessSchema,
  heldValueSchema,
  sessionSchema,
  shelfSchema,
  stationViewSchema,
  ticketSchema,
} from '../../../core/api/index.ts';
import type { ClockState, ClockView } from '../../../core/api/sla.ts';

export type { AlarmStatus } from '../../../core/alarms/lifecycle.ts';
export type { Severity } from '../../../core/alarms/severity.ts';
export type { Quality } from '../../../core/telemetry/payloads.ts';
export type { WorkflowState } from '../../../core/tickets/workflow.ts';
export type { ClockState };

export type HeldValue = z.infer<typeof heldValueSchema>;
/** GET /api/stations/:id and socket.io `station:update`. */
export type StationView = z.infer<typeof stationViewSchema>;
/** GET /api/stations/:id/completeness */
export type Completeness = z.infer<typeof completenessSchema>;
export type Alarm = z.infer<typeof alarmSchema>;
/** GET /api/alarms/shelves: an alarm (station, fault class, subject) that raises nothing until `until`. */
export type Shelf = z.infer<typeof shelfSchema>;
/** GET /api/assets/stations: the registered stations and their pumps. */
export type AssetStation = z.infer<typeof assetStationSchema>;
export type SlaClock = ClockView;
/** GET /api/tickets/:id and socket.io `ticket`. */
export type Ticket = z.infer<typeof ticketSchema>;
export type Session = z.infer<typeof sessionSchema>;
