import type { AlarmEvent, TicketEvent } from '../../core/live/events.ts';
import type { Logger } from '../../core/log.ts';
import { dueAlarmSteps, recipientOf, teamOf } from '../../core/notify/rota.ts';
import type { NotifySettings } from '../../core/notify/settings.ts';
import type { AlarmStore } from '../alarms/alarm-store.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { AlarmRow } from '../db/schema.ts';
import type { ServiceEvents } from '../service-layer.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import type { Channel, ChannelName } from './channel.ts';
import { buildChannels, type DispatchCounts, Dispatcher, type Notice, type Recipient } from './dispatcher.ts';
import type { NotifyStore } from './notify-store.ts';
import type { ChainRow } from './notify-tables.ts';
import { customerContacts, recipientOfUser, stationName } from './recipients.ts';
import { WebhookQueue } from './webhook-queue.ts';

export interface NotifyServiceDeps {
  store: NotifyStore;
  alarms: AlarmStore;
  tickets: TicketStore;
  assets: AssetStore;
  events: ServiceEvents;
  /** The service layer's clock: chains and retries run on it (a simulated one in tests). */
  clock: () => number;
  logger: Logger;
}

export interface NotifyCounters {
  chainsStarted: number;
  chainsStopped: number;
  /** Chains a re-raise of their fault took up again after a clear. */
  chainsResumed: number;
  /** Messages held through quiet hours, and those of them sent or cancelled when the hours ended. */
  held: number;
  released: number;
  sent: number;
  failed: number;
  skipped: number;
  duplicates: number;
  /** Events whose handling failed (logged); nothing else is stopped by them. */
  failures: number;
}

const ACKNOWLEDGED = new Set(['active_ack', 'cleared_ack']);
/** `stopped_by` of a chain its alarm's clear stopped: the one stop a re-raise of the fault undoes. */
export const CLEARED = 'cleared';
const ALARM_KINDS = new Set(['alarm.raised', 'alarm.escalated']);

/** One message per fault: an alarm's ticket when it has one (its flaps and re-raises share it), else the alarm. */
export function faultKeyOf(alarm: Pick<AlarmRow, 'id' | 'ticket_id'>): string {
  return alarm.ticket_id !== null ? `ticket:${alarm.ticket_id}` : `alarm:${alarm.id}`;
}

/**
 * Escalation chains and customer notices: listens to the service events, runs each fault's chain
 * on the injected clock (tick), and hands messages to the dispatcher (channels, limits, log) and
 * the webhook queue. Work runs one job at a time, in the order the events came.
 */
export class NotifyService {
  readonly counters: NotifyCounters = {
    chainsStarted: 0,
    chainsStopped: 0,
    chainsResumed: 0,
    held: 0,
    released: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    duplicates: 0,
    failures: 0,
  };
  private settingsNow: NotifySettings | undefined;
  private channels = new Map<ChannelName, Channel>();
  private readonly dispatcher: Dispatcher;
  readonly webhooks: WebhookQueue;
  private work: Promise<void> = Promise.resolve();
  private ticking: Promise<void> | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: NotifyServiceDeps) {
    this.dispatcher = new Dispatcher(deps.store, deps.logger);
    this.webhooks = new WebhookQueue(deps.store, deps.logger);
  }

  /** Loads the settings and starts listening. */
  async start(): Promise<void> {
    await this.reload();
    const onAlarm = (event: AlarmEvent) => this.enqueue(() => this.onAlarm(event));
    const onTicket = (event: TicketEvent) => this.enqueue(() => this.onTicket(event));
    this.deps.events.on('alarm', onAlarm);
    this.deps.events.on('ticket', onTicket);
    this.unsubscribe.push(
      () => this.deps.events.off('alarm', onAlarm),
      () => this.deps.events.off('ticket', onTicket),
    );
  }

  /** Re-reads the settings (after an admin saved them) and rebuilds the channels. */
  async reload(): Promise<NotifySettings> {
    const settings = await this.deps.store.settings();
    this.closeChannels();
    this.settingsNow = settings;
    this.channels = buildChannels(settings, this.deps.clock);
    return settings;
  }

  private get settings(): NotifySettings {
    if (!this.settingsNow) throw new Error('NotifyService.start() must run first');
    return this.settingsNow;
  }

  /** Steps that came due (supervisor after N minutes) and webhook retries; call on the service tick. */
  tick(now: number): Promise<void> {
    // One tick waits at most: ticks that come while one is queued or running are dropped, not stacked.
    if (this.ticking) return this.ticking;
    this.ticking = this.enqueue(async () => {
      this.ticking = undefined;
      for (const chain of await this.deps.store.runningChains()) await this.advance(chain, now);
      await this.releaseHeld(now);
      await this.webhooks.deliverDue(this.settings, now);
    });
    return this.ticking;
  }

  /** The escalation chain of a ticket's fault (its latest), for the ticket's readers and tests. */
  async chainOfTicket(ticketId: number): Promise<ChainRow | undefined> {
    return (await this.deps.store.chainsOfTicket(ticketId)).at(-1);
  }

  /** Resolves when every job queued so far has run. */
  idle(): Promise<void> {
    return this.work;
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.work;
    this.closeChannels();
  }

  private closeChannels(): void {
    for (const channel of this.channels.values()) (channel as { close?: () => void }).close?.();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.work = this.work.then(job).catch((error: unknown) => {
      this.counters.failures += 1;
      this.deps.logger.error({ err: error }, 'notification job failed');
    });
    return this.work;
  }

  private async onAlarm(event: AlarmEvent): Promise<void> {
    if (!('alarm' in event)) return;
    const now = this.deps.clock();
    const alarm = await this.deps.alarms.get(event.alarm.id);
    if (!alarm) return;
    const faultKey = faultKeyOf(alarm);
    if (event.change === 'acknowledged') {
      const by = alarm.acknowledged_by ?? 'acknowledged';
      let stopped = await this.deps.store.stopChains({ alarmId: alarm.id }, now, by);
      if (alarm.ticket_id !== null)
        stopped += await this.deps.store.stopChains({ ticketId: alarm.ticket_id }, now, by);
      this.counters.chainsStopped += stopped;
      if (stopped > 0)
        await this.noteChange(alarm, faultKey, now, 'acknowledged', {
          text: `escalation stopped: the alarm was acknowledged by ${by}`,
          code: 'event.escalationAcknowledged',
          params: { by },
        });
      return;
    }
    // The equipment runs normally again: nobody needs to be called for it (直至…运行正常为止).
    if (event.change === 'cleared') {
      const stopped = await this.deps.store.stopChains({ alarmId: alarm.id }, now, CLEARED);
      this.counters.chainsStopped += stopped;
      if (stopped > 0)
        await this.noteChange(alarm, faultKey, now, 'cleared', {
          text: 'escalation stopped: the alarm cleared, the equipment runs normally again',
          code: 'event.escalationCleared',
        });
      return;
    }
    if (event.change !== 'raised' && event.change !== 'raised_again') return;
    if (ACKNOWLEDGED.has(alarm.status)) return;
    // A fault that comes back after a clear takes its chain up where it stopped: the steps already
    // sent are not sent again (a flapping alarm), those still to come count from the first raise.
    if (await this.deps.store.resumeChain(faultKey, CLEARED, alarm.id)) {
      this.counters.chainsResumed += 1;
      await this.noteChange(alarm, faultKey, now, 'resumed', {
        text: 'escalation resumed: the alarm was raised again',
        code: 'event.escalationResumed',
      });
    }
    const started = await this.deps.store.startChain({
      fault_key: faultKey,
      site: alarm.site,
      station: alarm.station,
      alarm_id: alarm.id,
      ticket_id: alarm.ticket_id,
      severity: alarm.severity,
      params: {
        station: await stationName(this.deps.assets, alarm.site, alarm.station),
        fault: alarm.fault_class,
        subject: alarm.subject,
        severity: alarm.severity,
        at: alarm.raised_at,
        ...(alarm.ticket_id !== null ? { ticket: alarm.ticket_id } : {}),
      },
      raised_at: now,
    });
    if (started) this.counters.chainsStarted += 1;
    const chain = await this.deps.store.chain(faultKey);
    if (chain) await this.advance(chain, now);
  }

  /** Sends the chain's steps that are due, unless its alarm was acknowledged meanwhile. */
  private async advance(chain: ChainRow, now: number): Promise<void> {
    if (chain.stopped_at !== null) return;
    const steps = this.settings.chains[chain.severity as keyof NotifySettings['chains']]?.steps ?? [];
    const due = dueAlarmSteps(steps, chain.raised_at, now, new Set(chain.sent_steps));
    // Nothing due: nothing to read. Every tick read each running chain's alarm before, a query per
    // unacknowledged alarm per second (the acknowledgement event stops a chain at once anyway).
    if (due.length === 0) return;
    if (chain.alarm_id !== null) {
      const alarm = await this.deps.alarms.get(chain.alarm_id);
      if (alarm && ACKNOWLEDGED.has(alarm.status)) {
        await this.stop({ alarmId: alarm.id }, now, alarm.acknowledged_by ?? 'acknowledged');
        return;
      }
    }
    const team = teamOf(this.settings.teams, chain.site);
    for (const index of due) {
      const step = steps[index];
      if (!step) continue;
      const notice: Notice = {
        dedupeKey: `${chain.fault_key}:step:${index}`,
        kind: index === 0 || step.afterMinutes === 0 ? 'alarm.raised' : 'alarm.escalated',
        params: { ...chain.params, minutes: step.afterMinutes },
        severity: chain.severity,
        site: chain.site,
        station: chain.station,
        onCall: step.to === 'on_call',
      };
      await this.notifyUser(recipientOf(step, team, now), notice, now);
      await this.deps.store.markStepSent(chain.fault_key, index);
    }
  }

  private async stop(by: { alarmId?: number; ticketId?: number }, now: number, who: string): Promise<void> {
    this.counters.chainsStopped += await this.deps.store.stopChains(by, now, who);
  }

  /**
   * Says on the fault's ticket timeline (action `escalation`: the service team's, not the portal's)
   * and in the log that its chain stopped or resumed. Once per change and step reached: a flapping
   * alarm stops and resumes its chain each flap, and writes one line for it, not a hundred.
   */
  private async noteChange(
    alarm: Pick<AlarmRow, 'id' | 'ticket_id'>,
    faultKey: string,
    now: number,
    what: 'acknowledged' | 'cleared' | 'resumed',
    note: {
      text: string;
      code: 'event.escalationAcknowledged' | 'event.escalationCleared' | 'event.escalationResumed';
      params?: Record<string, string>;
    },
  ): Promise<void> {
    const steps = (await this.deps.store.chain(faultKey))?.sent_steps.length ?? 0;
    const fresh =
      alarm.ticket_id === null ||
      (await this.deps.tickets.recordOnce(
        alarm.ticket_id,
        `chain:${what}:${steps}`,
        now,
        'escalation',
        note,
        {
          chain: what,
        },
      ));
    if (fresh) this.deps.logger.info({ alarm: alarm.id, ticket: alarm.ticket_id, faultKey }, note.text);
  }

  /** Messages held through quiet hours whose hours ended: sent now, unless their fault was seen to meanwhile. */
  private async releaseHeld(now: number): Promise<void> {
    const counts = await this.dispatcher.releaseHeld(
      now,
      this.settings,
      this.channels,
      async (id) =>
        id.startsWith('user:') ? await recipientOfUser(this.deps.store, id.slice('user:'.length)) : undefined,
      async (row) => {
        if (!ALARM_KINDS.has(row.kind)) return undefined;
        const faultKey = /^(.*):step:\d+$/.exec(row.dedupe_key)?.[1];
        const chain = faultKey ? await this.deps.store.chain(faultKey) : undefined;
        if (!chain || chain.stopped_at === null) return undefined;
        return chain.stopped_by === CLEARED
          ? 'the alarm cleared before quiet hours ended'
          : `acknowledged (${chain.stopped_by ?? ''}) before quiet hours ended`;
      },
    );
    this.counters.released += counts.sent + counts.failed + counts.skipped;
    this.count(counts);
  }

  private async onTicket(event: TicketEvent): Promise<void> {
    const now = this.deps.clock();
    const id = event.ticket.id;
    if (event.change === 'escalation' && event.escalation?.level === 'at_risk') {
      await this.slaAtRisk(id, event.escalation.clock, now);
      return;
    }
    // A person acting on the ticket has seen it: its chain stops.
    if (['triage', 'dispatch', 'arrive', 'resolve', 'close'].includes(event.change))
      await this.stop({ ticketId: id }, now, 'ticket');
    const kind =
      event.change === 'opened'
        ? 'ticket.opened'
        : event.change === 'dispatch'
          ? 'ticket.dispatched'
          : event.change === 'resolve'
            ? 'ticket.resolved'
            : undefined;
    if (kind) await this.notifyCustomer(id, kind, now);
  }

  private async slaAtRisk(ticketId: number, clock: string, now: number): Promise<void> {
    const ticket = await this.deps.tickets.get(ticketId);
    if (!ticket) return;
    const steps = this.settings.chains[ticket.severity as keyof NotifySettings['chains']]?.steps ?? [];
    const team = teamOf(this.settings.teams, ticket.site);
    const params = {
      ticket: ticket.id,
      station: await stationName(this.deps.assets, ticket.site, ticket.station),
      fault: ticket.fault_class ?? ticket.subject,
      clock,
    };
    for (const [index, step] of steps.entries()) {
      if (step.trigger !== 'sla_at_risk') continue;
      await this.notifyUser(
        recipientOf(step, team, now),
        {
          dedupeKey: `ticket:${ticket.id}:sla:${clock}:step:${index}`,
          kind: 'sla.at_risk',
          params,
          severity: ticket.severity,
          site: ticket.site,
          station: ticket.station,
        },
        now,
      );
    }
  }

  private async notifyCustomer(
    ticketId: number,
    kind: 'ticket.opened' | 'ticket.dispatched' | 'ticket.resolved',
    now: number,
  ): Promise<void> {
    const { customers } = this.settings;
    const ticket = await this.deps.tickets.get(ticketId);
    if (!ticket) return;
    const params: Notice['params'] = {
      ticket: ticket.id,
      station: await stationName(this.deps.assets, ticket.site, ticket.station),
      fault: ticket.fault_class ?? ticket.subject,
      ...(ticket.technician ? { technician: ticket.technician } : {}),
      ...(ticket.expected_arrival !== null ? { eta: ticket.expected_arrival } : {}),
      ...(customers.surveyUrl
        ? { survey: customers.surveyUrl.replaceAll('{ticket}', String(ticket.id)) }
        : {}),
    };
    const notice: Notice = {
      dedupeKey: `ticket:${ticket.id}:${kind}:${ticket.reopen_count ?? 0}`,
      kind,
      params,
      site: ticket.site,
      station: ticket.station,
    };
    await this.webhooks.enqueue(this.settings, {
      id: notice.dedupeKey,
      kind,
      at: now,
      site: ticket.site,
      station: ticket.station,
      params,
    });
    if (!customers.enabled) return;
    for (const contact of await customerContacts(this.deps.assets, ticket.site, customers.language))
      this.count(await this.dispatcher.dispatch(notice, contact, this.settings, this.channels, now));
  }

  private async notifyUser(username: string | undefined, notice: Notice, now: number): Promise<void> {
    await this.webhooks.enqueue(this.settings, {
      id: notice.dedupeKey,
      kind: notice.kind,
      at: now,
      site: notice.site ?? null,
      station: notice.station ?? null,
      params: notice.params,
    });
    if (!username) {
      this.deps.logger.warn(
        { key: notice.dedupeKey },
        'escalation step names nobody (no team, rota or role)',
      );
      this.counters.skipped += 1;
      return;
    }
    const recipient = await recipientOfUser(this.deps.store, username);
    this.count(await this.dispatcher.dispatch(notice, recipient, this.settings, this.channels, now));
  }

  /**
   * A message a flow sends to a platform user through the user's own channels (e-mail, SMS, robot),
   * with the same log, quiet hours and rate limit as the escalations; `dedupeKey` makes it once only.
   */
  sendToUser(input: {
    username: string;
    subject: string;
    text: string;
    dedupeKey: string;
    severity?: string;
  }) {
    return new Promise<DispatchCounts>((resolve, reject) => {
      void this.enqueue(async () => {
        try {
          const recipient = await recipientOfUser(this.deps.store, input.username);
          const notice: Notice = {
            dedupeKey: input.dedupeKey,
            kind: 'flow.message',
            params: { subject: input.subject, text: input.text },
            ...(input.severity ? { severity: input.severity } : {}),
          };
          const counts = await this.dispatcher.dispatch(
            notice,
            recipient,
            this.settings,
            this.channels,
            this.deps.clock(),
          );
          this.count(counts);
          resolve(counts);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /**
   * A notice with files (a signed service record's PDF) by e-mail to the contacts of the customer
   * that owns `site` (when customer notices are on) and to sales (customers.salesEmail); resolves
   * with the addresses that accepted it.
   */
  mailDocument(notice: Notice, site: string): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      void this.enqueue(async () => {
        try {
          const { customers } = this.settings;
          const contacts = customers.enabled
            ? await customerContacts(this.deps.assets, site, customers.language)
            : [];
          const recipients: Recipient[] = contacts
            .filter((contact) => contact.email)
            .map((contact) => ({ ...contact, phone: null, robot: null }));
          if (customers.salesEmail)
            recipients.push({
              id: 'sales',
              language: customers.language,
              timeZone: 'Asia/Shanghai',
              email: customers.salesEmail,
            });
          const sent: string[] = [];
          for (const recipient of recipients) {
            const counts = await this.dispatcher.dispatch(
              notice,
              recipient,
              this.settings,
              this.channels,
              this.deps.clock(),
            );
            this.count(counts);
            if (counts.sent > 0 && recipient.email) sent.push(recipient.email);
          }
          resolve(sent);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private count(counts: DispatchCounts): void {
    this.counters.held += counts.held;
    this.counters.sent += counts.sent;
    this.counters.failed += counts.failed;
    this.counters.skipped += counts.skipped;
    this.counters.duplicates += counts.duplicate;
  }
}
