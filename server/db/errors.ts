import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';

/** SQLSTATE 23505: a unique index refused the row (pg and PGlite both set `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * A request the data refuses (illegal transition, unknown id); `status` is the HTTP status to answer,
 * `code` and `params` (core/i18n) the sentence for a reader of another language.
 */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
    readonly code?: MessageCode,
    readonly params: MessageParams = {},
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

/**
 * Runs `attempt` (a whole transaction) again when a unique index refused one of its rows: a
 * concurrent writer won the race, and the retry sees its row.
 */
export async function retryOnUniqueViolation<T>(attempt: () => Promise<T>, attempts = 8): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isUniqueViolation(error) || tried >= attempts) throw error;
    }
  }
}
