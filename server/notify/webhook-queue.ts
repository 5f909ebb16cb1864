import type { Logger } from '../../core/log.ts';
import type { NotifySettings } from '../../core/notify/settings.ts';
import { DeliveryError, postJson } from './channel.ts';
import type { NotifyStore } from './notify-store.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.ts';

/** What a webhook receives: one JSON object per event, its `id` unique per event (receivers dedupe by it). */
export interface WebhookEvent {
  id: string;
  kind: string;
  at: number;
  site?: string | null;
  station?: string | null;
  params: Record<string, string | number>;
}

/** The wait before attempt `attempts + 1`: base, 2 x base, 4 x base... capped at one hour. Pure. */
export function backoffMs(baseMs: number, attempts: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Signed webhook deliveries kept in the database: queued once per webhook and event, tried on the
 * clock's ticks with exponential back-off, and after the last attempt (or a refusal that retrying
 * cannot fix, a 4xx) kept as a dead letter until an admin replays it.
 */
export class WebhookQueue {
  private running = false;

  constructor(
    private readonly store: NotifyStore,
    private readonly logger: Logger,
  ) {}

  async enqueue(settings: NotifySettings, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (const hook of settings.webhooks) await this.store.enqueueDelivery(hook.id, event.id, body, event.at);
  }

  /** Tries every delivery due at `now`; one run at a time. Returns how many were delivered. */
  async deliverDue(settings: NotifySettings, now: number): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let delivered = 0;
    try {
      for (const delivery of await this.store.dueDeliveries(now)) {
        const hook = settings.webhooks.find((h) => h.id === delivery.webhook_id);
        const attempts = delivery.attempts + 1;
        if (!hook) {
          await this.store.updateDelivery(delivery.id, {
            status: 'dead',
            attempts,
            next_at: now,
            last_error: `webhook ${delivery.webhook_id} is no longer configured`,
          });
          continue;
        }
        const timestamp = Math.floor(now / 1000);
        try {
          await postJson(hook.url, delivery.body, {
            [SIGNATURE_HEADER]: signWebhook(hook.secret, timestamp, delivery.body),
            [TIMESTAMP_HEADER]: String(timestamp),
          });
          await this.store.updateDelivery(delivery.id, {
            status: 'delivered',
            attempts,
            next_at: now,
            last_error: '',
          });
          delivered += 1;
        } catch (error) {
          const retryable = !(error instanceof DeliveryError) || error.retryable;
          const dead = !retryable || attempts >= settings.limits.webhookAttempts;
          await this.store.updateDelivery(delivery.id, {
            status: dead ? 'dead' : 'pending',
            attempts,
            next_at: now + backoffMs(settings.limits.webhookBackoffMs, attempts),
            last_error: (error as Error).message,
          });
          if (dead)
            this.logger.warn(
              { webhook: hook.id, id: delivery.id, attempts },
              'webhook delivery dead-lettered',
            );
        }
      }
    } finally {
      this.running = false;
    }
    return delivered;
  }
}
