import type { SlaClock, Ticket } from './types.ts';

export type SlaBadge = 'ok' | 'at_risk' | 'breached' | 'paused' | 'none';

export interface SlaCountdown {
  badge: SlaBadge;
  /** The clock that runs now with the least time left (respond, on site, fix or due), if any. */
  clock: SlaClock['clock'] | null;
  /** ms left on it (negative once breached); while paused, the allowance left. */
  remainingMs: number | null;
  paused: boolean;
}

/**
 * What a ticket card shows of its SLA: the state of the worst clock and the time left on the clock
 * that runs now (the server's `current`, counted on from its deadline between answers). Pure.
 */
export function slaCountdown(ticket: Pick<Ticket, 'sla'>, now: number): SlaCountdown {
  const sla = ticket.sla;
  if (!sla) return { badge: 'none', clock: null, remainingMs: null, paused: false };
  // An answer without `current` (an older server): the running clock with the nearest deadline.
  const current =
    sla.current !== undefined
      ? sla.current
      : ([...sla.clocks]
          .filter((c) => ['pending', 'at_risk', 'breached'].includes(c.state) && c.deadline !== null)
          .sort((a, b) => (a.deadline ?? 0) - (b.deadline ?? 0))
          .map((c) => ({ clock: c.clock, state: c.state, deadline: c.deadline, remainingMs: 0 }))[0] ?? null);
  const paused = (sla.paused ?? null) !== null;
  const remainingMs =
    current === null
      ? null
      : current.deadline !== null && !paused
        ? current.deadline - now
        : current.remainingMs;
  // The server's state is from when the list was fetched; the clock keeps running in between.
  let badge: SlaBadge = sla.state;
  for (const c of sla.clocks) {
    if (c.state !== 'pending' && c.state !== 'at_risk') continue;
    if (c.deadline !== null && now >= c.deadline) badge = 'breached';
    else if (badge === 'ok' && c.atRiskAt !== null && now >= c.atRiskAt) badge = 'at_risk';
  }
  if (paused && badge === 'ok') badge = 'paused';
  return { badge, clock: current?.clock ?? null, remainingMs, paused };
}

/**
 * The board's order: breached first (most overdue first), then the least time left on the clock
 * that runs now; tickets with no running clock last, newest first. Pure.
 */
export function byUrgency(now: number) {
  const key = (ticket: Pick<Ticket, 'sla'>) =>
    slaCountdown(ticket, now).remainingMs ?? Number.POSITIVE_INFINITY;
  return (a: Pick<Ticket, 'sla' | 'id'>, b: Pick<Ticket, 'sla' | 'id'>) => key(a) - key(b) || b.id - a.id;
}
