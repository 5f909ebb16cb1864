import type { Logger } from '../../core/log.ts';
import { type MessageKind, type MessageParams, renderMessage } from '../../core/notify/messages.ts';
import { quietHoursEnd } from '../../core/notify/rota.ts';
import type { NotifyLanguage, NotifySettings } from '../../core/notify/settings.ts';
import type { Attachment, Channel, ChannelName, OutgoingMessage } from './channel.ts';
import { EmailChannel } from './email-channel.ts';
import type { NotifyStore } from './notify-store.ts';
import { RobotChannel } from './robot-channel.ts';
import { SmsChannel } from './sms-channel.ts';

/** Someone a message goes to: a user with a profile, or a customer's contact from master data. */
export interface Recipient {
  /** `user:<username>` or `contact:<customer>/<name>`: the log's and the rate limit's key. */
  id: string;
  language: NotifyLanguage;
  timeZone: string;
  email?: string | null;
  phone?: string | null;
  robot?: string | null;
  quietHours?: { from: string; to: string } | null;
}

export interface Notice {
  /** One message per fault and step (or per ticket and event): the same key is never sent twice. */
  dedupeKey: string;
  kind: MessageKind;
  params: MessageParams;
  severity?: string;
  site?: string;
  station?: string;
  /** Goes out in the recipient's quiet hours too: a step to whoever is on call now (see overridesQuiet). */
  onCall?: boolean;
  /** Files for the e-mail (a service record's PDF). */
  attachments?: Attachment[];
}

export interface DispatchCounts {
  sent: number;
  failed: number;
  skipped: number;
  duplicate: number;
  /** Due in the recipient's quiet hours: held, sent when they end (NotifyService.tick). */
  held: number;
}

/**
 * What quiet hours do not hold, as on-call services do it (PagerDuty's high urgency, Opsgenie's
 * priority that breaks through): a major fault, and any step to the person the rota has on call now,
 * whose shift is the promise to be reachable. Everything else waits for the quiet hours to end.
 */
export function overridesQuiet(notice: Pick<Notice, 'severity' | 'onCall'>): boolean {
  return notice.severity === 'major' || notice.onCall === true;
}

/** A held message that should not go out any more (its fault was acknowledged or cleared): why, else undefined. */
export type StaleCheck = (row: { dedupe_key: string; kind: string }) => Promise<string | undefined>;

/** The channels a settings document makes; rebuilt when an admin changes the settings. */
export function buildChannels(settings: NotifySettings, clock: () => number): Map<ChannelName, Channel> {
  const channels = new Map<ChannelName, Channel>();
  if (settings.smtp) channels.set('email', new EmailChannel(settings.smtp));
  if (settings.robots.length > 0) channels.set('robot', new RobotChannel(settings.robots, clock));
  if (settings.sms) channels.set('sms', new SmsChannel(settings.sms, clock));
  return channels;
}

/** Renders a notice per recipient, applies quiet hours and the rate limit, sends, and logs each result. */
export class Dispatcher {
  constructor(
    private readonly store: NotifyStore,
    private readonly logger: Logger,
  ) {}

  async dispatch(
    notice: Notice,
    recipient: Recipient,
    settings: NotifySettings,
    channels: Map<ChannelName, Channel>,
    now: number,
  ): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, failed: 0, skipped: 0, duplicate: 0, held: 0 };
    const { subject, body } = renderMessage(
      notice.kind,
      notice.params,
      recipient.language,
      recipient.timeZone,
    );
    const addresses: [ChannelName, string][] = [];
    if (recipient.email && channels.has('email')) addresses.push(['email', recipient.email]);
    if (recipient.phone && channels.has('sms')) addresses.push(['sms', recipient.phone]);
    if (recipient.robot && channels.has('robot')) addresses.push(['robot', recipient.robot]);
    const base = {
      at: now,
      dedupe_key: notice.dedupeKey,
      kind: notice.kind,
      recipient: recipient.id,
      language: recipient.language,
      subject,
      body,
      params: notice.params,
      site: notice.site ?? null,
      station: notice.station ?? null,
    };
    if (addresses.length === 0) {
      const claimed = await this.store.claim({
        ...base,
        channel: 'none',
        address: '',
        status: 'no_address',
        detail: '',
      });
      if (claimed === undefined) counts.duplicate += 1;
      else counts.skipped += 1;
      return counts;
    }
    // Quiet hours hold what does not override them until they end; the rate limit drops what is past its count.
    const holdUntil = overridesQuiet(notice)
      ? now
      : quietHoursEnd(recipient.quietHours ?? null, now, recipient.timeZone);
    const held = holdUntil > now;
    const limited =
      !held &&
      (await this.store.sentSince(recipient.id, now - 3_600_000)) >= settings.limits.perRecipientPerHour;
    for (const [channel, address] of addresses) {
      const status = held ? 'held' : limited ? 'rate_limited' : 'pending';
      const id = await this.store.claim({
        ...base,
        channel,
        address,
        status,
        detail: '',
        hold_until: held ? holdUntil : null,
      });
      if (id === undefined) {
        counts.duplicate += 1;
        continue;
      }
      if (status === 'held') {
        counts.held += 1;
        continue;
      }
      if (status !== 'pending') {
        counts.skipped += 1;
        continue;
      }
      const message: OutgoingMessage = {
        kind: notice.kind,
        address,
        subject,
        body,
        params: notice.params,
        language: recipient.language,
        timeZone: recipient.timeZone,
        ...(recipient.phone ? { mention: recipient.phone } : {}),
        ...(notice.attachments ? { attachments: notice.attachments } : {}),
      };
      if (await this.deliver(id, channels, channel, message, recipient.id)) counts.sent += 1;
      else counts.failed += 1;
    }
    return counts;
  }

  /**
   * Sends the messages held through quiet hours that are now due, as they were rendered when held,
   * with the recipient's channels as they are now; drops those `stale` names a reason for. Returns
   * how many went out.
   */
  async releaseHeld(
    now: number,
    settings: NotifySettings,
    channels: Map<ChannelName, Channel>,
    recipientOf: (id: string) => Promise<Recipient | undefined>,
    stale: StaleCheck,
  ): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, failed: 0, skipped: 0, duplicate: 0, held: 0 };
    for (const row of await this.store.heldDue(now)) {
      const why = await stale(row);
      if (why !== undefined) {
        await this.store.settle(row.id, 'cancelled', why);
        counts.skipped += 1;
        continue;
      }
      const recipient = await recipientOf(row.recipient);
      if (
        recipient &&
        (await this.store.sentSince(recipient.id, now - 3_600_000)) >= settings.limits.perRecipientPerHour
      ) {
        await this.store.settle(row.id, 'rate_limited');
        counts.skipped += 1;
        continue;
      }
      const message: OutgoingMessage = {
        kind: row.kind as OutgoingMessage['kind'],
        address: row.address,
        subject: row.subject,
        body: row.body,
        params: row.params,
        language: row.language as OutgoingMessage['language'],
        timeZone: recipient?.timeZone ?? 'Asia/Shanghai',
        ...(recipient?.phone ? { mention: recipient.phone } : {}),
      };
      await this.store.settle(row.id, 'pending');
      if (await this.deliver(row.id, channels, row.channel as ChannelName, message, row.recipient))
        counts.sent += 1;
      else counts.failed += 1;
    }
    return counts;
  }

  /** Hands one claimed message to its channel and settles its log row; true when it was accepted. */
  private async deliver(
    id: number,
    channels: Map<ChannelName, Channel>,
    channel: ChannelName,
    message: OutgoingMessage,
    recipient: string,
  ): Promise<boolean> {
    try {
      const through = channels.get(channel);
      if (!through) throw new Error(`channel ${channel} is not configured any more`);
      await through.send(message);
      await this.store.settle(id, 'sent');
      return true;
    } catch (error) {
      await this.store.settle(id, 'failed', (error as Error).message);
      this.logger.warn({ channel, recipient, err: (error as Error).message }, 'message not delivered');
      return false;
    }
  }
}
