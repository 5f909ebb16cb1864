import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface TicketEventInput {
  ticketId: number;
  at: number;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string;
  /** JSON text. */
  data: string;
}

/** Appends one line to a ticket's timeline (in the caller's transaction when given one). */
export async function insertTicketEvent(db: Kysely<ServiceDatabase>, e: TicketEventInput): Promise<void> {
  await db
    .insertInto('ticket_events')
    .values({
      ticket_id: e.ticketId,
      at: e.at,
      actor: e.actor,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      note: e.note,
      data: e.data,
      dedup_key: null,
    })
    .execute();
}
