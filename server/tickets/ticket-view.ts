import type { z } from 'zod';
import type { Severity } from '../../core/alarms/severity.ts';
import type { ticketSchema } from '../../core/api/tickets.ts';
import { type BusinessCalendar, EMPTY_CALENDAR } from '../../core/sla/working-time.ts';
import type { ServiceMode, WorkflowState } from '../../core/tickets/workflow.ts';
import { inWarranty } from '../assets/warranty.ts';
import type { TicketEventRow, TicketRow } from '../db/schema.ts';
import type { SlaPolicy } from '../sla/policies.ts';
import { computeSla } from '../sla/sla-clock.ts';
import { slaEventsOf } from '../sla/sla-events.ts';

/** A ticket as the API and the live stream show it (core/api/tickets.ts). */
export type TicketView = z.infer<typeof ticketSchema>;

/** The API's and the socket's shape of a ticket, with its SLA clocks at `now`. */
export function ticketView(
  row: TicketRow,
  events: TicketEventRow[],
  policy: SlaPolicy | undefined,
  now: number,
  withTimeline = false,
  calendar: BusinessCalendar = EMPTY_CALENDAR,
): TicketView {
  const slaSubject = { severity: row.severity as Severity, source: row.source, dueAt: row.due_at ?? null };
  const view: TicketView = {
    id: row.id,
    site: row.site,
    station: row.station,
    pump: row.pump,
    faultClass: row.fault_class,
    subject: row.subject,
    title: row.title,
    titleCode: row.title_code ?? null,
    titleParams: row.title_params ?? {},
    description: row.description,
    descriptionCode: row.description_code ?? null,
    descriptionParams: row.description_params ?? {},
    severity: row.severity as Severity,
    source: row.source,
    // The store writes only workflow states and service modes (ticket-store.ts).
    state: row.state as WorkflowState,
    reportedBy: row.reported_by,
    contractId: row.contract_id,
    slaPolicyId: row.sla_policy_id,
    equipment: {
      model: row.equipment_model,
      serial: row.equipment_serial,
      warrantyEnd: row.warranty_end,
      // In warranty when the fault was reported: that decides whether the repair is free.
      inWarranty: row.in_warranty ?? inWarranty(row.warranty_end, row.created_at),
    },
    triage: { mode: row.service_mode as ServiceMode | null, department: row.department },
    dispatch: { technician: row.technician, expectedArrival: row.expected_arrival },
    resolution: { workDone: row.work_done, partsUsed: row.parts_used ?? [], rootCause: row.root_cause },
    signOff: { signerName: row.signer_name, signedAt: row.signed_at },
    occurrences: row.occurrence_count,
    reopenCount: row.reopen_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastOccurrenceAt: row.last_occurrence_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    dueAt: row.due_at ?? null,
    sla: policy ? computeSla(policy, slaSubject, slaEventsOf(events), now, calendar) : null,
  };
  if (withTimeline) {
    view.timeline = events.map((event) => ({
      at: event.at,
      actor: event.actor,
      action: event.action,
      from: event.from_state,
      to: event.to_state,
      note: event.note,
      code: event.code ?? null,
      params: event.params ?? {},
      data: event.data,
    }));
  }
  return view;
}
