import type { Logger } from '../../core/log.ts';

/**
 * One log line when the store starts failing and one when it works again, with counts: a stack
 * trace per failed write was about 1,000 lines per outage and hid everything else.
 */
export class OutageLog {
  #since: number | undefined;
  #failedWrites = 0;
  #heldMessages = 0;
  #lastError = '';

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A write failed; `firstForMessage` is true the first time for a message (it is now held). */
  failed(error: unknown, firstForMessage: boolean): void {
    this.#failedWrites++;
    if (firstForMessage) this.#heldMessages++;
    this.#lastError = error instanceof Error ? error.message : String(error);
    if (this.#since !== undefined) return;
    this.#since = this.clock();
    this.logger.warn(
      { error: this.#lastError },
      `${this.what} outage began: acknowledgements are held until it works`,
    );
  }

  /** A write went through. */
  succeeded(): void {
    if (this.#since === undefined) return;
    this.logger.info(
      {
        durationMs: this.clock() - this.#since,
        failedWrites: this.#failedWrites,
        heldMessages: this.#heldMessages,
        lastError: this.#lastError,
      },
      `${this.what} outage ended`,
    );
    this.#since = undefined;
    this.#failedWrites = 0;
    this.#heldMessages = 0;
  }
}
