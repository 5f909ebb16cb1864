/** What the spool keeps in memory of one stored message: enough to bound, order and drain it. */
export interface SpoolEntryMeta {
  /** Spool key: increases with every message, across restarts. */
  key: number;
  station: string;
  /** Source timestamp, ms since the epoch. */
  ts: number;
  /** Stored size (topic and payload), bytes. */
  bytes: number;
}

export interface SpoolLimits {
  /** Most bytes held; past it the oldest messages go first. */
  maxBytes: number;
  /** Messages older than this (by source timestamp) are dropped, ms. */
  maxAgeMs: number;
}

export type EvictionReason = 'size' | 'age';

/**
 * The spool's bookkeeping, pure: which messages are held, which of them are handed to MQTT and
 * waiting for their PUBACK (in flight) and which wait to be sent (backlog), and which to evict.
 * Keys only grow, so a Map's insertion order is key order: oldest first.
 */
export class SpoolIndex {
  readonly #entries = new Map<number, SpoolEntryMeta & { inFlight: boolean }>();
  #bytes = 0;
  #inFlight = 0;

  constructor(readonly limits: SpoolLimits) {}

  add(meta: SpoolEntryMeta, inFlight = false): void {
    this.#entries.set(meta.key, { ...meta, inFlight });
    this.#bytes += meta.bytes;
    if (inFlight) this.#inFlight += 1;
  }

  has(key: number): boolean {
    return this.#entries.has(key);
  }

  /** Forgets a message (acknowledged or evicted); false when it was not held. */
  remove(key: number): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    if (entry.inFlight) this.#inFlight -= 1;
    return true;
  }

  markInFlight(key: number): void {
    const entry = this.#entries.get(key);
    if (!entry || entry.inFlight) return;
    entry.inFlight = true;
    this.#inFlight += 1;
  }

  /** Back to the backlog (the publish failed or the client was ended). */
  release(key: number): void {
    const entry = this.#entries.get(key);
    if (!entry?.inFlight) return;
    entry.inFlight = false;
    this.#inFlight -= 1;
  }

  /** The oldest `count` messages not in flight, oldest first. */
  backlog(count: number): number[] {
    const keys: number[] = [];
    if (count <= 0) return keys;
    for (const entry of this.#entries.values()) {
      if (entry.inFlight) continue;
      keys.push(entry.key);
      if (keys.length >= count) break;
    }
    return keys;
  }

  /** Messages to evict now, oldest first: too old by `now`, then the oldest until within maxBytes. */
  evictions(now: number): Array<{ key: number; reason: EvictionReason }> {
    const out: Array<{ key: number; reason: EvictionReason }> = [];
    let bytes = this.#bytes;
    for (const entry of this.#entries.values()) {
      if (now - entry.ts > this.limits.maxAgeMs) out.push({ key: entry.key, reason: 'age' });
      else if (bytes > this.limits.maxBytes) out.push({ key: entry.key, reason: 'size' });
      else break;
      bytes -= entry.bytes;
    }
    return out;
  }

  stats(): { entries: number; bytes: number; inFlight: number; backlog: number } {
    const entries = this.#entries.size;
    return { entries, bytes: this.#bytes, inFlight: this.#inFlight, backlog: entries - this.#inFlight };
  }
}
