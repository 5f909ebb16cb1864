import type { AlarmRow } from '../db/schema.ts';

/** An alarm as the API and the live stream show it (camelCase, like tickets). */
export interface AlarmView {
  id: number;
  site: string;
  station: string;
  faultClass: string;
  /** '' for the station, `pump[N]` for one pump. */
  subject: string;
  severity: string;
  title: string;
  /** active_unack, active_ack, cleared_unack or cleared_ack. */
  status: string;
  raisedAt: number;
  lastRaisedAt: number;
  clearedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  occurrences: number;
  value: unknown;
  ticketId: number | null;
}

export function alarmView(row: AlarmRow): AlarmView {
  return {
    id: row.id,
    site: row.site,
    station: row.station,
    faultClass: row.fault_class,
    subject: row.subject,
    severity: row.severity,
    title: row.title,
    status: row.status,
    raisedAt: row.raised_at,
    lastRaisedAt: row.last_raised_at,
    clearedAt: row.cleared_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    occurrences: row.occurrences,
    value: row.value,
    ticketId: row.ticket_id,
  };
}
