import type { ClockTally, SlaReport } from '../api/service-levels.ts';
import { SLA_CLOCKS, type SlaView } from '../api/sla.ts';

/** The month [from, to) in China time (+08:00), as ms. */
export function monthRange(month: string, utcOffsetMinutes = 480): { from: number; to: number } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const offset = utcOffsetMinutes * 60_000;
  return { from: Date.UTC(year, m - 1, 1) - offset, to: Date.UTC(year, m, 1) - offset };
}

export interface ReportedTicket {
  id: number;
  station: string;
  sla: SlaView | null;
  /** Pauses in the ticket's timeline. */
  pauses: number;
}

/** Met and breached per clock over a customer's month of tickets; pauses. Pure. */
export function tallyCompliance(
  customer: string,
  month: string,
  tickets: ReportedTicket[],
): Omit<SlaReport, 'from' | 'to'> {
  const tallies = new Map<string, ClockTally>(
    SLA_CLOCKS.map((clock) => [
      clock,
      { clock, met: 0, metLate: 0, breached: 0, running: 0, notApplicable: 0 },
    ]),
  );
  const breachedTickets: SlaReport['breachedTickets'] = [];
  let pauses = 0;
  let pausedMs = 0;
  for (const ticket of tickets) {
    pauses += ticket.pauses;
    pausedMs += ticket.sla?.pausedMs ?? 0;
    const late: SlaReport['breachedTickets'][number]['clocks'] = [];
    for (const view of ticket.sla?.clocks ?? []) {
      const tally = tallies.get(view.clock);
      if (!tally) continue;
      if (view.state === 'met') tally.met += 1;
      else if (view.state === 'met_late') tally.metLate += 1;
      else if (view.state === 'breached') tally.breached += 1;
      else if (view.state === 'n_a') tally.notApplicable += 1;
      else tally.running += 1;
      if (view.state === 'met_late' || view.state === 'breached') late.push(view.clock);
    }
    if (late.length > 0) breachedTickets.push({ id: ticket.id, station: ticket.station, clocks: late });
  }
  return {
    customer,
    month,
    tickets: tickets.length,
    clocks: [...tallies.values()],
    pauses: { count: pauses, pausedMs },
    breachedTickets,
  };
}

/** The report as a spreadsheet opens it: UTF-8 with BOM, one row per clock. */
export function complianceCsv(report: SlaReport): string {
  const header =
    'customer,month,clock,met,met_late,breached,running,not_applicable,tickets,pauses,paused_minutes';
  const rows = report.clocks.map((c) =>
    [
      report.customer,
      report.month,
      c.clock,
      c.met,
      c.metLate,
      c.breached,
      c.running,
      c.notApplicable,
      report.tickets,
      report.pauses.count,
      Math.round(report.pauses.pausedMs / 60_000),
    ].join(','),
  );
  return `\uFEFF${[header, ...rows].join('\r\n')}\r\n`;
}
