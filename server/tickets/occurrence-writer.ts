import { sql, type Transaction } from 'kysely';
import type { AssetStore } from '../assets/asset-store.ts';
import { inWarranty } from '../assets/warranty.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import { decideTicket, type FaultTicket, type TicketDecision } from './ticket-decision.ts';
import { type EventNote, insertTicketEvent } from './ticket-events.ts';
import type { FaultOccurrence, OccurrenceOutcome } from './ticket-store.ts';
import { OPEN_STATES, type WorkflowState } from './workflow.ts';

const CLOSED_STATES: WorkflowState[] = ['resolved', 'signed_off', 'closed'];

function faultTicketOf(row: TicketRow): FaultTicket {
  return {
    id: row.id,
    state: row.state as WorkflowState,
    resolvedAt: row.resolved_at,
    lastOccurrenceAt: row.last_occurrence_at,
  };
}

/**
 * Reads and locks the fault's open and last resolved tickets, lets decideTicket choose, and writes
 * the choice, all in the caller's transaction `tx` (which retries on a unique violation).
 */
export async function recordOccurrence(
  tx: Transaction<ServiceDatabase>,
  assets: AssetStore,
  fault: FaultOccurrence,
): Promise<{ ticket: TicketRow; outcome: OccurrenceOutcome }> {
  const ofFault = tx
    .selectFrom('tickets')
    .selectAll()
    .where('site', '=', fault.site)
    .where('station', '=', fault.station)
    .where('fault_class', '=', fault.faultClass)
    .where('subject', '=', fault.subject);
  const open = await ofFault.where('state', 'in', OPEN_STATES).forUpdate().executeTakeFirst();
  const lastResolved = open
    ? undefined
    : await ofFault
        .where('state', 'in', CLOSED_STATES)
        .where('resolved_at', 'is not', null)
        .orderBy('resolved_at', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
  const decision = decideTicket({
    open: open && faultTicketOf(open),
    lastResolved: lastResolved && faultTicketOf(lastResolved),
    fault: { source: fault.source ?? 'alarm', at: fault.at },
    reopenWindowMs: fault.reopenWindowMs ?? 0,
  });
  return await writeDecision(tx, assets, fault, decision);
}

/** Writes what decideTicket chose; no choice is made here. */
async function writeDecision(
  tx: Transaction<ServiceDatabase>,
  assets: AssetStore,
  fault: FaultOccurrence,
  decision: TicketDecision,
): Promise<{ ticket: TicketRow; outcome: OccurrenceOutcome }> {
  const actor = fault.actor ?? 'system';
  const data = JSON.stringify({ alarmId: fault.alarmId ?? null, severity: fault.severity });
  /** One line of the ticket's timeline, at the fault's time, by its actor, with its data. */
  const event = (ticketId: number, action: string, from: string | null, to: string | null, note: EventNote) =>
    insertTicketEvent(tx, { ticketId, at: fault.at, actor, action, from, to, note, data });
  switch (decision.kind) {
    case 'occurrence': {
      const ticket = await tx
        .updateTable('tickets')
        .set({
          occurrence_count: sql`occurrence_count + 1`,
          last_occurrence_at: decision.lastOccurrenceAt,
          updated_at: fault.at,
        })
        .where('id', '=', decision.ticketId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await event(ticket.id, 'occurrence', null, null, titleNote(fault));
      return { ticket, outcome: 'occurrence' };
    }
    case 'reopen': {
      const ticket = await tx
        .updateTable('tickets')
        .set({
          state: decision.to,
          reopen_count: sql`reopen_count + 1`,
          occurrence_count: sql`occurrence_count + 1`,
          last_occurrence_at: fault.at,
          updated_at: fault.at,
          resolved_at: null,
          closed_at: null,
        })
        .where('id', '=', decision.ticketId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await event(ticket.id, 'reopen', decision.from, decision.to, {
        text: decision.note,
        code: 'event.reopened',
        params: { minutes: Math.round((fault.reopenWindowMs ?? 0) / 60_000) },
      });
      await event(ticket.id, 'occurrence', null, null, titleNote(fault));
      return { ticket, outcome: 'reopened' };
    }
    case 'open': {
      const equipment = await assets.equipment(fault.site, fault.station, fault.pump, tx);
      const ticket = await tx
        .insertInto('tickets')
        .values({
          site: fault.site,
          station: fault.station,
          pump: fault.pump,
          fault_class: fault.faultClass,
          subject: fault.subject,
          title: fault.title,
          title_code: fault.titleCode ?? null,
          title_params: JSON.stringify(fault.titleParams ?? {}),
          description: fault.description ?? '',
          description_code: fault.descriptionCode ?? null,
          description_params: JSON.stringify(fault.descriptionParams ?? {}),
          severity: fault.severity,
          source: fault.source ?? 'alarm',
          state: 'new',
          reported_by: actor,
          contract_id: equipment.contractId,
          sla_policy_id: equipment.slaPolicyId,
          equipment_model: equipment.model,
          equipment_serial: equipment.serial,
          warranty_end: equipment.warrantyEnd,
          in_warranty: inWarranty(equipment.warrantyEnd, fault.at),
          parts_used: '[]',
          occurrence_count: 1,
          reopen_count: 0,
          created_at: fault.at,
          updated_at: fault.at,
          last_occurrence_at: fault.at,
          due_at: fault.dueAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await event(ticket.id, 'open', null, 'new', titleNote(fault));
      return { ticket, outcome: 'opened' };
    }
  }
}

/** The fault's title as a timeline note, with its core/i18n code when the server wrote it. */
function titleNote(fault: FaultOccurrence): EventNote {
  return { text: fault.title, code: fault.titleCode, params: fault.titleParams };
}
