import { sql } from 'kysely';
import type { TransitionDetails } from './ticket-store.ts';
import type { TicketAction } from './workflow.ts';

/** The ticket columns an action sets. */
export function changesFor(action: TicketAction, details: TransitionDetails, at: number) {
  switch (action) {
    case 'triage':
      return { service_mode: details.mode ?? null, department: details.department ?? null };
    case 'dispatch':
      return { technician: details.technician ?? null, expected_arrival: details.expectedArrival ?? null };
    case 'arrive':
      return {};
    case 'resolve':
      return {
        work_done: details.workDone ?? null,
        parts_used: JSON.stringify(details.partsUsed ?? []),
        root_cause: details.rootCause ?? null,
        resolved_at: at,
      };
    case 'sign_off':
      return { signer_name: details.signerName ?? null, signed_at: details.signedAt ?? at };
    case 'close':
      return { closed_at: at };
    case 'reopen':
      return { resolved_at: null, closed_at: null, reopen_count: sql<number>`reopen_count + 1` };
  }
}
