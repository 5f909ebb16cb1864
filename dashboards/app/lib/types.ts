/** Shapes of the server's API and live stream, as the dashboards read them (see server/). */
export type Quality = 'good' | 'stale' | 'frozen' | 'out_of_range' | 'comms_failed';

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
export interface Shelf {
  id: number;
  site: string;
  station: string;
  faultClass: string;
  subject: string;
  until: number;
  shelvedBy: string;
  reason: string;
}

/** GET /api/assets/stations: the registered stations and their pumps (the server's rows). */
export interface AssetStation {
  site_id: string;
  id: string;
  name: string;
  pumps: readonly { pump_no: number }[];
}

export type WorkflowState =
  | 'new'
  | 'triaged'
  | 'dispatched'
  | 'on_site'
  | 'resolved'
  | 'signed_off'
  | 'closed';
export type ClockState = 'pending' | 'at_risk' | 'breached' | 'met' | 'met_late' | 'n_a';

export interface SlaClock {
  clock: 'respond' | 'on_site' | 'fix';
  state: ClockState;
  deadline: number | null;
  atRiskAt: number | null;
  metAt: number | null;
}

export interface Ticket {
  id: number;
  site: string;
  station: string;
  pump: number | null;
  faultClass: string | null;
  subject: string;
  title: string;
  description: string;
  severity: Severity;
  source: string;
  state: WorkflowState;
  reportedBy: string;
  contractId: string | null;
  equipment: {
    model: string | null;
    serial: string | null;
    warrantyEnd: string | null;
    inWarranty: boolean | null;
  };
  triage: { mode: string | null; department: string | null };
  dispatch: { technician: string | null; expectedArrival: number | null };
  resolution: {
    workDone: string | null;
    partsUsed: { part: string; quantity: number }[];
    rootCause: string | null;
  };
  signOff: { signerName: string | null; signedAt: number | null };
  occurrences: number;
  reopenCount: number;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  sla: { state: 'ok' | 'at_risk' | 'breached'; clocks: SlaClock[] } | null;
  timeline?: {
    at: number;
    actor: string;
    action: string;
    from: string | null;
    to: string | null;
    note: string;
    data: unknown;
  }[];
}

export interface Session {
  token: string;
  username: string;
  role: 'operator' | 'service' | 'engineer' | 'admin';
  expiresAt: string;
}
