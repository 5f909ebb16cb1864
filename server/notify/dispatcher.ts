import type { Logger } from '../../core/log.ts';
import { type MessageKind, type MessageParams, renderMessage } from '../../core/notify/messages.ts';
import { inQuietHours } from '../../core/notify/rota.ts';
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
  /** Files for the e-mail (a service record's PDF). */
  attachments?: Attachment[];
}

export interface DispatchCounts {
  sent: number;
  failed: number;
  skipped: number;
  duplicate: number;
}

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
    const counts: DispatchCounts = { sent: 0, failed: 0, skipped: 0, duplicate: 0 };
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
    // Quiet hours hold everything but major faults; the rate limit holds everything past its count.
    const quiet =
      notice.severity !== 'major' && inQuietHours(recipient.quietHours ?? null, now, recipient.timeZone);
    const limited =
      !quiet &&
      (await this.store.sentSince(recipient.id, now - 3_600_000)) >= settings.limits.perRecipientPerHour;
    for (const [channel, address] of addresses) {
      const status = quiet ? 'quiet' : limited ? 'rate_limited' : 'pending';
      const id = await this.store.claim({ ...base, channel, address, status, detail: '' });
      if (id === undefined) {
        counts.duplicate += 1;
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
      try {
        await channels.get(channel)?.send(message);
        await this.store.settle(id, 'sent');
        counts.sent += 1;
      } catch (error) {
        await this.store.settle(id, 'failed', (error as Error).message);
        counts.failed += 1;
        this.logger.warn(
          { channel, recipient: recipient.id, err: (error as Error).message },
          'message not delivered',
        );
      }
    }
    return counts;
  }
}
