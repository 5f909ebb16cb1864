import { describe, expect, test } from 'vitest';
import {
  decideTicket,
  type FaultTicket,
  type TicketDecision,
  type TicketSource,
} from '../../server/tickets/ticket-decision.ts';
import type { WorkflowState } from '../../server/tickets/workflow.ts';

const H = 3_600_000;
// Relative to now: the decision reads no calendar.
const NOW = Date.now();
const WINDOW = 72 * H;

const open = (lastOccurrenceAt: number, state: WorkflowState = 'triaged'): FaultTicket => ({
  id: 7,
  state,
  resolvedAt: null,
  lastOccurrenceAt,
});
const resolved = (resolvedAt: number | null, state: WorkflowState = 'resolved'): FaultTicket => ({
  id: 3,
  state,
  resolvedAt,
  lastOccurrenceAt: (resolvedAt ?? NOW) - H,
});
const reopen = (from: WorkflowState): TicketDecision => ({
  kind: 'reopen',
  ticketId: 3,
  from,
  to: 'new',
  note: 'fault returned within 4320 min of resolution',
});

describe('decideTicket', () => {
  test.each<[string, FaultTicket | undefined, FaultTicket | undefined, TicketSource, TicketDecision]>([
    ['a new fault opens a ticket', undefined, undefined, 'alarm', { kind: 'open' }],
    [
      'a repeat while open is an occurrence',
      open(NOW - H),
      undefined,
      'alarm',
      { kind: 'occurrence', ticketId: 7, lastOccurrenceAt: NOW },
    ],
    [
      // The policy has no severity escalation: a more severe repeat is counted on the ticket as it is.
      'a more severe repeat while open is still an occurrence',
      open(NOW - H, 'dispatched'),
      undefined,
      'alarm',
      { kind: 'occurrence', ticketId: 7, lastOccurrenceAt: NOW },
    ],
    [
      'a repeat within the window after resolve reopens',
      undefined,
      resolved(NOW - 10 * H),
      'alarm',
      reopen('resolved'),
    ],
    ['a repeat at the window edge reopens', undefined, resolved(NOW - WINDOW), 'alarm', reopen('resolved')],
    [
      'a repeat after the window opens anew',
      undefined,
      resolved(NOW - WINDOW - 1),
      'alarm',
      { kind: 'open' },
    ],
    [
      'a closed ticket resolved within the window reopens',
      undefined,
      resolved(NOW - 10 * H, 'closed'),
      'alarm',
      reopen('closed'),
    ],
    [
      'a signed-off ticket resolved within the window reopens',
      undefined,
      resolved(NOW - 10 * H, 'signed_off'),
      'alarm',
      reopen('signed_off'),
    ],
    [
      'a ticket closed lately but resolved before the window opens anew (the window runs from resolution)',
      undefined,
      resolved(NOW - 80 * H, 'closed'),
      'alarm',
      { kind: 'open' },
    ],
    [
      'a ticket never resolved (no resolution time) opens anew',
      undefined,
      resolved(null, 'closed'),
      'alarm',
      { kind: 'open' },
    ],
    // A failover (redundancy_lost) is an alarm's fault: it follows the same window.
    [
      'a failover returning within the window reopens',
      undefined,
      resolved(NOW - H),
      'alarm',
      reopen('resolved'),
    ],
    [
      'a failover while its ticket is open is an occurrence',
      open(NOW - 5 * H, 'new'),
      undefined,
      'alarm',
      { kind: 'occurrence', ticketId: 7, lastOccurrenceAt: NOW },
    ],
    [
      'a predictive finding while its ticket is open is an occurrence',
      open(NOW - H),
      undefined,
      'predictive',
      { kind: 'occurrence', ticketId: 7, lastOccurrenceAt: NOW },
    ],
    [
      'a resolved predictive ticket stays resolved: the finding opens anew',
      undefined,
      resolved(NOW - H),
      'predictive',
      { kind: 'open' },
    ],
    ['planned work due again opens anew', undefined, resolved(NOW - H), 'plan', { kind: 'open' }],
    ['a follow-up due again opens anew', undefined, resolved(NOW - H), 'follow_up', { kind: 'open' }],
    [
      'a clock gone back keeps the later last occurrence',
      open(NOW + 5 * 60_000),
      undefined,
      'alarm',
      { kind: 'occurrence', ticketId: 7, lastOccurrenceAt: NOW + 5 * 60_000 },
    ],
    [
      'a clock gone back before the resolution is within the window',
      undefined,
      resolved(NOW + 5 * 60_000),
      'alarm',
      reopen('resolved'),
    ],
  ])('%s', (_case, openTicket, lastResolved, source, expected) => {
    expect(
      decideTicket({
        open: openTicket,
        lastResolved,
        fault: { source, at: NOW },
        reopenWindowMs: WINDOW,
      }),
    ).toEqual(expected);
  });

  test('a window of 0 reopens nothing resolved before now', () => {
    const decision = decideTicket({
      open: undefined,
      lastResolved: resolved(NOW - 1),
      fault: { source: 'alarm', at: NOW },
      reopenWindowMs: 0,
    });
    expect(decision).toEqual({ kind: 'open' });
  });
});
