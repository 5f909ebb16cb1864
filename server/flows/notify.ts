import { z } from 'zod';

/** A webhook POST: a flow's own JSON to an SMS gateway, a group robot or a chat bridge. */
const webhookSchema = z
  .object({
    channel: z.literal('webhook'),
    /** http(s) URL the webhook POSTs to (an SMS gateway, a WeCom group robot, a chat bridge). */
    url: z.string().refine((text) => /^https?:\/\//.test(text) && URL.canParse(text), 'an http(s) URL'),
    /** The body, as JSON. A WeCom robot wants `{msgtype: 'text', text: {content}}`; pass that shape here. */
    body: z.unknown(),
    /** Extra request headers (an API key of the gateway). */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/**
 * A message to a platform user through the user's own channels (e-mail, SMS, robot, as set in the
 * notification settings): logged, rate-limited and held in quiet hours like the escalations.
 */
const userMessageSchema = z
  .object({
    channel: z.literal('user'),
    /** The account's username. */
    to: z.string().min(1).max(64),
    subject: z.string().max(200).default(''),
    text: z.string().min(1).max(2000),
    /** Sent once per key (a flow's message id): a redeploy or a retry sends nothing twice. */
    dedupeKey: z.string().min(1).max(200),
    /** A major message goes out in quiet hours too. */
    severity: z.enum(['minor', 'general', 'major']).optional(),
  })
  .strict();

/** What a flow asks to send. */
export const notificationSchema = z.discriminatedUnion('channel', [webhookSchema, userMessageSchema]);
export type Notification = z.input<typeof notificationSchema>;

export interface NotificationResult {
  ok: boolean;
  status: number;
  /** The first 500 characters of the answer, for the node's debug output. */
  answer: string;
}

export type SendNotification = (notification: Notification) => Promise<NotificationResult>;

/** Webhook POSTs only (a server without the notification service, and tests of the node). */
export function webhookNotifier(options: { timeoutMs?: number } = {}): SendNotification {
  return async (input) => {
    const n = notificationSchema.parse(input);
    if (n.channel !== 'webhook')
      throw new Error('only webhooks can be sent without the notification service');
    const response = await fetch(n.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...n.headers },
      body: JSON.stringify(n.body ?? {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const answer = (await response.text()).slice(0, 500);
    return { ok: response.ok, status: response.status, answer };
  };
}

/** The platform's side of sending: what NotifyService offers a flow. */
export interface UserMessenger {
  sendToUser(input: {
    username: string;
    subject: string;
    text: string;
    dedupeKey: string;
    severity?: string;
  }): Promise<{ sent: number; failed: number; skipped: number; duplicate: number }>;
}

/** Webhooks as before; `user` messages through the platform's notification channels. */
export function platformNotifier(
  messenger: UserMessenger,
  options: { timeoutMs?: number } = {},
): SendNotification {
  const webhook = webhookNotifier(options);
  return async (input) => {
    const n = notificationSchema.parse(input);
    if (n.channel === 'webhook') return await webhook(n);
    const counts = await messenger.sendToUser({
      username: n.to,
      subject: n.subject,
      text: n.text,
      dedupeKey: n.dedupeKey,
      ...(n.severity ? { severity: n.severity } : {}),
    });
    const ok = counts.sent > 0 || counts.duplicate > 0;
    return { ok, status: ok ? 200 : 202, answer: JSON.stringify(counts) };
  };
}
