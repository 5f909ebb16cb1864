import type { Kysely } from 'kysely';
import type { Logger } from '../../core/log.ts';
import type { BusinessCalendar } from '../../core/sla/working-time.ts';
import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { AlarmRow, ServiceDatabase } from '../db/schema.ts';
import type { StationLatest } from '../ingest/latest-values.ts';
import type { StationConsumer, StationHub } from '../ingest/station-hub.ts';
import type { ServiceEvents } from '../service-layer.ts';
import type { SlaPolicy } from '../sla/policies.ts';
import { opensTicket, type TicketPolicy } from '../tickets/policy.ts';
import { raiseWithTicket } from '../tickets/raise-with-ticket.ts';
import type { FaultOccurrence, TicketStore } from '../tickets/ticket-store.ts';
import { ticketView } from '../tickets/ticket-view.ts';
import { OPEN_STATES } from '../tickets/workflow.ts';
import type { AlarmStore } from './alarm-store.ts';
import { alarmView } from './alarm-view.ts';
import type { AlarmRule } from './catalogue.ts';
import {
  type AlarmTransition,
  alarmKey,
  emptyMemory,
  evaluateStation,
  nextDelayDue,
  type StationMemory,
} from './engine.ts';
import { pumpOfSubject } from './readings.ts';
import { stationReadings } from './station-readings.ts';
import type { SiteThresholds } from './thresholds.ts';

export interface EngineDeps {
  db: Kysely<ServiceDatabase>;
  alarms: AlarmStore;
  tickets: TicketStore;
  assets: AssetStore;
  policy: TicketPolicy;
  logger: Logger;
  events: ServiceEvents;
  rules?: readonly AlarmRule[];
  /** Holds the stations' readings and orders their messages; the engine evaluates in its queues. */
  hub: StationHub;
  /** After start, how long an edge has to report back before its offline status raises an alarm, ms. Default 120000. */
  startGraceMs?: number;
}

function stationKey(site: string, station: string): string {
  return `${site}/${station}`;
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
  /** Evaluations the clock asked for (a delay running out, a station falling silent, a shelf or threshold changed). */
  timedEvaluations: number;
}

/** A station's rule memory, and when time alone next changes its outcome (undefined: unknown, evaluate). */
interface MemoryEntry {
  site: string;
  station: string;
  memory: StationMemory;
  dueAt?: number;
}

/**
 * The stateful shell around the pure rule engine, a consumer of the station hub: the hub holds each
 * station's readings and orders its messages; this keeps only the rules' memory, evaluates in the
 * hub's per-station queue, and turns transitions into alarms and tickets.
 */
export class AlarmTicketEngine implements StationConsumer {
  readonly counters: Omit<ServiceStats, 'outOfOrder'> = {
    telemetry: 0,
    failures: 0,
    alarmsRaised: 0,
    alarmsCleared: 0,
    ticketsOpened: 0,
    occurrences: 0,
    escalations: 0,
    timedEvaluations: 0,
  };
  /** Rule memory by station key: the engine's own state, not a copy of the station's. */
  private readonly memory = new Map<string, MemoryEntry>();
  private readonly thresholds = new Map<string, SiteThresholds>();
  private shelved = new Map<string, Set<string>>();
  /** Stations whose shelves changed, and sites whose thresholds did, since the last tick: evaluated then. */
  private readonly reshelved = new Set<string>();
  private readonly rethresholded = new Set<string>();
  private allRethresholded = false;
  private lastTickAt = Number.NEGATIVE_INFINITY;

  /** Edges' offline statuses count from then on (set by restore, at start). */
  private judgeEdgesFrom = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: EngineDeps) {}

  get stats(): ServiceStats {
    return { ...this.counters, outOfOrder: this.deps.hub.counts.late };
  }

  /** Seeds the rule memory with alarms that stand in the database (restart, or another instance). */
  async restore(now: number): Promise<void> {
    this.judgeEdgesFrom = now + (this.deps.startGraceMs ?? 120_000);
    for (const alarm of await this.deps.alarms.active()) {
      const entry = this.memoryOf(alarm.site, alarm.station);
      entry.memory.alarms[alarmKey(alarm.fault_class, alarm.subject)] = { active: true, since: null };
    }
    await this.refreshShelves(now);
  }

  forgetThresholds(site?: string): void {
    if (site) {
      this.thresholds.delete(site);
      this.rethresholded.add(site);
    } else {
      this.thresholds.clear();
      this.allRethresholded = true;
    }
  }

  async refreshShelves(now: number): Promise<void> {
    const shelved = new Map<string, Set<string>>();
    for (const shelf of await this.deps.alarms.shelves(now)) {
      const key = stationKey(shelf.site, shelf.station);
      shelved.set(key, (shelved.get(key) ?? new Set()).add(alarmKey(shelf.faultClass, shelf.subject)));
    }
    for (const key of new Set([...this.shelved.keys(), ...shelved.keys()])) {
      if (!sameSet(this.shelved.get(key), shelved.get(key))) this.reshelved.add(key);
    }
    this.shelved = shelved;
  }

  /** Another instance judges the station now: its rule memory goes (its standing alarms stay in the database). */
  onForget(site: string, station: string): void {
    this.memory.delete(stationKey(site, station));
  }

  /** The hub hands each live message here, already in the station's queue. */
  async onTelemetry(message: Telemetry, station: StationLatest, receivedAt: number): Promise<void> {
    this.counters.telemetry += 1;
    // The rules see the station as this message left it, even if newer ones arrived since.
    await this.evaluateNow(message.site, message.station, receivedAt, station);
  }

  /** An edge's status (already applied to the hub's edge registry): its stations are evaluated. */
  async onEdgeStatus(status: EdgeStatus, receivedAt: number): Promise<void> {
    const stations = new Set(Object.keys(status.stations));
    for (const held of this.deps.hub.latest.list()) {
      if (held.site === status.site && held.edge === status.edge) stations.add(held.station);
    }
    await Promise.all([...stations].map((station) => this.evaluate(status.site, station, receivedAt)));
  }

  /**
   * The clock's turn (every second): evaluates the stations whose outcome time alone may have changed
   * since their last evaluation (a delay ran out, the station fell silent past its site's stale age,
   * the edges' start grace ended), or whose shelves or thresholds changed, or that were never
   * evaluated. A station whose messages keep coming and whose delays are not due is left to them.
   */
  async evaluateAll(now: number): Promise<void> {
    await this.refreshShelves(now);
    // A clock that went back: every delay's `since` may be ahead of it, so judge them all.
    const all = now < this.lastTickAt || this.allRethresholded;
    this.lastTickAt = now;
    const stations = new Map<string, { site: string; station: string }>();
    const consider = (site: string, station: string) => {
      const key = stationKey(site, station);
      if (stations.has(key)) return;
      const dueAt = this.memory.get(key)?.dueAt;
      if (
        all ||
        dueAt === undefined ||
        dueAt <= now ||
        this.reshelved.has(key) ||
        this.rethresholded.has(site)
      )
        stations.set(key, { site, station });
    };
    for (const { site, station } of this.deps.hub.latest.list()) consider(site, station);
    for (const { site, station } of this.memory.values()) consider(site, station);
    for (const edge of this.deps.hub.edges.list()) {
      for (const station of Object.keys(edge.stations)) consider(edge.site, station);
    }
    this.reshelved.clear();
    this.rethresholded.clear();
    this.allRethresholded = false;
    this.counters.timedEvaluations += stations.size;
    await Promise.all([...stations.values()].map(({ site, station }) => this.evaluate(site, station, now)));
  }

  /** Evaluates in the station's queue, after its messages; a failure is logged and counted, never thrown. */
  private evaluate(site: string, station: string, now: number): Promise<void> {
    return this.deps.hub.enqueue(site, station, () => this.evaluateNow(site, station, now));
  }

  /** `held`: the station's state to judge; default what the hub holds now. */
  private async evaluateNow(
    site: string,
    station: string,
    now: number,
    held = this.deps.hub.latest.get(site, station),
  ): Promise<void> {
    const entry = this.memoryOf(site, station);
    // Until this evaluation is through (a database outage may stop it), the next tick evaluates again.
    entry.dueAt = undefined;
    try {
      // Known after a site's first message: no await (and no turn of the microtask queue) per message.
      const thresholds = this.thresholds.get(site) ?? (await this.thresholdsFor(site));
      const readings = stationReadings(
        { site, station },
        held,
        this.deps.hub.edges.ofSite(site),
        now,
        thresholds.staleAfterMs,
        this.judgeEdgesFrom,
      );
      const { memory, transitions } = evaluateStation({
        readings,
        thresholds,
        memory: entry.memory,
        now,
        ...(this.deps.rules ? { rules: this.deps.rules } : {}),
        shelved: this.shelved.get(stationKey(site, station)),
        // Read at each evaluation: a reloaded profile's code tables apply from the next message.
        profileReadings: this.deps.hub.latest.profiles.readings(held?.model),
      });
      // The memory moves on only once every transition is recorded: when the database is away, the
      // same transitions fire again at the next evaluation (the tick runs every second), so an alarm
      // raised during an outage still becomes its alarm and its ticket.
      for (const transition of transitions) await this.apply({ site, station }, transition);
      entry.memory = memory;
      entry.dueAt = Math.min(
        // An alarm that changed changes the causes other rules are suppressed by: judge again next tick.
        transitions.length > 0 ? now : Number.POSITIVE_INFINITY,
        nextDelayDue(memory, this.deps.rules),
        // `stale` turns true once the newest reading is more than staleAfterMs old.
        held && !readings.stale ? held.receivedAt + thresholds.staleAfterMs + 1 : Number.POSITIVE_INFINITY,
        now < this.judgeEdgesFrom ? this.judgeEdgesFrom : Number.POSITIVE_INFINITY,
      );
    } catch (error) {
      this.counters.failures += 1;
      this.deps.logger.error({ err: error, site, station }, 'alarm evaluation failed');
    }
  }

  private memoryOf(site: string, station: string): MemoryEntry {
    const key = stationKey(site, station);
    let entry = this.memory.get(key);
    if (!entry) {
      entry = { site, station, memory: emptyMemory() };
      this.memory.set(key, entry);
    }
    return entry;
  }

  private async thresholdsFor(site: string): Promise<SiteThresholds> {
    let thresholds = this.thresholds.get(site);
    if (!thresholds) {
      thresholds = await this.deps.assets.thresholds(site);
      this.thresholds.set(site, thresholds);
    }
    return thresholds;
  }

  private async apply(entry: { site: string; station: string }, t: AlarmTransition): Promise<void> {
    const { db, alarms, tickets, events, policy } = this.deps;
    if (t.change === 'cleared') {
      const alarm = await alarms.clear(entry.site, entry.station, t);
      if (alarm) {
        this.counters.alarmsCleared += 1;
        events.emit('alarm', { change: 'cleared', alarm: alarmView(alarm) });
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
          ...(t.titleCode
            ? // A vendor code: its own text in the reader's language, with the code and the reading.
              {
                titleCode: 'ticket.vendorCode' as const,
                titleParams: { ...t.titleParams, subject: t.subject },
              }
            : {
                titleCode: t.subject ? ('ticket.faultOn' as const) : ('ticket.fault' as const),
                titleParams: t.subject
                  ? { fault: t.faultClass, subject: t.subject }
                  : { fault: t.faultClass },
              }),
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
    this.counters.alarmsRaised += 1;
    events.emit('alarm', { change: outcome === 'new' ? 'raised' : 'raised_again', alarm: alarmView(alarm) });
    if (!opened) return;
    if (opened.outcome === 'occurrence') this.counters.occurrences += 1;
    else this.counters.ticketsOpened += 1;
    const { id, state, site, station, fault_class: faultClass, subject } = opened.ticket;
    events.emit('ticket', {
      change: opened.outcome,
      ticket: { id, state, site, station, faultClass, subject },
    });
  }

  /** Records SLA escalations that came due (once per ticket, clock and level across instances). */
  async escalate(now: number, policies: Map<string, SlaPolicy>, calendar?: BusinessCalendar): Promise<void> {
    const open = await this.deps.tickets.list({ states: [...OPEN_STATES], limit: 5000 });
    const events = await this.deps.tickets.eventsOf(open.map((ticket) => ticket.id));
    for (const ticket of open) {
      const view = ticketView(
        ticket,
        events.get(ticket.id) ?? [],
        policies.get(ticket.sla_policy_id),
        now,
        false,
        calendar,
      );
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
        this.counters.escalations += 1;
        this.deps.events.emit('ticket', { change: 'escalation', ticket: view, escalation });
      }
    }
  }
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const key of a ?? []) if (!b?.has(key)) return false;
  return true;
}
