import type { Kysely } from 'kysely';
import type { AlarmStore, RaiseOutcome } from '../alarms/alarm-store.ts';
import type { AlarmTransition } from '../alarms/engine.ts';
import { retryOnUniqueViolation } from '../db/errors.ts';
import type { AlarmRow, ServiceDatabase, TicketRow } from '../db/schema.ts';
import type { FaultOccurrence, OccurrenceOutcome, TicketStore } from './ticket-store.ts';

export interface RaisedWithTicket {
  alarm: AlarmRow;
  outcome: RaiseOutcome;
  /** The ticket the raise opened, reopened or added an occurrence to; none for a standing alarm. */
  ticket?: { ticket: TicketRow; outcome: OccurrenceOutcome };
}

/**
 * Records a raised alarm and, when `ticketFor` names its fault, the ticket and the alarm's link to
 * it, in one transaction: a raised alarm never stands without the ticket it owes (a failure in
 * between undoes the raise, and the rules fire it again), and the database is taken once per raise.
 * An alarm already standing was raised by another instance, in a transaction that wrote its ticket.
 */
export async function raiseWithTicket(
  db: Kysely<ServiceDatabase>,
  stores: { alarms: AlarmStore; tickets: TicketStore },
  where: { site: string; station: string },
  transition: AlarmTransition,
  ticketFor?: (alarm: AlarmRow) => FaultOccurrence,
): Promise<RaisedWithTicket> {
  return await retryOnUniqueViolation(() =>
    db.transaction().execute(async (tx) => {
      const raised = await stores.alarms.raise(where.site, where.station, transition, tx);
      if (raised.outcome === 'standing' || !ticketFor) return raised;
      const ticket = await stores.tickets.openOrAddOccurrence(ticketFor(raised.alarm), tx);
      await stores.alarms.setTicket(raised.alarm.id, ticket.ticket.id, tx);
      return { ...raised, ticket };
    }),
  );
}
