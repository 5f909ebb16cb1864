import type { Kysely } from 'kysely';
import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';
import type { ServiceDatabase } from '../db/schema.ts';

/** A timeline note: the English text, and its core/i18n code when the server wrote it. */
export interface EventNote {
  text: string;
  code?: MessageCode;
  params?: MessageParams;
}

export interface TicketEventInput {
  ticketId: number;
  at: number;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string | EventNote;
  /** JSON text. */
  data: string;
}

/** Appends one line to a ticket's timeline (in the caller's transaction when given one). */
export async function insertTicketEvent(db: Kysely<ServiceDatabase>, e: TicketEventInput): Promise<void> {
  const coded = typeof e.note === 'string' ? { text: e.note } : e.note;
  await db
    .insertInto('ticket_events')
    .values({
      ticket_id: e.ticketId,
      at: e.at,
      actor: e.actor,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      note: coded.text,
      code: coded.code ?? null,
      params: JSON.stringify(coded.params ?? {}),
      data: e.data,
      dedup_key: null,
    })
    .execute();
}
