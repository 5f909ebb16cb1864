import { isFaultSource } from '../../core/tickets/fault-sources.ts';
import { ROOT_CAUSES } from '../../core/tickets/root-causes.ts';
import { type ExposedPump, exposureBy } from './exposure.ts';

/** One ticket as the half-year report reads it (server/reports/report-loader.ts fills these). */
export interface TicketFact {
  id: number;
  site: string;
  station: string;
  customer: string;
  pump: number | null;
  model: string;
  source: string;
  severity: string;
  faultClass: string | null;
  rootCause: string | null;
  createdAt: number;
  resolvedAt: number | null;
  reopenCount: number;
  /** Technician arrivals on site (the `arrive` timeline events). */
  visits: number;
  parts: { part: string; quantity: number; unitCost?: number }[];
  workDone: string | null;
}

export interface FigureRow {
  key: string;
  faults: number;
  resolved: number;
  exposureHours: number;
  /** Pump-hours in service / faults; null without faults. */
  mtbfHours: number | null;
  mttrHours: number | null;
  /** Faults that came back on the same pump with the same failure mode within 30 days of the last repair. */
  repeats: number;
  /** Resolved faults never reopened and fixed in at most one visit, over resolved faults; null if none. */
  firstTimeFixRate: number | null;
}

export interface HalfYearFigures {
  from: number;
  to: number;
  totals: FigureRow;
  byCustomer: FigureRow[];
  bySite: FigureRow[];
  byModel: FigureRow[];
  byFailureMode: FigureRow[];
  faults: {
    id: number;
    site: string;
    station: string;
    pump: number | null;
    model: string;
    source: string;
    severity: string;
    failureMode: string;
    openedAt: number;
    resolvedAt: number | null;
    repeat: boolean;
  }[];
  /** Tickets in the period that are not faults, by source (follow_up, plan, predictive). */
  notFaults: Record<string, number>;
  parts: { part: string; quantity: number; cost: number | null }[];
  /** Parts cost when every part used has a unit cost; null: some cost is not known. */
  partsCost: number | null;
  topRootCauses: { code: string; faults: number; chargeable: boolean | null; actions: string[] }[];
}

const HOUR = 3600_000;
export const REPEAT_WINDOW_MS = 30 * 24 * HOUR;

export function failureModeOf(ticket: Pick<TicketFact, 'rootCause' | 'faultClass'>): string {
  return ticket.rootCause ?? ticket.faultClass ?? 'reported';
}

/**
 * Marks the repeats among fault tickets: a fault on the same site, station and pump with the same
 * failure mode opened within 30 days after the earlier one was resolved (or opened, if still open).
 * `faults` may reach 30 days before the period so the first faults in it are judged too.
 */
export function repeatIds(faults: readonly TicketFact[]): Set<number> {
  const sorted = [...faults].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const last = new Map<string, TicketFact>();
  const repeats = new Set<number>();
  for (const ticket of sorted) {
    const key = `${ticket.site}/${ticket.station}/${ticket.pump ?? ''}/${failureModeOf(ticket)}`;
    const before = last.get(key);
    if (before && ticket.createdAt - (before.resolvedAt ?? before.createdAt) <= REPEAT_WINDOW_MS) {
      repeats.add(ticket.id);
    }
    last.set(key, ticket);
  }
  return repeats;
}

function figures(
  key: string,
  tickets: readonly TicketFact[],
  exposureHours: number,
  repeats: Set<number>,
): FigureRow {
  const resolved = tickets.filter((ticket) => ticket.resolvedAt !== null);
  const repairHours = resolved.reduce((sum, t) => sum + ((t.resolvedAt ?? 0) - t.createdAt) / HOUR, 0);
  const firstTime = resolved.filter((ticket) => ticket.reopenCount === 0 && ticket.visits <= 1).length;
  return {
    key,
    faults: tickets.length,
    resolved: resolved.length,
    exposureHours,
    // No pump-hours known (pumps without install or sale dates): no MTBF, not an MTBF of 0.
    mtbfHours: tickets.length > 0 && exposureHours > 0 ? exposureHours / tickets.length : null,
    mttrHours: resolved.length > 0 ? repairHours / resolved.length : null,
    repeats: tickets.filter((ticket) => repeats.has(ticket.id)).length,
    firstTimeFixRate: resolved.length > 0 ? firstTime / resolved.length : null,
  };
}

function grouped(
  faults: readonly TicketFact[],
  keyOf: (ticket: TicketFact) => string,
  exposureOf: (key: string) => number,
  repeats: Set<number>,
): FigureRow[] {
  const groups = new Map<string, TicketFact[]>();
  for (const ticket of faults) groups.set(keyOf(ticket), [...(groups.get(keyOf(ticket)) ?? []), ticket]);
  return [...groups.entries()]
    .map(([key, tickets]) => figures(key, tickets, exposureOf(key), repeats))
    .sort((a, b) => b.faults - a.faults || a.key.localeCompare(b.key));
}

/**
 * The half-year fault analysis over [from, to): fault tickets only, MTBF over the pump-hours the
 * pumps in scope were in service in the period (per failure mode: the whole scope is exposed to each
 * mode), MTTR, repeats, first-time fix, parts and the top root causes with the work that fixed them.
 * `tickets` may start 30 days before `from` (for repeats); `pumps` are the pumps in scope. Pure.
 */
export function halfYearFigures(
  tickets: readonly TicketFact[],
  pumps: readonly ExposedPump[],
  period: { from: number; to: number },
): HalfYearFigures {
  const { from, to } = period;
  const allFaults = tickets.filter((ticket) => isFaultSource(ticket.source));
  const repeats = repeatIds(allFaults);
  const inPeriod = (ticket: TicketFact) => ticket.createdAt >= from && ticket.createdAt < to;
  const faults = allFaults.filter(inPeriod).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const notFaults: Record<string, number> = {};
  for (const ticket of tickets.filter((t) => inPeriod(t) && !isFaultSource(t.source))) {
    notFaults[ticket.source] = (notFaults[ticket.source] ?? 0) + 1;
  }
  const exposure = (keyOf: (pump: ExposedPump) => string) => exposureBy(pumps, from, to, keyOf);
  const total = exposure(() => 'all').get('all') ?? 0;
  const byCustomer = exposure((pump) => pump.customer);
  const bySite = exposure((pump) => pump.site);
  const byModel = exposure((pump) => pump.model);

  const parts = new Map<string, { quantity: number; cost: number | null }>();
  for (const ticket of faults) {
    for (const used of ticket.parts) {
      const entry = parts.get(used.part) ?? { quantity: 0, cost: 0 };
      entry.quantity += used.quantity;
      entry.cost =
        entry.cost === null || used.unitCost === undefined
          ? null
          : entry.cost + used.unitCost * used.quantity;
      parts.set(used.part, entry);
    }
  }
  const partRows = [...parts.entries()]
    .map(([part, entry]) => ({ part, ...entry }))
    .sort((a, b) => b.quantity - a.quantity || a.part.localeCompare(b.part));

  const causes = new Map<string, TicketFact[]>();
  for (const ticket of faults) {
    if (ticket.rootCause) causes.set(ticket.rootCause, [...(causes.get(ticket.rootCause) ?? []), ticket]);
  }
  const topRootCauses = [...causes.entries()]
    .map(([code, list]) => ({
      code,
      faults: list.length,
      chargeable: ROOT_CAUSES.find((cause) => cause.code === code)?.chargeable ?? null,
      // The work that fixed it, latest first, each text once.
      actions: [
        ...new Set(
          [...list]
            .sort((a, b) => b.createdAt - a.createdAt)
            .map((t) => t.workDone?.trim() ?? '')
            .filter(Boolean),
        ),
      ].slice(0, 3),
    }))
    .sort((a, b) => b.faults - a.faults || a.code.localeCompare(b.code))
    .slice(0, 5);

  return {
    from,
    to,
    totals: figures('all', faults, total, repeats),
    byCustomer: grouped(
      faults,
      (t) => t.customer,
      (key) => byCustomer.get(key) ?? 0,
      repeats,
    ),
    bySite: grouped(
      faults,
      (t) => t.site,
      (key) => bySite.get(key) ?? 0,
      repeats,
    ),
    byModel: grouped(
      faults,
      (t) => t.model,
      (key) => byModel.get(key) ?? 0,
      repeats,
    ),
    byFailureMode: grouped(faults, failureModeOf, () => total, repeats),
    faults: faults.map((t) => ({
      id: t.id,
      site: t.site,
      station: t.station,
      pump: t.pump,
      model: t.model,
      source: t.source,
      severity: t.severity,
      failureMode: failureModeOf(t),
      openedAt: t.createdAt,
      resolvedAt: t.resolvedAt,
      repeat: repeats.has(t.id),
    })),
    notFaults,
    parts: partRows,
    partsCost: partRows.every((row) => row.cost !== null)
      ? partRows.reduce((s, r) => s + (r.cost ?? 0), 0)
      : null,
    topRootCauses,
  };
}
