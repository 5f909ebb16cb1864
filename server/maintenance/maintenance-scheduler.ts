import type { Logger } from '../../core/log.ts';
import { plannedDueAt } from '../../core/sla/due-dates.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { ServiceEvents } from '../service-layer.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import type { MaintenanceStore } from './maintenance-store.ts';
import { dayOf, dueWork, type StationInput } from './schedule.ts';

/** Ticket kinds (fault classes) of planned work. */
export const PREVENTIVE_FAULT_CLASS = 'preventive';
export const FOLLOW_UP_FAULT_CLASS = 'follow_up';

export interface MaintenanceSchedulerOptions {
  store: MaintenanceStore;
  tickets: TicketStore;
  assets: AssetStore;
  events: ServiceEvents;
  /** Latest run hours per pump of a station (from the health models). Default: none known. */
  runHours?: (site: string, station: string) => Record<number, number>;
  /** Days ahead of a follow-up visit its ticket opens. Default 14. */
  followUpLeadDays?: number;
  /** Work due this many days ago and not yet ticketed (the server was down) is still ticketed. Default 30. */
  graceDays?: number;
  logger: Logger;
}

/** Stations as the schedule needs them. */
export async function scheduleStations(
  assets: AssetStore,
  runHours?: (site: string, station: string) => Record<number, number>,
): Promise<StationInput[]> {
  return (await assets.stations()).map((s) => ({
    site: s.site_id,
    station: s.id,
    model: s.model,
    contractId: s.contract_id,
    acceptance: s.acceptance_date,
    pumps: s.pumps.map((p) => ({ pump: p.pump_no, model: p.model })),
    runHours: runHours?.(s.site_id, s.id) ?? {},
  }));
}

/** Turns due preventive work and follow-up visits into tickets, each once. Call daily or hourly. */
export class MaintenanceScheduler {
  constructor(private readonly options: MaintenanceSchedulerOptions) {}

  async run(now: number): Promise<number> {
    const { store, tickets, assets, events } = this.options;
    const work = dueWork(
      await store.plans(),
      await scheduleStations(assets, this.options.runHours),
      dayOf(now),
      {
        followUpLeadDays: this.options.followUpLeadDays ?? 14,
        graceDays: this.options.graceDays ?? 30,
      },
    );
    if (work.length === 0) return 0;
    const existing = await store.ticketsOfKinds([PREVENTIVE_FAULT_CLASS, FOLLOW_UP_FAULT_CLASS]);
    let opened = 0;
    for (const item of work) {
      if (existing.has(`${item.site}/${item.station}/${item.subject}`)) continue;
      const result = await tickets.openOrAddOccurrence({
        site: item.site,
        station: item.station,
        pump: item.pump,
        faultClass: item.kind === 'follow_up' ? FOLLOW_UP_FAULT_CLASS : PREVENTIVE_FAULT_CLASS,
        subject: item.subject,
        title: item.title,
        titleCode: item.titleCoded.code,
        titleParams: item.titleCoded.params,
        description: item.description,
        descriptionCode: item.descriptionCoded?.code,
        descriptionParams: item.descriptionCoded?.params,
        severity: 'minor',
        at: now,
        source: item.kind === 'follow_up' ? 'follow_up' : 'plan',
        dueAt: plannedDueAt(item.due, now),
      });
      if (result.outcome !== 'opened') continue;
      opened += 1;
      this.options.logger.info(
        { site: item.site, station: item.station, subject: item.subject },
        'planned work ticketed',
      );
      events.emit('ticket', {
        change: 'opened',
        ticket: {
          id: result.ticket.id,
          state: result.ticket.state,
          site: result.ticket.site,
          station: result.ticket.station,
        },
      });
    }
    return opened;
  }
}
