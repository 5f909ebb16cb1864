import type { WorkflowState } from './workflow.ts';

/** Where a ticket came from (`flow`: a Node-RED flow); only an alarm's fault reopens a resolved ticket. */
export type TicketSource = 'alarm' | 'predictive' | 'plan' | 'follow_up' | 'flow';

/** What the decision needs of one of the fault's tickets. */
export interface FaultTicket {
  id: number;
  state: WorkflowState;
  /** When it was last resolved (ms), null while never resolved or since reopened. */
  resolvedAt: number | null;
  lastOccurrenceAt: number;
}

export interface TicketDecisionInput {
  /** The fault's open ticket (the database holds at most one per station and fault). */
  open: FaultTicket | undefined;
  /** The fault's most recently resolved ticket (resolved, signed off or closed). */
  lastResolved: FaultTicket | undefined;
  /** The fault happening now. */
  fault: { source: TicketSource; at: number };
  /** The ticket policy's window: an alarm's fault that returns this soon after resolution reopens. */
  reopenWindowMs: number;
}

export type TicketDecision =
  /** Counted on the open ticket; its last occurrence never moves back when the clock does. */
  | { kind: 'occurrence'; ticketId: number; lastOccurrenceAt: number }
  | { kind: 'reopen'; ticketId: number; from: WorkflowState; to: WorkflowState; note: string }
  | { kind: 'open' };

const REOPENABLE: readonly WorkflowState[] = ['resolved', 'signed_off', 'closed'];

/**
 * The one place that chooses between an occurrence on the open ticket, reopening the resolved one
 * and a new ticket, for alarms, failovers, predictive findings and planned work alike. Pure.
 */
export function decideTicket(input: TicketDecisionInput): TicketDecision {
  const { open, lastResolved, fault } = input;
  if (open) {
    return {
      kind: 'occurrence',
      ticketId: open.id,
      lastOccurrenceAt: Math.max(open.lastOccurrenceAt, fault.at),
    };
  }
  // A resolved predictive ticket stays resolved: the model relearns after the maintenance. Planned
  // work and follow-ups are due again by their plan, not by a returning fault.
  if (fault.source !== 'alarm' || !lastResolved || lastResolved.resolvedAt === null) return { kind: 'open' };
  if (!REOPENABLE.includes(lastResolved.state)) return { kind: 'open' };
  // The window runs from the resolution, not the closing; a fault dated before the resolution (a
  // clock that went back) is within it.
  if (fault.at - lastResolved.resolvedAt > input.reopenWindowMs) return { kind: 'open' };
  return {
    kind: 'reopen',
    ticketId: lastResolved.id,
    from: lastResolved.state,
    to: 'new',
    note: `fault returned within ${Math.round(input.reopenWindowMs / 60_000)} min of resolution`,
  };
}
