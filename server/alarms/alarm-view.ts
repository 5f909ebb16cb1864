import type { z } from 'zod';
import type { AlarmStatus } from '../../core/alarms/lifecycle.ts';
import type { Severity } from '../../core/alarms/severity.ts';
import type { alarmSchema } from '../../core/api/alarms.ts';
import type { AlarmRow } from '../db/schema.ts';

/** An alarm as the API and the live stream show it (camelCase, like tickets). */
export type AlarmView = z.infer<typeof alarmSchema>;

export function alarmView(row: AlarmRow): AlarmView {
  return {
    id: row.id,
    site: row.site,
    station: row.station,
    faultClass: row.fault_class,
    subject: row.subject,
    // The store writes only these values (alarm-store.ts), so the text columns hold them.
    severity: row.severity as Severity,
    title: row.title,
    titleCode: row.title_code ?? null,
    titleParams: row.title_params ?? null,
    status: row.status as AlarmStatus,
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
