import type { MessageKind, MessageParams } from '../../core/notify/messages.ts';
import type { NotifyLanguage } from '../../core/notify/settings.ts';

export const CHANNEL_NAMES = ['email', 'sms', 'robot', 'webhook'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** One message to one address, already rendered in the reader's language. */
export interface OutgoingMessage {
  kind: MessageKind;
  /** An e-mail address, a phone number, or a robot's id. */
  address: string;
  subject: string;
  body: string;
  /** The code's parameters (SMS templates take these, not the text). */
  params: MessageParams;
  /** The reader's language and time zone (SMS templates render their parameters in them). */
  language: NotifyLanguage;
  timeZone: string;
  /** A phone to @-mention in a robot's group. */
  mention?: string;
  /** Files to attach (e-mail only; other channels send the text). */
  attachments?: Attachment[];
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A way to reach people. `send` resolves when the far side accepted the message, else throws DeliveryError. */
export interface Channel {
  readonly name: ChannelName;
  send(message: OutgoingMessage): Promise<void>;
}

/** A message the far side did not accept; `retryable` says whether trying again can help. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** POSTs JSON and reads a JSON answer; a network error or 5xx may be retried, a 4xx not. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ status: number; json: unknown; text: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`POST ${redact(url)} failed: ${(error as Error).message}`, true);
  }
  const text = await response.text();
  if (!response.ok)
    throw new DeliveryError(`POST ${redact(url)} answered ${response.status}`, response.status >= 500);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** A URL for a log line: robot keys and tokens in the query stay out of it. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(bad url)';
  }
}

/** Cuts UTF-8 text to at most `bytes` bytes without splitting a character. */
export function cutBytes(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  let end = bytes;
  // Back up over continuation bytes (10xxxxxx) to a character's start.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return encoded.subarray(0, end).toString('utf8');
}
