import type { Kysely } from 'kysely';
import type { PauseReason } from '../../core/api/sla.ts';
import { isOpenState, type WorkflowState } from '../../core/tickets/workflow.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import { insertTicketEvent } from '../tickets/ticket-events.ts';

const ACTIVE_ALARM = ['active_unack', 'active_ack'];

/** Pauses and resumptions of a ticket's SLA clocks, and the resolve override: lines of its timeline. */
export class PauseStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  /** Pauses the clocks of an open ticket that is not paused (409 otherwise). */
  async pause(id: number, reason: PauseReason, note: string, actor: string, at: number): Promise<TicketRow> {
    return await this.step(id, 'pause', async (ticket, pausedSince, tx) => {
      if (pausedSince !== null)
        throw new RefusedError(`ticket ${id} is already paused`, 409, 'error.alreadyPaused', { id });
      await insertTicketEvent(tx, {
        ticketId: ticket.id,
        at,
        actor,
        action: 'sla_pause',
        from: null,
        to: null,
        note: note
          ? { text: note, code: 'event.slaPausedNote', params: { pause: reason, note } }
          : { text: `SLA clocks paused: ${reason}`, code: 'event.slaPaused', params: { pause: reason } },
        data: JSON.stringify({ reason, note }),
      });
    });
  }

  /** Resumes the clocks of a paused open ticket (409 otherwise). */
  async resume(id: number, note: string, actor: string, at: number): Promise<TicketRow> {
    return await this.step(id, 'resume', async (ticket, pausedSince, tx) => {
      if (pausedSince === null)
        throw new RefusedError(`ticket ${id} is not paused`, 409, 'error.notPaused', { id });
      const minutes = Math.max(0, Math.round((at - pausedSince) / 60_000));
      await insertTicketEvent(tx, {
        ticketId: ticket.id,
        at,
        actor,
        action: 'sla_resume',
        from: null,
        to: null,
        note: note
          ? { text: note, code: 'event.slaResumedNote', params: { minutes, note } }
          : {
              text: `SLA clocks resumed after ${minutes} min`,
              code: 'event.slaResumed',
              params: { minutes },
            },
        data: JSON.stringify({ note, pausedMinutes: minutes }),
      });
    });
  }

  /** Whether the ticket's fault still has an active alarm (its own, or the live one of its fault). */
  async alarmActive(ticket: TicketRow): Promise<boolean> {
    const row = await this.db
      .selectFrom('alarms')
      .select('id')
      .where('status', 'in', ACTIVE_ALARM)
      .where((eb) =>
        eb.or([
          eb('ticket_id', '=', ticket.id),
          ticket.fault_class === null
            ? eb.val(false)
            : eb.and([
                eb('site', '=', ticket.site),
                eb('station', '=', ticket.station),
                eb('fault_class', '=', ticket.fault_class),
                eb('subject', '=', ticket.subject),
              ]),
        ]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records why a ticket was resolved while its alarm was still active. */
  async recordOverride(ticketId: number, reason: string, actor: string, at: number): Promise<void> {
    await insertTicketEvent(this.db, {
      ticketId,
      at,
      actor,
      action: 'resolve_override',
      from: null,
      to: null,
      note: {
        text: `resolved while its alarm is still active: ${reason}`,
        code: 'event.resolveOverride',
        params: { reason },
      },
      data: JSON.stringify({ reason }),
    });
  }

  /** Runs a pause step on the locked ticket, with when its pause in force began (null: none). */
  private async step(
    id: number,
    what: 'pause' | 'resume',
    write: (ticket: TicketRow, pausedSince: number | null, tx: Kysely<ServiceDatabase>) => Promise<void>,
  ): Promise<TicketRow> {
    return await this.db.transaction().execute(async (tx) => {
      const ticket = await tx
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!ticket) throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
      if (!isOpenState(ticket.state as WorkflowState))
        throw new RefusedError(
          `cannot ${what} ticket ${id}: it is ${ticket.state}`,
          409,
          'error.pauseClosedTicket',
          { id, state: ticket.state },
        );
      const last = await tx
        .selectFrom('ticket_events')
        .select(['action', 'at'])
        .where('ticket_id', '=', id)
        .where('action', 'in', ['sla_pause', 'sla_resume', 'open', 'reopen'])
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const pausedSince = last?.action === 'sla_pause' ? last.at : null;
      await write(ticket, pausedSince, tx);
      return ticket;
    });
  }
}
