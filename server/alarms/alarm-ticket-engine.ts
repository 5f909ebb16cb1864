import type { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from '../../core/log.ts';
import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { AlarmRow, ServiceDatabase } from '../db/schema.ts';
import type { SlaPolicy } from '../sla/policies.ts';
import { opensTicket, type TicketPolicy } from '../tickets/policy.ts';
import { raiseWithTicket } from '../tickets/raise-with-ticket.ts';
import type { FaultOccurrence, TicketStore } from '../tickets/ticket-store.ts';
import { ticketView } from '../tickets/ticket-view.ts';
import { OPEN_STATES } from '../tickets/workflow.ts';
import type { AlarmStore } from './alarm-store.ts';
import type { AlarmRule } from './catalogue.ts';
import { type AlarmTransition, alarmKey, evaluateStation } from './engine.ts';
import { pumpOfSubject } from './readings.ts';
import { type StationEntry, StationMonitor, stationKey } from './station-monitor.ts';
import type { SiteThresholds } from './thresholds.ts';

export interface EngineDeps {
  db: Kysely<ServiceDatabase>;
  alarms: AlarmStore;
  tickets: TicketStore;
  assets: AssetStore;
  policy: TicketPolicy;
  logger: Logger;
  events: EventEmitter;
  rules?: readonly AlarmRule[];
}

/** Counters an operator can read at /api/service/stats. */
export interface ServiceStats {
  telemetry: number;
  outOfOrder: number;
  failures: number;
  alarmsRaised: number;
  alarmsCleared: number;
  ticketsOpened: number;
  occurrences: number;
  escalations: number;
}

/**
 * The stateful shell around the pure rule engine: keeps each station's readings and rule memory,
 * runs evaluations one at a time per station, and turns transitions into alarms and tickets.
 */
export class AlarmTicketEngine {
  readonly monitor = new StationMonitor();
  readonly stats: ServiceStats = {
    telemetry: 0,
    outOfOrder: 0,
    failures: 0,
    alarmsRaised: 0,
    alarmsCleared: 0,
    ticketsOpened: 0,
    occurrences: 0,
    escalations: 0,
  };
  private readonly thresholds = new Map<string, SiteThresholds>();
  private shelved = new Map<string, Set<string>>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: EngineDeps) {}

  /** Seeds the rule memory with alarms that stand in the database (restart, or another instance). */
  async restore(now: number): Promise<void> {
    for (const alarm of await this.deps.alarms.active()) {
      const entry = this.monitor.entry(alarm.site, alarm.station);
      entry.memory.alarms[alarmKey(alarm.fault_class, alarm.subject)] = { active: true, since: null };
    }
    await this.refreshShelves(now);
  }

  forgetThresholds(site?: string): void {
    if (site) this.thresholds.delete(site);
    else this.thresholds.clear();
  }

  async refreshShelves(now: number): Promise<void> {
    const shelved = new Map<string, Set<string>>();
    for (const shelf of await this.deps.alarms.shelves(now)) {
      const key = stationKey(shelf.site, shelf.station);
      shelved.set(key, (shelved.get(key) ?? new Set()).add(alarmKey(shelf.faultClass, shelf.subject)));
    }
    this.shelved = shelved;
  }

  async onTelemetry(t: Telemetry, receivedAt: number): Promise<void> {
    this.stats.telemetry += 1;
    const entry = this.monitor.recordTelemetry(t, receivedAt);
    this.stats.outOfOrder = this.monitor.outOfOrder;
    if (entry) await this.evaluate(entry, receivedAt);
  }

  async onEdgeStatus(status: EdgeStatus, receivedAt: number): Promise<void> {
    const entries = this.monitor.recordEdgeStatus(status);
    await Promise.all(entries.map((entry) => this.evaluate(entry, receivedAt)));
  }

  /** Re-evaluates every station at `now`: delays run out and silent stations go stale. */
  async evaluateAll(now: number): Promise<void> {
    await this.refreshShelves(now);
    await Promise.all([...this.monitor.stations.values()].map((entry) => this.evaluate(entry, now)));
  }

  /** Evaluations of one station run in order; a failure is logged and counted, never thrown. */
  private evaluate(entry: StationEntry, now: number): Promise<void> {
    const key = stationKey(entry.site, entry.station);
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.evaluateNow(entry, now).catch((error: unknown) => {
        this.stats.failures += 1;
        this.deps.logger.error(
          { err: error, site: entry.site, station: entry.station },
          'alarm evaluation failed',
        );
      }),
    );
    this.queues.set(key, run);
    return run;
  }

  private async evaluateNow(entry: StationEntry, now: number): Promise<void> {
    const thresholds = await this.thresholdsFor(entry.site);
    const { memory, transitions } = evaluateStation({
      readings: this.monitor.readings(entry, now, thresholds.staleAfterMs),
      thresholds,
      memory: entry.memory,
      now,
      ...(this.deps.rules ? { rules: this.deps.rules } : {}),
      shelved: this.shelved.get(stationKey(entry.site, entry.station)) ?? new Set(),
    });
    // The memory moves on only once every transition is recorded: when the database is away, the
    // same transitions fire again at the next evaluation (the tick runs every second), so an alarm
    // raised during an outage still becomes its alarm and its ticket.
    for (const transition of transitions) await this.apply(entry, transition);
    entry.memory = memory;
  }

  private async thresholdsFor(site: string): Promise<SiteThresholds> {
    let thresholds = this.thresholds.get(site);
    if (!thresholds) {
      thresholds = await this.deps.assets.thresholds(site);
      this.thresholds.set(site, thresholds);
    }
    return thresholds;
  }

  private async apply(entry: StationEntry, t: AlarmTransition): Promise<void> {
    const { db, alarms, tickets, events, policy } = this.deps;
    if (t.change === 'cleared') {
      const alarm = await alarms.clear(entry.site, entry.station, t);
      if (alarm) {
        this.stats.alarmsCleared += 1;
        events.emit('alarm', { change: 'cleared', alarm });
      }
      return;
    }
    const ticketFor = opensTicket(policy, t)
      ? (alarm: AlarmRow): FaultOccurrence => ({
          site: entry.site,
          station: entry.station,
          pump: pumpOfSubject(t.subject),
          faultClass: t.faultClass,
          subject: t.subject,
          title: t.subject ? `${t.title}: ${t.subject}` : t.title,
          titleCode: t.subject ? 'ticket.faultOn' : 'ticket.fault',
          titleParams: t.subject ? { fault: t.faultClass, subject: t.subject } : { fault: t.faultClass },
          description: `${t.title} at ${entry.site}/${entry.station}${t.subject ? ` (${t.subject})` : ''}; value ${JSON.stringify(t.value)}`,
          descriptionCode: t.subject ? 'ticket.alarmDescriptionOn' : 'ticket.alarmDescription',
          descriptionParams: {
            fault: t.faultClass,
            station: `${entry.site}/${entry.station}`,
            subject: t.subject,
            // Signals read 1/0 as on the controller's panel; numbers as they came.
            value:
              typeof t.value === 'boolean'
                ? Number(t.value)
                : typeof t.value === 'number'
                  ? t.value
                  : String(t.value),
          },
          severity: t.severity,
          at: t.at,
          reopenWindowMs: policy.reopenWindowMs,
          alarmId: alarm.id,
        })
      : undefined;
    const {
      alarm,
      outcome,
      ticket: opened,
    } = await raiseWithTicket(db, { alarms, tickets }, entry, t, ticketFor);
    // Standing: raised by another instance, whose transaction wrote its ticket too.
    if (outcome === 'standing') return;
    this.stats.alarmsRaised += 1;
    events.emit('alarm', { change: outcome === 'new' ? 'raised' : 'raised_again', alarm });
    if (!opened) return;
    if (opened.outcome === 'occurrence') this.stats.occurrences += 1;
    else this.stats.ticketsOpened += 1;
    const { id, state, site, station, fault_class: faultClass, subject } = opened.ticket;
    events.emit('ticket', {
      change: opened.outcome,
      ticket: { id, state, site, station, faultClass, subject },
    });
  }

  /** Records SLA escalations that came due (once per ticket, clock and level across instances). */
  async escalate(now: number, policies: Map<string, SlaPolicy>): Promise<void> {
    const open = await this.deps.tickets.list({ states: [...OPEN_STATES], limit: 5000 });
    const events = await this.deps.tickets.eventsOf(open.map((ticket) => ticket.id));
    for (const ticket of open) {
      const view = ticketView(ticket, events.get(ticket.id) ?? [], policies.get(ticket.sla_policy_id), now);
      for (const escalation of view.sla?.escalations ?? []) {
        const key = `${escalation.cycle}:${escalation.clock}:${escalation.level}`;
        const breached = escalation.level === 'breached';
        const note = {
          text: `${escalation.clock} deadline ${breached ? 'passed' : 'at risk'}`,
          code: breached ? ('event.deadlinePassed' as const) : ('event.deadlineAtRisk' as const),
          params: { clock: escalation.clock },
        };
        const fresh = await this.deps.tickets.recordOnce(ticket.id, key, escalation.at, 'escalation', note, {
          ...escalation,
        });
        if (!fresh) continue;
        this.stats.escalations += 1;
        this.deps.events.emit('ticket', { change: 'escalation', ticket: view, escalation });
      }
    }
  }
}
