import type { Logger } from '../../core/log.ts';
import { type Spool, type SpooledMessage, spoolEntryBytes } from './spool.ts';
import { type EvictionReason, SpoolIndex } from './spool-index.ts';

/** Store-and-forward settings (edge config `spool`). */
export interface StoreForwardOptions {
  /** Most bytes of telemetry held for the broker; past it the oldest go first. Default 100 MiB. */
  maxBytes?: number;
  /** Telemetry older than this (source time) is dropped from the spool, ms. Default 7 days. */
  maxAgeMs?: number;
  /** Spooled messages replayed per second after a reconnect, beside live ones. Default 200. */
  drainPerSecond?: number;
  /** Messages handed to MQTT and waiting for their PUBACK, live and replayed. Default 200. */
  maxInFlight?: number;
}

export const STORE_FORWARD_DEFAULTS = {
  maxBytes: 100 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600_000,
  drainPerSecond: 200,
  maxInFlight: 200,
} as const satisfies Required<StoreForwardOptions>;

export interface ForwarderStats {
  /** Messages held (in flight and backlog) and their bytes. */
  entries: number;
  bytes: number;
  inFlight: number;
  /** Held and not handed to MQTT: waiting for the broker. */
  backlog: number;
  /** Messages acknowledged by the broker. */
  acked: number;
  /** Messages sent from the backlog (after a disconnect or a restart). */
  replayed: number;
  /** Messages evicted before the broker had them, by reason. */
  evicted: Record<EvictionReason, number>;
  /** Spool writes that failed: those messages were never stored. */
  spoolErrors: number;
}

/** Hands one message to MQTT with QoS 1; calls back on PUBACK or with an error. */
export type SendMessage = (topic: string, payload: string, done: (error?: Error) => void) => void;

const TICK_MS = 100;

/**
 * Store and forward: every telemetry message is written to the spool before it is published and
 * removed on its PUBACK. While the broker is away messages only accumulate (bounded by size and
 * age, oldest evicted first and counted); once it is back the backlog is replayed oldest first at
 * a bounded rate while live messages keep going out directly.
 */
export class Forwarder {
  readonly #spool: Spool;
  readonly #o: Required<StoreForwardOptions>;
  readonly #send: SendMessage;
  readonly #connected: () => boolean;
  readonly #logger: Logger | undefined;
  readonly #index: SpoolIndex;
  #nextKey = 0;
  #writes: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #draining = false;
  #closed = false;
  readonly #stats = { acked: 0, replayed: 0, evicted: { size: 0, age: 0 }, spoolErrors: 0 };

  constructor(
    spool: Spool,
    options: StoreForwardOptions,
    send: SendMessage,
    connected: () => boolean,
    logger?: Logger,
  ) {
    this.#spool = spool;
    this.#o = { ...STORE_FORWARD_DEFAULTS, ...definedOnly(options) };
    this.#send = send;
    this.#connected = connected;
    this.#logger = logger;
    this.#index = new SpoolIndex({ maxBytes: this.#o.maxBytes, maxAgeMs: this.#o.maxAgeMs });
  }

  /** Opens the spool and starts draining; resolves with each station's last spooled seq. */
  async open(): Promise<Record<string, number>> {
    const contents = await this.#spool.open();
    for (const entry of contents.entries) this.#index.add(entry);
    this.#nextKey = (contents.entries.at(-1)?.key ?? -1) + 1;
    if (contents.entries.length > 0) {
      this.#logger?.info({ messages: contents.entries.length }, 'spooled telemetry from an earlier run');
    }
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
    return contents.lastSeq;
  }

  /** Spools a message, then publishes it at once when the broker is there and the window has room. */
  submit(message: SpooledMessage, seq: number): void {
    if (this.#closed) return;
    const key = this.#nextKey++;
    this.#writes = this.#writes.then(async () => {
      try {
        await this.#spool.append(key, message, seq);
      } catch (error) {
        this.#stats.spoolErrors += 1;
        this.#logger?.error({ err: String(error), station: message.station }, 'spool write failed');
        return;
      }
      this.#index.add({ key, station: message.station, ts: message.ts, bytes: spoolEntryBytes(message) });
      this.#evict(Date.now());
      if (!this.#connected()) return;
      // Live messages go out at once, beside the backlog; the server orders by source timestamp.
      if (this.#index.stats().inFlight < this.#o.maxInFlight) this.#forward(key, message);
    });
  }

  /** Sends backlog now (e.g. on reconnect) instead of at the next tick. */
  kick(): void {
    this.#tick();
  }

  stats(): ForwarderStats {
    return { ...this.#index.stats(), ...this.#stats, evicted: { ...this.#stats.evicted } };
  }

  /** Stops draining and closes the spool; what is not acknowledged stays for the next run. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#writes;
    await this.#spool.close();
  }

  #forward(key: number, message: SpooledMessage): void {
    this.#index.markInFlight(key);
    this.#send(message.topic, message.payload, (error) => {
      if (error) {
        this.#index.release(key);
        return;
      }
      this.#stats.acked += 1;
      if (!this.#index.remove(key) || this.#closed) return;
      this.#spool.remove([key]).catch((err: unknown) => {
        this.#logger?.warn({ err: String(err) }, 'spool delete failed; the message may be sent twice');
      });
    });
  }

  #tick(): void {
    this.#evict(Date.now());
    if (this.#draining || this.#closed || !this.#connected()) return;
    const { inFlight } = this.#index.stats();
    const room = Math.min(
      this.#drainBatch(),
      // The drain keeps half the window free for live messages.
      Math.floor(this.#o.maxInFlight / 2) - inFlight,
    );
    const keys = this.#index.backlog(room);
    if (keys.length === 0) return;
    for (const key of keys) this.#index.markInFlight(key);
    this.#draining = true;
    this.#spool
      .read(keys)
      .then((messages) => {
        messages.forEach((message, i) => {
          const key = keys[i]!;
          if (!message || this.#closed) {
            this.#index.release(key);
            if (!message) this.#index.remove(key);
            return;
          }
          this.#stats.replayed += 1;
          this.#index.release(key);
          this.#forward(key, message);
        });
      })
      .catch((error: unknown) => {
        for (const key of keys) this.#index.release(key);
        this.#logger?.warn({ err: String(error) }, 'spool read failed');
      })
      .finally(() => {
        this.#draining = false;
      });
  }

  #drainBatch(): number {
    return Math.max(1, Math.round((this.#o.drainPerSecond * TICK_MS) / 1000));
  }

  #evict(now: number): void {
    const evictions = this.#index.evictions(now);
    if (evictions.length === 0) return;
    for (const { key, reason } of evictions) {
      this.#index.remove(key);
      this.#stats.evicted[reason] += 1;
    }
    this.#logger?.warn(
      { evicted: evictions.length, reason: evictions[0]?.reason },
      'spool full: oldest dropped',
    );
    this.#spool.remove(evictions.map((e) => e.key)).catch((error: unknown) => {
      this.#logger?.warn({ err: String(error) }, 'spool delete failed');
    });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
