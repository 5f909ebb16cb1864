import { z } from 'zod';
import { sendCommand } from '../../core/api/commands.ts';
import { healthScores } from '../../core/api/predictive.ts';
import { createTicket, transitionTicket } from '../../core/api/tickets.ts';
import { commandRequestSchema } from '../../core/commands/payloads.ts';
import { idSchema } from '../../core/ids.ts';
import type { AlarmEvent } from '../../core/live/events.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import type { CommandService } from '../commands/command-service.ts';
import type { StationHub } from '../ingest/station-hub.ts';
import type { PredictiveShell } from '../predictive/predictive-shell.ts';
import { indicatorViews, stationHealth } from '../predictive/station-model.ts';
import type { ServiceLayer } from '../service-layer.ts';
import { insertTicketEvent } from '../tickets/ticket-events.ts';
import { type FlowOwnerResolver, FlowRefusal } from './flow-owner.ts';
import type { Notification, NotificationResult, SendNotification } from './notify.ts';

const SEVERITIES = ['minor', 'general', 'major'] as const;

/** What the `aftercare ticket` node takes to open a ticket (msg.payload). */
export const flowTicketSchema = z
  .object({
    site: idSchema,
    station: idSchema,
    pump: z.number().int().min(1).max(16).nullable().default(null),
    /** The fault this ticket is for: one open ticket per station, fault and subject, as alarms have. */
    fault: z
      .string()
      .regex(/^[a-z0-9_.-]{1,64}$/, 'lower-case letters, digits, _ . or -')
      .default('flow'),
    title: z.string().min(1).max(200),
    severity: z.enum(SEVERITIES).default('general'),
    /** A note added to the ticket's timeline when this opens or reopens it. */
    note: z.string().max(2000).default(''),
  })
  .strict();

export const flowNoteSchema = z.object({
  ticket: z.number().int().min(1),
  note: z.string().min(1).max(2000),
});

const stationSchema = z.object({ site: idSchema, station: idSchema });

/** One reading the telemetry node passes on. */
export interface FlowReading {
  value: number | boolean | null;
  quality: string;
  unit?: string;
}

export interface FlowBridgeDeps {
  hub: StationHub;
  service: ServiceLayer;
  commands: CommandService | undefined;
  predictive: PredictiveShell | undefined;
  owner: FlowOwnerResolver;
  notify: SendNotification;
  clock?: () => number;
}

/**
 * Everything the domain nodes (server/flows/nodes) may touch, as Node-RED's settings hand it to them
 * (`RED.settings.aftercare`). Every action runs as the flows' owner, through the same services and
 * role rules as the HTTP API: a ticket through the ticket store's one-ticket-per-fault path, a command
 * through the audited command service.
 */
export class FlowBridge {
  /** Counted by outcome, per node kind: refused, failed and dropped messages are never silent. */
  readonly counts = new Map<string, number>();
  private readonly clock: () => number;
  private readonly telemetryListeners = new Set<(message: Telemetry) => void>();
  /** The hub subscription, held only while a telemetry node listens (none: no work per message). */
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: FlowBridgeDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  private listenToHub(): void {
    if (this.unsubscribe) return;
    // Listeners only hand the message on (node.send): the station's queue is not held up by flows.
    this.unsubscribe = this.deps.hub.subscribe({
      onTelemetry: async (message) => {
        for (const listener of this.telemetryListeners) listener(message);
      },
    });
  }

  count(kind: string, outcome: string): void {
    const key = `${kind}:${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Live telemetry of the sites the owner may see; returns the removal. */
  onTelemetry(listener: (message: Telemetry) => void): () => void {
    const guarded = (message: Telemetry) => {
      this.deps.owner
        .mayDo('signed-in', 'read telemetry', message.site)
        .then(() => listener(message))
        .catch(() => this.count('telemetry', 'refused'));
    };
    this.telemetryListeners.add(guarded);
    this.listenToHub();
    return () => {
      this.telemetryListeners.delete(guarded);
      if (this.telemetryListeners.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
      }
    };
  }

  /** Alarm changes (raised, raised again, acknowledged, cleared, shelved) of the owner's sites. */
  onAlarm(listener: (event: AlarmEvent) => void): () => void {
    const guarded = (event: AlarmEvent) => {
      const site = 'alarm' in event ? event.alarm.site : event.shelf.site;
      this.deps.owner
        .mayDo('signed-in', 'read alarms', site)
        .then(() => listener(event))
        .catch(() => this.count('alarm', 'refused'));
    };
    this.deps.service.events.on('alarm', guarded);
    return () => this.deps.service.events.off('alarm', guarded);
  }

  /** Opens a ticket, counts an occurrence on the open one, or reopens, as alarms do (decideTicket). */
  async openTicket(input: unknown) {
    const t = flowTicketSchema.parse(input);
    const owner = await this.deps.owner.mayDo(createTicket.access, 'open tickets', t.site);
    const at = this.clock();
    const { ticket, outcome } = await this.deps.service.stores.tickets.openOrAddOccurrence({
      site: t.site,
      station: t.station,
      pump: t.pump,
      faultClass: `flow.${t.fault}`,
      subject: t.pump === null ? '' : `pump[${t.pump}]`,
      title: t.title,
      severity: t.severity,
      at,
      actor: `flow:${owner.username}`,
      source: 'flow',
    });
    if (t.note && outcome !== 'occurrence') await this.addNote(ticket.id, t.note, owner.username, at);
    this.deps.service.events.emit('ticket', {
      change: outcome,
      ticket: {
        id: ticket.id,
        state: ticket.state,
        site: ticket.site,
        station: ticket.station,
        faultClass: ticket.fault_class,
        subject: ticket.subject,
      },
    });
    return { id: ticket.id, state: ticket.state, outcome, occurrences: ticket.occurrence_count };
  }

  /** A note on a ticket's timeline, by the flows' owner. */
  async noteTicket(input: unknown) {
    const n = flowNoteSchema.parse(input);
    const ticket = await this.deps.service.stores.tickets.get(n.ticket);
    if (!ticket) throw new FlowRefusal(`no ticket ${n.ticket}`, 'error.noTicket');
    const owner = await this.deps.owner.mayDo(transitionTicket.access, 'add notes to tickets', ticket.site);
    await this.addNote(ticket.id, n.note, owner.username, this.clock());
    return { id: ticket.id, state: ticket.state };
  }

  private async addNote(ticketId: number, note: string, username: string, at: number): Promise<void> {
    await insertTicketEvent(this.deps.service.db, {
      ticketId,
      at,
      actor: `flow:${username}`,
      action: 'note',
      from: null,
      to: null,
      note,
      data: JSON.stringify({ by: 'flow' }),
    });
  }

  /** A remote command through the command service (decided, audited, confirmed by read-back). */
  async command(input: unknown) {
    const { site, station, ...rest } = stationSchema.passthrough().parse(input);
    const request = commandRequestSchema.parse(rest);
    const owner = await this.deps.owner.mayDo(sendCommand.access, 'send commands', site);
    if (!this.deps.commands)
      throw new FlowRefusal('remote commands are off on this server', 'flows.noCommands');
    return await this.deps.commands.issue(
      { username: owner.username, role: owner.role },
      site,
      station,
      request,
    );
  }

  /** Health scores and each indicator's value, trend and prediction, of one station or every one. */
  async health(input: unknown) {
    const filter = z.object({ site: idSchema.optional(), station: idSchema.optional() }).parse(input ?? {});
    const owner = await this.deps.owner.mayDo(healthScores.access, 'read health scores', filter.site);
    const shell = this.deps.predictive;
    if (!shell) return [];
    return [...shell.stations.values()]
      .filter(
        (e) => (!filter.site || e.site === filter.site) && (!filter.station || e.station === filter.station),
      )
      .filter((e) => !owner.sites || owner.sites.includes(e.site))
      .map((e) => ({
        site: e.site,
        station: e.station,
        updatedAt: e.model.lastAt,
        health: stationHealth(e.model, e.config),
        indicators: indicatorViews(e.model, e.config),
      }));
  }

  /** A message out through the notification interface (notify.ts). */
  async notify(notification: Notification): Promise<NotificationResult> {
    await this.deps.owner.mayDo('signed-in', 'send notifications');
    return await this.deps.notify(notification);
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.telemetryListeners.clear();
  }
}
