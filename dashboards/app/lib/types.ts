/** Shapes of the server's API and live stream, as the dashboards read them (see server/). */
import type { Shelf } from '../../../server/alarms/alarm-store.ts';
import type { ClockView } from '../../../server/sla/sla-clock.ts';
import type { TicketView } from '../../../server/tickets/ticket-view.ts';
import type { WorkflowState } from '../../../server/tickets/workflow.ts';

export type { Quality } from '../../../core/telemetry/payloads.ts';

import type { Quality } from '../../../core/telemetry/payloads.ts';

export interface HeldValue {
  v: number | boolean | null;
  q: Quality;
  ts: number;
  ageMs: number;
  unit?: string;
}

/** GET /api/stations/:id and socket.io `station:update`. */
export interface StationView {
  site: string;
  station: string;
  edge: string;
  model: string;
  state: 'ok' | 'degraded' | 'comms_failed';
  seq: number;
  ts: number;
  ageMs: number;
  values: Record<string, HeldValue>;
}

export type Severity = 'minor' | 'general' | 'major';
export type AlarmStatus = 'active_unack' | 'active_ack' | 'cleared_unack' | 'cleared_ack';

/** GET /api/stations/:id/completeness */
export interface Completeness {
  expected: number;
  stored: number;
  ratio: number | null;
  days: Array<{ day: string; expected: number; stored: number; ratio: number | null }>;
}

export interface Alarm {
  id: number;
  site: string;
  station: string;
  faultClass: string;
  subject: string;
  severity: Severity;
  title: string;
  status: AlarmStatus;
  raisedAt: number;
  lastRaisedAt: number;
  clearedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  occurrences: number;
  ticketId: number | null;
}

/** GET /api/alarms/shelves: an alarm (station, fault class, subject) that raises nothing until `until`. */
export type { Shelf };

/** GET /api/assets/stations: the registered stations and their pumps (the server's rows). */
export interface AssetStation {
  site_id: string;
  id: string;
  name: string;
  pumps: readonly { pump_no: number }[];
}

export type { WorkflowState };
export type ClockState = ClockView['state'];
export type SlaClock = ClockView;

/** GET /api/tickets/:id and socket.io `ticket`: the server's ticket view. */
export type Ticket = Omit<TicketView, 'state'> & { state: WorkflowState };

export interface Session {
  token: string;
  username: string;
  role: 'operator' | 'service' | 'engineer' | 'admin';
  expiresAt: string;
}
