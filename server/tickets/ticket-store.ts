import type { Kysely, Transaction } from 'kysely';
import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';
import type { Severity } from '../alarms/severity.ts';
import { AssetStore } from '../assets/asset-store.ts';
import { inWarranty } from '../assets/warranty.ts';
import { isUniqueViolation, RefusedError, retryOnUniqueViolation } from '../db/errors.ts';
import { containsPattern, siteIn } from '../db/list-filters.ts';
import type { ServiceDatabase, TicketEventRow, TicketRow } from '../db/schema.ts';
import { recordOccurrence } from './occurrence-writer.ts';
import type { FailureRecord } from './reliability.ts';
import { changesFor } from './ticket-changes.ts';
import type { TicketSource } from './ticket-decision.ts';
import { type EventNote, insertTicketEvent } from './ticket-events.ts';

export type { EventNote } from './ticket-events.ts';

import {
  applyAction,
  type Department,
  type ServiceMode,
  type TicketAction,
  type WorkflowState,
} from './workflow.ts';

export interface FaultOccurrence {
  site: string;
  station: string;
  pump: number | null;
  faultClass: string;
  /** '' for the station, `pump[N]` or a tag meaning. */
  subject: string;
  title: string;
  description?: string;
  /** The title as a core/i18n code, for readers of other languages; none: `title` is all there is. */
  titleCode?: MessageCode;
  titleParams?: MessageParams;
  descriptionCode?: MessageCode;
  descriptionParams?: MessageParams;
  severity: Severity;
  at: number;
  /** The ticket policy's reopen window (ticket-decision.ts: only an alarm's fault reopens). Default 0. */
  reopenWindowMs?: number;
  actor?: string;
  alarmId?: number;
  /** Where the ticket came from. Default 'alarm'. */
  source?: TicketSource;
  /** Planned and predictive work: when it is due (core/sla/due-dates.ts). */
  dueAt?: number | null;
}

export type OccurrenceOutcome = 'opened' | 'occurrence' | 'reopened';

export interface ManualTicketInput {
  site: string;
  station: string;
  pump: number | null;
  title: string;
  description: string;
  severity: Severity;
  source: 'phone' | 'email' | 'web' | 'visit';
  reportedBy: string;
  at: number;
  actor: string;
}

/** Fields an action records; each action reads its own. */
export interface TransitionDetails {
  mode?: ServiceMode;
  department?: Department;
  technician?: string;
  expectedArrival?: number;
  workDone?: string;
  partsUsed?: { part: string; quantity: number }[];
  rootCause?: string;
  signerName?: string;
  signedAt?: number;
  /** Recorded by server/quality/close-step.ts in its own table, beside the transition. */
  responsibility?: string;
  correctiveAction?: string;
  preventiveAction?: string;
}

export interface TicketFilter {
  states?: WorkflowState[];
  site?: string;
  /** Only these sites (a user's scope). */
  sites?: readonly string[];
  station?: string;
  severity?: Severity;
  text?: string;
  limit?: number;
}

type Db = Kysely<ServiceDatabase> | Transaction<ServiceDatabase>;

/** Tickets, their occurrences and audit trail. The database enforces one open ticket per fault. */
export class TicketStore {
  constructor(
    private readonly db: Kysely<ServiceDatabase>,
    /** Where a new ticket's contract, SLA policy and warranty are read from (in its transaction). */
    private readonly assets = new AssetStore(db),
  ) {}

  /**
   * Adds an occurrence to the open ticket of this station and fault, reopens the one resolved
   * within the window, or opens a new one, as decideTicket chooses over the fault's tickets (read
   * and locked in the transaction). Safe under concurrent callers and server instances: a lost race
   * to open breaks the unique partial index, and the transaction runs again. Inside the caller's
   * transaction `tx`, the caller retries (retryOnUniqueViolation): a refused row aborts it whole.
   */
  async openOrAddOccurrence(
    fault: FaultOccurrence,
    tx?: Transaction<ServiceDatabase>,
  ): Promise<{ ticket: TicketRow; outcome: OccurrenceOutcome }> {
    if (tx) return await recordOccurrence(tx, this.assets, fault);
    return await retryOnUniqueViolation(() =>
      this.db.transaction().execute((inner) => recordOccurrence(inner, this.assets, fault)),
    );
  }

  /** A ticket from a customer's call, email or web form, in the same workflow. */
  async createManual(input: ManualTicketInput): Promise<TicketRow> {
    return await this.db.transaction().execute(async (tx) => {
      const equipment = await this.assets.equipment(input.site, input.station, input.pump, tx);
      const ticket = await tx
        .insertInto('tickets')
        .values({
          site: input.site,
          station: input.station,
          pump: input.pump,
          fault_class: null,
          subject: input.pump === null ? '' : `pump[${input.pump}]`,
          title: input.title,
          description: input.description,
          severity: input.severity,
          source: input.source,
          state: 'new',
          reported_by: input.reportedBy,
          contract_id: equipment.contractId,
          sla_policy_id: equipment.slaPolicyId,
          equipment_model: equipment.model,
          equipment_serial: equipment.serial,
          warranty_end: equipment.warrantyEnd,
          in_warranty: inWarranty(equipment.warrantyEnd, input.at),
          parts_used: '[]',
          occurrence_count: 1,
          reopen_count: 0,
          created_at: input.at,
          updated_at: input.at,
          last_occurrence_at: input.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const data = JSON.stringify({ source: input.source, reportedBy: input.reportedBy });
      await this.addEvent(tx, ticket.id, input.at, input.actor, 'open', null, 'new', input.title, data);
      return ticket;
    });
  }

  /** Applies a workflow action; refuses illegal ones with the reason (RefusedError 404/409/400). */
  async transition(
    id: number,
    action: TicketAction,
    details: TransitionDetails,
    actor: string,
    at: number,
    note = '',
    /** Runs in the transition's transaction on the updated ticket; throwing refuses the step. */
    within?: (tx: Transaction<ServiceDatabase>, updated: TicketRow) => Promise<void>,
  ): Promise<TicketRow> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const ticket = await tx
          .selectFrom('tickets')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!ticket) throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
        const from = ticket.state as WorkflowState;
        const result = applyAction({ state: from, mode: ticket.service_mode as ServiceMode | null }, action);
        if (!result.ok) throw new RefusedError(result.reason, 409, result.code, result.params);
        const changes = changesFor(action, details, at);
        const updated = await tx
          .updateTable('tickets')
          .set({ ...changes, state: result.to, updated_at: at })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await within?.(tx, updated);
        const data = JSON.stringify({ action, ...details });
        await this.addEvent(
          tx,
          id,
          at,
          actor,
          action === 'reopen' ? 'reopen' : 'transition',
          from,
          result.to,
          note,
          data,
        );
        return updated;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new RefusedError(
          `cannot ${action} ticket ${id}: another open ticket exists for this fault`,
          409,
          'error.duplicateOpen',
          { action, id },
        );
      }
      throw error;
    }
  }

  async get(id: number): Promise<TicketRow | undefined> {
    return await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async events(id: number): Promise<TicketEventRow[]> {
    return await this.db
      .selectFrom('ticket_events')
      .selectAll()
      .where('ticket_id', '=', id)
      .orderBy('id')
      .execute();
  }

  /** Events of many tickets at once, grouped by ticket id. */
  async eventsOf(ids: number[]): Promise<Map<number, TicketEventRow[]>> {
    const grouped = new Map<number, TicketEventRow[]>();
    if (ids.length === 0) return grouped;
    const rows = await this.db
      .selectFrom('ticket_events')
      .selectAll()
      .where('ticket_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const row of rows) grouped.set(row.ticket_id, [...(grouped.get(row.ticket_id) ?? []), row]);
    return grouped;
  }

  async list(filter: TicketFilter = {}): Promise<TicketRow[]> {
    let query = this.db.selectFrom('tickets').selectAll();
    if (filter.states?.length) query = query.where('state', 'in', filter.states);
    if (filter.site) query = query.where('site', '=', filter.site);
    if (filter.sites) query = query.where(siteIn(filter.sites));
    if (filter.station) query = query.where('station', '=', filter.station);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.text) {
      const pattern = containsPattern(filter.text);
      query = query.where((eb) =>
        eb.or([
          eb('title', 'ilike', pattern),
          eb('description', 'ilike', pattern),
          eb('station', 'ilike', pattern),
        ]),
      );
    }
    return await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 200)
      .execute();
  }

  /** Failures (every ticket) opened in [from, to), with the pump model, for MTBF/MTTR. */
  async failureRecords(from: number, to: number): Promise<FailureRecord[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .leftJoin('pumps', (join) =>
        join
          .onRef('pumps.site_id', '=', 'tickets.site')
          .onRef('pumps.station_id', '=', 'tickets.station')
          .onRef('pumps.pump_no', '=', 'tickets.pump'),
      )
      .select([
        'tickets.site',
        'tickets.station',
        'tickets.source',
        'tickets.fault_class',
        'tickets.root_cause',
        'tickets.created_at',
        'tickets.resolved_at',
        'pumps.model',
      ])
      .where('tickets.created_at', '>=', from)
      .where('tickets.created_at', '<', to)
      .execute();
    return rows.map((row) => ({
      station: `${row.site}/${row.station}`,
      source: row.source,
      pumpModel: row.model ?? null,
      failureMode: row.root_cause ?? row.fault_class ?? 'reported',
      openedAt: row.created_at,
      resolvedAt: row.resolved_at,
    }));
  }

  /** Records an event at most once per ticket and key (escalations, across instances); true if new. */
  async recordOnce(
    ticketId: number,
    dedupKey: string,
    at: number,
    action: string,
    note: string | EventNote,
    data: Record<string, unknown>,
  ): Promise<boolean> {
    const coded = typeof note === 'string' ? { text: note } : note;
    const rows = await this.db
      .insertInto('ticket_events')
      .values({
        ticket_id: ticketId,
        at,
        actor: 'system',
        action,
        note: coded.text,
        code: coded.code ?? null,
        params: JSON.stringify(coded.params ?? {}),
        data: JSON.stringify(data),
        dedup_key: dedupKey,
      })
      .onConflict((oc) =>
        oc.columns(['ticket_id', 'dedup_key']).where('dedup_key', 'is not', null).doNothing(),
      )
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  private async addEvent(
    db: Db,
    ticketId: number,
    at: number,
    actor: string,
    action: string,
    from: string | null,
    to: string | null,
    note: string | EventNote,
    data: string,
  ): Promise<void> {
    await insertTicketEvent(db, { ticketId, at, actor, action, from, to, note, data });
  }
}
