import { z } from 'zod';

/** What a flow asks to send: a short text to a channel, with its parameters for a code-based channel. */
export const notificationSchema = z
  .object({
    /** Where it goes. Only `webhook` exists until the platform's notification channels are merged. */
    channel: z.literal('webhook'),
    /** http(s) URL the webhook POSTs to (an SMS gateway, a WeCom group robot, a chat bridge). */
    url: z.string().refine((text) => /^https?:\/\//.test(text) && URL.canParse(text), 'an http(s) URL'),
    /** The body, as JSON. A WeCom robot wants `{msgtype: 'text', text: {content}}`; pass that shape here. */
    body: z.unknown(),
    /** Extra request headers (an API key of the gateway). */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type Notification = z.input<typeof notificationSchema>;

export interface NotificationResult {
  ok: boolean;
  status: number;
  /** The first 500 characters of the answer, for the node's debug output. */
  answer: string;
}

export type SendNotification = (notification: Notification) => Promise<NotificationResult>;

/**
 * The one way a flow sends a message out (the `aftercare notify` node). Today it POSTs to a webhook;
 * the platform's notification channels (e-mail, SMS, WeCom) will answer here once they exist, so
 * flows keep working unchanged.
 */
export function webhookNotifier(options: { timeoutMs?: number } = {}): SendNotification {
  return async (input) => {
    const n = notificationSchema.parse(input);
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
