import { RESULT_FEEDBACK_DAYS, type ResultFeedback } from '../../core/api/portal.ts';
import type { TicketRow } from '../db/schema.ts';
import type { FeedbackRecord } from './portal-store.ts';

const DAY_MS = 86_400_000;

/**
 * The result feedback task of a ticket (结果反馈, DOMAIN.md: within 1-3 days): pending until the
 * ticket is resolved, then due for RESULT_FEEDBACK_DAYS, overdue after, done once recorded. Pure.
 */
export function feedbackView(
  ticket: Pick<TicketRow, 'id' | 'resolved_at'>,
  record: FeedbackRecord | undefined,
  now: number,
): ResultFeedback {
  const dueAt = ticket.resolved_at === null ? null : ticket.resolved_at + RESULT_FEEDBACK_DAYS * DAY_MS;
  const state = record ? 'done' : dueAt === null ? 'pending' : now > dueAt ? 'overdue' : 'due';
  return {
    ticketId: ticket.id,
    state,
    dueAt,
    doneAt: record?.doneAt ?? null,
    doneBy: record?.doneBy ?? null,
    note: record?.note ?? '',
  };
}
