import type { Logger } from '../../core/log.ts';
import {
  type ForwarderStats,
  type SpoolStateListener,
  STORE_FORWARD_DEFAULTS,
  type StoreForwardOptions,
} from './forwarder-options.ts';
import {
  appendAll,
  type QueuedMessage,
  type Spool,
  type SpoolContents,
  type SpooledMessage,
  spoolEntryBytes,
} from './spool.ts';
import { classifySpoolError, describeSpoolFault, type SpoolFault, type SpoolState } from './spool-fault.ts';
import { SpoolIndex } from './spool-index.ts';

export {
  type ForwarderStats,
  type SpoolStateListener,
  STORE_FORWARD_DEFAULTS,
  type StoreForwardOptions,
} from './forwarder-options.ts';

/** Hands one message to MQTT with QoS 1; calls back on PUBACK or with an error. */
export type SendMessage = (topic: string, payload: string, done: (error?: Error) => void) => void;
/** Runs `sends` so that their packets leave in as few socket writes as possible (corked). */
export type SendGroup = (sends: () => void) => void;

const TICK_MS = 100;

/**
 * Store and forward: every telemetry message is written to the spool before it is published and
 * removed on its PUBACK. While the broker is away messages only accumulate (bounded by size and
 * age, oldest evicted first and counted); once it is back the backlog is replayed oldest first at
 * a bounded rate while live messages keep going out directly.
 *
 * The disk never stands between a reading and the broker: when the spool cannot be opened or
 * written (full, read-only, broken), messages wait for their PUBACK in memory instead (bounded,
 * counted) and the spool is tried again every `retryMs`. With nothing waiting the spool is
 * truncated now and then, so it holds only what waits.
 */
export class Forwarder {
  readonly #spool: Spool;
  readonly #o: Required<StoreForwardOptions>;
  readonly #send: SendMessage;
  readonly #connected: () => boolean;
  readonly #logger: Logger | undefined;
  readonly #index: SpoolIndex;
  readonly #onState: SpoolStateListener | undefined;
  readonly #sendGroup: SendGroup;
  /** Messages held while the spool cannot write, by key (also in the index). */
  readonly #memory = new Map<number, SpooledMessage>();
  #memoryBytes = 0;
  /** Each station's last submitted seq: what a truncated spool keeps. */
  readonly #lastSeq: Record<string, number> = {};
  #nextKey = 0;
  #writes: Promise<void> = Promise.resolve();
  #queued: QueuedMessage[] = [];
  #writeLinger: NodeJS.Timeout | undefined;
  #removeLinger: NodeJS.Timeout | undefined;
  /** Acknowledged keys waiting for their grouped delete (#removeSoon). */
  #removals: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #draining = false;
  #closed = false;
  #fault: SpoolFault | undefined;
  /** The spool was opened once in this run: what it holds and the index does not is garbage. */
  #everOpened = false;
  #retryAt = 0;
  #retrying = false;
  #writtenSinceTruncate = 0;
  #readsBlockedUntil = 0;
  readonly #stats = {
    acked: 0,
    replayed: 0,
    evicted: { size: 0, age: 0 },
    spoolErrors: 0,
    unspooled: 0,
    sentLive: 0,
    memoryFull: 0,
    truncations: 0,
    batches: 0,
  };

  constructor(
    spool: Spool,
    options: StoreForwardOptions,
    send: SendMessage,
    connected: () => boolean,
    logger?: Logger,
    onState?: SpoolStateListener,
    sendGroup: SendGroup = (sends) => sends(),
  ) {
    this.#sendGroup = sendGroup;
    this.#spool = spool;
    this.#o = { ...STORE_FORWARD_DEFAULTS, ...definedOnly(options) };
    this.#send = send;
    this.#connected = connected;
    this.#logger = logger;
    this.#onState = onState;
    this.#index = new SpoolIndex({ maxBytes: this.#o.maxBytes, maxAgeMs: this.#o.maxAgeMs });
  }

  /**
   * Opens the spool and starts draining; resolves with each station's last spooled seq. A spool that
   * cannot be opened is logged in one line and tried again later: the edge publishes live meanwhile.
   */
  async open(): Promise<Record<string, number>> {
    let lastSeq: Record<string, number> = {};
    try {
      lastSeq = this.#adopt(await this.#spool.open());
    } catch (error) {
      // Keys above any the unopened spool may hold, so its backlog can join the index once it opens.
      this.#nextKey = Date.now() * 1000;
      this.#failed(error, true);
    }
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
    return lastSeq;
  }

  /**
   * Spools a message, then publishes it at once when the broker is there and the window has room.
   * Messages submitted within `writeLingerMs`, or while a spool write is under way, go in one write:
   * one write per batch, not one awaited write per message (at 1,000 stations a second the chained
   * appends fell behind and the messages piled up in memory in front of the spool).
   */
  submit(message: SpooledMessage, seq: number): void {
    if (this.#closed) return;
    const key = this.#nextKey++;
    this.#lastSeq[message.station] = seq;
    this.#queued.push({ key, message, seq });
    if (this.#queued.length === 1 && !this.#writeLinger) {
      this.#writeLinger = setTimeout(() => this.#writeSoon(), this.#o.writeLingerMs);
    }
  }

  #writeSoon(): void {
    clearTimeout(this.#writeLinger);
    this.#writeLinger = undefined;
    this.#writes = this.#writes.then(() => this.#writeQueued());
  }

  /** Messages submitted and not yet written (the back-pressure the poll scheduler reads). */
  queued(): number {
    return this.#queued.length;
  }

  /** How full the publishing side is: messages waiting for the spool, or for their PUBACK (1 = full). */
  pressure(maxQueued: number): number {
    const inFlight = this.#connected() ? this.#index.stats().inFlight / this.#o.maxInFlight : 0;
    return Math.max(this.#queued.length / maxQueued, inFlight);
  }

  async #writeQueued(): Promise<void> {
    const batch = this.#queued;
    this.#queued = [];
    if (batch.length === 0) return;
    let stored = false;
    if (!this.#fault) {
      try {
        await appendAll(this.#spool, batch);
        stored = true;
      } catch (error) {
        this.#stats.spoolErrors += 1;
        this.#failed(error, false);
      }
    }
    this.#stats.batches += 1;
    const live: Array<{ key: number; message: SpooledMessage }> = [];
    for (const { key, message } of batch) {
      const bytes = spoolEntryBytes(message);
      if (stored) {
        this.#writtenSinceTruncate += bytes;
      } else {
        if (this.#memoryBytes + bytes > this.#o.memoryMaxBytes) {
          this.#stats.memoryFull += 1;
          continue;
        }
        this.#memory.set(key, message);
        this.#memoryBytes += bytes;
        this.#stats.unspooled += 1;
      }
      this.#index.add({ key, station: message.station, ts: message.ts, bytes });
      live.push({ key, message });
    }
    this.#evict(Date.now());
    if (!this.#connected()) return;
    // Live messages go out at once, beside the backlog; the server orders by source timestamp.
    this.#sendGroup(() => {
      for (const { key, message } of live) {
        if (this.#index.stats().inFlight >= this.#o.maxInFlight) break;
        if (this.#index.has(key)) this.#forward(key, message);
      }
    });
  }

  /** Sends backlog now (e.g. on reconnect) instead of at the next tick. */
  kick(): void {
    this.#tick();
  }

  /** ok, or why the spool is skipped. */
  state(): { state: SpoolState; code?: string } {
    return this.#fault ? { state: this.#fault.state, code: this.#fault.code } : { state: 'ok' };
  }

  stats(): ForwarderStats {
    const evicted = { ...this.#stats.evicted };
    return {
      ...this.#index.stats(),
      ...this.#stats,
      evicted,
      ...this.state(),
      lost: evicted.size + evicted.age + this.#stats.memoryFull,
    };
  }

  /** Stops draining and closes the spool; what is not acknowledged stays for the next run. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#writeLinger) this.#writeSoon();
    await this.#writes;
    await this.#flushRemovals();
    await this.#spool.close().catch(() => undefined);
  }

  /** Takes in what an opened spool holds; returns its stations' last seqs. */
  #adopt(contents: SpoolContents): Record<string, number> {
    const garbage: number[] = [];
    let adopted = 0;
    for (const entry of contents.entries) {
      if (this.#index.has(entry.key)) continue;
      if (this.#everOpened) garbage.push(entry.key);
      else {
        this.#index.add(entry);
        adopted += 1;
      }
    }
    if (!this.#everOpened) this.#nextKey = Math.max(this.#nextKey, (contents.entries.at(-1)?.key ?? -1) + 1);
    this.#everOpened = true;
    if (adopted > 0) this.#logger?.info({ messages: adopted }, 'spooled telemetry from an earlier run');
    // Acknowledged while the spool could not delete them.
    if (garbage.length > 0) void this.#spool.remove(garbage).catch(() => undefined);
    return contents.lastSeq;
  }

  #failed(error: unknown, opening: boolean): void {
    const fault = classifySpoolError(error);
    this.#retryAt = Date.now() + this.#o.retryMs;
    if (this.#fault?.code === fault.code) return;
    this.#fault = fault;
    // One line, the cause named: never the error's stack (a bundle's stack quotes its source).
    this.#logger?.warn(
      { spool: this.#spool.where ?? 'memory', state: fault.state, code: fault.code },
      describeSpoolFault(this.#spool.where ?? 'memory', fault, opening),
    );
    this.#onState?.(fault.state, fault);
  }

  /** Reopens the spool and proves it writes; back to normal when it does. Runs in the write queue. */
  #retry(): void {
    this.#retrying = true;
    this.#writes = this.#writes
      .then(async () => {
        if (this.#closed) return;
        try {
          // The open store first (its reads keep working); reopened when it still refuses writes
          // (LevelDB refuses every write after a failed compaction until it is reopened).
          const probed = this.#spool.probe
            ? await this.#spool.probe().then(
                () => true,
                () => false,
              )
            : true;
          if (!probed && this.#spool.reopen) {
            const contents = await this.#spool.reopen();
            await this.#spool.probe?.();
            this.#adopt(contents);
          }
        } catch (error) {
          this.#failed(error, !this.#everOpened);
          return;
        }
        const was = this.#fault;
        this.#fault = undefined;
        this.#writtenSinceTruncate = 0;
        this.#logger?.warn(
          { spool: this.#spool.where, was: was?.code, unspooled: this.#stats.unspooled },
          `spool ${this.#spool.where ?? 'memory'} writes again; telemetry is spooled as before`,
        );
        this.#onState?.('ok', undefined);
      })
      .finally(() => {
        this.#retrying = false;
      });
  }

  /** With nothing waiting, drops the spool's storage (it grows with what passed through, not what waits). */
  #truncateIfIdle(): void {
    if (!this.#spool.truncate || this.#fault || this.#closed) return;
    if (this.#writtenSinceTruncate < this.#o.truncateAfterBytes || this.#index.stats().entries > 0) return;
    this.#retrying = true;
    this.#writes = this.#writes
      .then(async () => {
        if (this.#closed || this.#index.stats().entries > 0) return;
        try {
          await this.#spool.truncate!({ ...this.#lastSeq });
          this.#writtenSinceTruncate = 0;
          this.#stats.truncations += 1;
        } catch (error) {
          this.#failed(error, false);
        }
      })
      .finally(() => {
        this.#retrying = false;
      });
  }

  #forward(key: number, message: SpooledMessage): void {
    this.#index.markInFlight(key);
    this.#send(message.topic, message.payload, (error) => {
      if (error) {
        this.#index.release(key);
        return;
      }
      this.#stats.acked += 1;
      if (!this.#index.remove(key)) return;
      if (this.#forget(key)) {
        this.#stats.sentLive += 1;
        return;
      }
      if (this.#closed) return;
      this.#removeSoon(key);
    });
  }

  /**
   * Deletes an acknowledged message from the spool together with the others acknowledged within
   * `removeLingerMs`: one LevelDB batch instead of one per PUBACK (at 1,000 messages a second the
   * single deletes were ~5% of the edge's time). One not yet deleted when the edge dies is sent
   * again at the next start, and the server drops it by its sequence number, as before.
   */
  #removeSoon(key: number): void {
    this.#removals.push(key);
    this.#removeLinger ??= setTimeout(() => void this.#flushRemovals(), this.#o.removeLingerMs);
  }

  async #flushRemovals(): Promise<void> {
    clearTimeout(this.#removeLinger);
    this.#removeLinger = undefined;
    const keys = this.#removals;
    this.#removals = [];
    if (keys.length === 0) return;
    await this.#spool.remove(keys).catch((err: unknown) => {
      this.#logger?.warn({ err: String(err) }, 'spool delete failed; the message may be sent twice');
    });
  }

  /** Drops a message held in memory; false when it is on disk. */
  #forget(key: number): boolean {
    const message = this.#memory.get(key);
    if (!message) return false;
    this.#memory.delete(key);
    this.#memoryBytes -= spoolEntryBytes(message);
    return true;
  }

  async #read(keys: readonly number[]): Promise<Array<SpooledMessage | undefined>> {
    const onDisk = keys.filter((key) => !this.#memory.has(key));
    const read = onDisk.length > 0 ? await this.#spool.read(onDisk) : [];
    const fromDisk = new Map(onDisk.map((key, i) => [key, read[i]]));
    return keys.map((key) => this.#memory.get(key) ?? fromDisk.get(key));
  }

  #tick(): void {
    const now = Date.now();
    this.#evict(now);
    if (!this.#retrying && !this.#closed) {
      if (this.#fault && now >= this.#retryAt) this.#retry();
      else this.#truncateIfIdle();
    }
    if (this.#draining || this.#closed || !this.#connected() || now < this.#readsBlockedUntil) return;
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
    this.#read(keys)
      .then((messages) => {
        this.#sendGroup(() =>
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
          }),
        );
      })
      .catch((error: unknown) => {
        for (const key of keys) this.#index.release(key);
        // Once per retry period, not every tick, while the spool cannot be read.
        this.#readsBlockedUntil = Date.now() + this.#o.retryMs;
        this.#logger?.warn({ err: String(error).split('\n')[0] }, 'spool read failed');
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
    const onDisk: number[] = [];
    for (const { key, reason } of evictions) {
      this.#index.remove(key);
      this.#stats.evicted[reason] += 1;
      if (!this.#forget(key)) onDisk.push(key);
    }
    this.#logger?.warn(
      { evicted: evictions.length, reason: evictions[0]?.reason },
      'spool full: oldest dropped',
    );
    if (onDisk.length === 0) return;
    this.#spool.remove(onDisk).catch((error: unknown) => {
      this.#logger?.warn({ err: String(error) }, 'spool delete failed');
    });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
