import type { Transaction } from 'kysely';
import type { MessageCode } from '../../core/i18n/render.ts';
import { type CloseField, type CloseRecord, missingCloseFields } from '../../core/quality/close-record.ts';
import { type FaultRecord, type QualityPolicy, qualityReasons } from '../../core/quality/quality-trigger.ts';
import { isFaultTicket, NON_FAULT_SOURCES, type Responsibility } from '../../core/quality/vocabulary.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import type { QualityActionStore } from './quality-action-store.ts';
import { type QualityDatabase, qualityTx } from './quality-schema.ts';

const DAY = 86_400_000;
/** The English refusal names the fields as words: the English reader sees the sentence as sent. */
const FIELD_WORDS: Record<CloseField, string> = {
  rootCause: 'root cause',
  responsibility: 'responsibility (maker, installer, customer, wear or outside cause)',
  correctiveAction: 'corrective action',
  preventiveAction: 'preventive action',
};

/** The quality fields a resolve or close body may carry. */
export interface CloseRecordInput {
  responsibility?: Responsibility | undefined;
  correctiveAction?: string | undefined;
  preventiveAction?: string | undefined;
}

/**
 * What resolving or closing a ticket adds, inside the transition's transaction: a fault ticket must
 * have its root cause, responsibility, corrective and preventive action (stored or in this body), or
 * the step is refused with a 400 and rolls back; resolving a fault then opens a quality action when
 * the fault is major or a repeat (core/quality/quality-trigger.ts).
 */
export function closeStep(
  actions: QualityActionStore,
  policy: QualityPolicy,
  action: string,
  input: CloseRecordInput,
  actor: string,
  at: number,
): ((tx: Transaction<ServiceDatabase>, ticket: TicketRow) => Promise<void>) | undefined {
  if (action !== 'resolve' && action !== 'close') return undefined;
  return async (serviceTx, ticket) => {
    if (!isFaultTicket(ticket.source)) return;
    const tx = qualityTx(serviceTx);
    const stored = await tx
      .selectFrom('ticket_quality_records')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirst();
    const record: CloseRecord = {
      rootCause: ticket.root_cause,
      responsibility: input.responsibility ?? (stored?.responsibility as Responsibility | undefined) ?? null,
      correctiveAction: input.correctiveAction ?? stored?.corrective_action ?? null,
      preventiveAction: input.preventiveAction ?? stored?.preventive_action ?? null,
    };
    const missing = missingCloseFields(ticket.source, record);
    const first = missing[0];
    if (first)
      throw new RefusedError(
        `cannot ${action} fault ticket ${ticket.id} without its ${missing.map((field) => FIELD_WORDS[field]).join(', ')}`,
        400,
        `error.closeNeeds.${first}` as MessageCode,
        { id: ticket.id },
      );
    const values = {
      responsibility: record.responsibility as string,
      corrective_action: record.correctiveAction as string,
      preventive_action: record.preventiveAction as string,
      recorded_by: actor,
      recorded_at: at,
    };
    const given = input.responsibility ?? input.correctiveAction ?? input.preventiveAction;
    if (given !== undefined || !stored)
      await tx
        .insertInto('ticket_quality_records')
        .values({ ticket_id: ticket.id, ...values })
        .onConflict((oc) => oc.column('ticket_id').doUpdateSet(values))
        .execute();
    if (action === 'resolve') await openQualityAction(tx, actions, policy, ticket, at);
  };
}

async function openQualityAction(
  tx: Transaction<QualityDatabase>,
  actions: QualityActionStore,
  policy: QualityPolicy,
  ticket: TicketRow,
  at: number,
): Promise<void> {
  const horizon = Math.max(policy.repeatWindowDays, policy.frequentWindowDays) * DAY;
  let earlierQuery = tx
    .selectFrom('tickets')
    .select(['id', 'site', 'station', 'pump', 'fault_class', 'root_cause', 'created_at'])
    .where('site', '=', ticket.site)
    .where('station', '=', ticket.station)
    .where('id', '<>', ticket.id)
    .where('source', 'not in', [...NON_FAULT_SOURCES])
    .where('created_at', '>=', ticket.created_at - horizon)
    .where('created_at', '<=', ticket.created_at);
  earlierQuery =
    ticket.pump === null
      ? earlierQuery.where('pump', 'is', null)
      : earlierQuery.where('pump', '=', ticket.pump);
  const earlier = (await earlierQuery.execute()).map(faultRecord);
  const current = { ...faultRecord(ticket), severity: ticket.severity };
  const reasons = qualityReasons(current, earlier, policy);
  if (reasons.length === 0) return;
  await actions.openOnce(tx, {
    ticketId: ticket.id,
    site: ticket.site,
    station: ticket.station,
    pump: ticket.pump,
    failureMode: ticket.root_cause ?? ticket.fault_class,
    severity: ticket.severity,
    reasons,
    title: ticket.title,
    owner: policy.manager,
    dueAt: at + policy.dueDays * DAY,
    at,
  });
}

function faultRecord(row: {
  id: number;
  site: string;
  station: string;
  pump: number | null;
  fault_class: string | null;
  root_cause: string | null;
  created_at: number;
}): FaultRecord {
  return {
    id: row.id,
    site: row.site,
    station: row.station,
    pump: row.pump,
    faultClass: row.fault_class,
    rootCause: row.root_cause,
    at: row.created_at,
  };
}
