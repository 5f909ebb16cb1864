import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a webhook receiver checks: `sha256=<hex HMAC-SHA256 of timestamp.body>`. */
export const SIGNATURE_HEADER = 'x-aftercare-signature';
/** Seconds since the epoch, signed with the body so a captured delivery cannot be replayed later. */
export const TIMESTAMP_HEADER = 'x-aftercare-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
