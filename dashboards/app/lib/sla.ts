import type { SlaClock, Ticket } from './types.ts';

export type SlaBadge = 'ok' | 'at_risk' | 'breached' | 'none';

export interface SlaCountdown {
  badge: SlaBadge;
  /** The running clock with the nearest deadline, if any. */
  clock: SlaClock['clock'] | null;
  /** ms to that deadline (negative once breached). */
  remainingMs: number | null;
}

const RUNNING = new Set(['pending', 'at_risk', 'breached']);

/**
 * What a ticket card shows of its SLA: the state of the worst clock and a countdown to the nearest
 * deadline of a clock still running. Pure.
 */
export function slaCountdown(ticket: Pick<Ticket, 'sla'>, now: number): SlaCountdown {
  if (!ticket.sla) return { badge: 'none', clock: null, remainingMs: null };
  const running = ticket.sla.clocks
    .filter((c) => RUNNING.has(c.state) && c.deadline !== null)
    .sort((a, b) => (a.deadline ?? 0) - (b.deadline ?? 0));
  const next = running[0];
  // The server's state is from when the list was fetched; the clock keeps running in between.
  let badge: SlaBadge = ticket.sla.state;
  for (const c of running) {
    if (c.deadline !== null && now >= c.deadline) badge = 'breached';
    else if (badge === 'ok' && c.atRiskAt !== null && now >= c.atRiskAt) badge = 'at_risk';
  }
  return {
    badge,
    clock: next?.clock ?? null,
    remainingMs: next?.deadline != null ? next.deadline - now : null,
  };
}
