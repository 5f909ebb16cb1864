import type { Logger } from '../../core/log.ts';

/**
 * Logs a bad payload once per reason and topic, so a misbehaving edge publishing 10 bad messages
 * a second yields one log line, not a flood; the counter still counts every one.
 */
export class BadPayloadLog<Reason extends string = string> {
  private readonly seen = new Set<string>();
  private saturated = false;

  constructor(
    private readonly logger: Logger,
    private readonly count: (reason: Reason) => void,
    /** Distinct reason+topic pairs remembered; past it, new pairs are only counted. Default 10 000. */
    private readonly maxKeys = 10_000,
  ) {}

  record(topic: string, reason: Reason, detail: string): void {
    this.count(reason);
    const key = `${reason}\u0000${topic}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxKeys) {
      if (!this.saturated) {
        this.saturated = true;
        this.logger.warn(
          { maxKeys: this.maxKeys },
          'too many distinct bad payload sources: further ones only counted',
        );
      }
      return;
    }
    this.seen.add(key);
    this.logger.warn({ reason, topic, detail }, 'bad payload dropped (logged once per reason and topic)');
  }
}
