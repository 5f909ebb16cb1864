import { stableHash } from '../../core/text/stable-hash.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import { OPEN_STATES } from '../tickets/workflow.ts';
import { evaluateLiveCurve, type LiveCurve, type LiveExplanation } from './live-curve.ts';

/** Minutes between two judgements of a station's curve window: cheap, and an abrupt fault shows within them. */
export const CURVE_EVERY_MINUTES = 4;

/** Fault class of predictive tickets (as predictive-shell.ts opens them). */
const PREDICTIVE = 'predictive';

/**
 * The minute in each CURVE_EVERY_MINUTES a station's curve is judged in, from its name: a fleet's
 * judgements spread over those minutes instead of all falling in the same one (at 1,000 stations that
 * minute held the server's live heap peak).
 */
export function curvePhaseOf(where: { site: string; station: string }): number {
  return stableHash(`${where.site}/${where.station}`) % CURVE_EVERY_MINUTES;
}

/** Whether the minute starting at `minute` (minutes since the epoch) is one the station's curve is judged in. */
export function curveMinuteDue(minute: number, where: { site: string; station: string }): boolean {
  return (minute + curvePhaseOf(where)) % CURVE_EVERY_MINUTES === 0;
}

/**
 * Judges the station's curve window when its minute is due (curveMinuteDue, or at once, `due`) and writes each newly active explanation on
 * the timeline of the station's open predictive tickets (once per explanation: the dedup key is its
 * start and code). Returns the explanations that became active now.
 */
export async function judgeCurve(
  curve: LiveCurve,
  at: number,
  where: { site: string; station: string },
  tickets: TicketStore,
  options: { due?: boolean } = {},
): Promise<LiveExplanation[]> {
  if (!options.due && !curveMinuteDue(Math.floor(at / 60_000), where)) return [];
  const before = new Set(curve.explanations.filter((x) => x.active).map(keyOf));
  const fresh = evaluateLiveCurve(curve, at).filter((x) => x.active && !before.has(keyOf(x)));
  if (fresh.length === 0) return [];
  const open = await tickets.list({ ...where, states: [...OPEN_STATES] });
  for (const ticket of open.filter((t) => t.fault_class === PREDICTIVE)) {
    for (const x of fresh) await recordExplanation(tickets, ticket.id, x, at);
  }
  return fresh;
}

/** Writes one explanation on a ticket's timeline as its code and parameters (both languages render it). */
export async function recordExplanation(
  tickets: TicketStore,
  ticketId: number,
  x: LiveExplanation,
  at: number,
): Promise<void> {
  await tickets.recordOnce(
    ticketId,
    `explanation:${x.start}:${x.code}`,
    at,
    'evidence',
    { text: `${x.code} ${JSON.stringify(x.params)}`, code: x.code, params: x.params },
    { explanation: x.code, params: x.params, columns: x.columns, start: x.start },
  );
}

const keyOf = (x: LiveExplanation) => `${x.start}:${x.code}`;
