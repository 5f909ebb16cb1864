import { mkdir, rm } from 'node:fs/promises';
import type { ClassicLevel } from 'classic-level';
import type { SpoolEntryMeta } from './spool-index.ts';

/** One telemetry message as the spool keeps it, ready to publish again. */
export interface SpooledMessage {
  topic: string;
  payload: string;
  station: string;
  /** Source timestamp, ms since the epoch. */
  ts: number;
}

/** What a spool held when it was opened: the messages (oldest first) and each station's last seq. */
export interface SpoolContents {
  entries: SpoolEntryMeta[];
  lastSeq: Record<string, number>;
}

/**
 * Where the edge keeps telemetry until the broker acknowledges it (like mqtt.js' Store, but for
 * whole messages and surviving a restart). Keys only grow; the caller assigns them.
 */
export interface Spool {
  open(): Promise<SpoolContents>;
  /** Stores a message and its station's seq in one atomic write. */
  append(key: number, message: SpooledMessage, seq: number): Promise<void>;
  /** Stores several messages and their stations' last seqs in one atomic write. */
  appendMany?(entries: readonly QueuedMessage[]): Promise<void>;
  /** The messages of these keys, in the same order (undefined for a key no longer held). */
  read(keys: readonly number[]): Promise<Array<SpooledMessage | undefined>>;
  remove(keys: readonly number[]): Promise<void>;
  close(): Promise<void>;
  /** Where it is, for messages (a directory). Default none: in memory. */
  readonly where?: string;
  /** Closes and opens again (after a write error: the store may refuse writes until reopened). */
  reopen?(): Promise<SpoolContents>;
  /** Writes and deletes a small record: resolves only when the spool can write. */
  probe?(): Promise<void>;
  /** Nothing is waiting: starts again from empty storage, keeping only each station's last seq. */
  truncate?(lastSeq: Readonly<Record<string, number>>): Promise<void>;
}

/** A message on its way into the spool, with its key and its station's seq. */
export interface QueuedMessage {
  key: number;
  message: SpooledMessage;
  seq: number;
}

/** One write for the batch when the spool can, else one per message. */
export async function appendAll(spool: Spool, batch: readonly QueuedMessage[]): Promise<void> {
  if (spool.appendMany) return await spool.appendMany(batch);
  for (const { key, message, seq } of batch) await spool.append(key, message, seq);
}

export function spoolEntryBytes(message: SpooledMessage): number {
  return Buffer.byteLength(message.topic) + Buffer.byteLength(message.payload);
}

/** Keeps messages in memory: the default without a spool directory (lost on restart). */
export class MemorySpool implements Spool {
  readonly #messages = new Map<number, SpooledMessage>();
  readonly #seq: Record<string, number> = {};

  async open(): Promise<SpoolContents> {
    return { entries: [], lastSeq: {} };
  }
  async append(key: number, message: SpooledMessage, seq: number): Promise<void> {
    this.#messages.set(key, message);
    this.#seq[message.station] = seq;
  }
  async appendMany(entries: readonly QueuedMessage[]): Promise<void> {
    for (const { key, message, seq } of entries) await this.append(key, message, seq);
  }
  async read(keys: readonly number[]): Promise<Array<SpooledMessage | undefined>> {
    return keys.map((key) => this.#messages.get(key));
  }
  async remove(keys: readonly number[]): Promise<void> {
    for (const key of keys) this.#messages.delete(key);
  }
  async close(): Promise<void> {}
}

// Fixed-width hex keeps LevelDB's byte order equal to numeric order.
const messageKey = (key: number) => `m!${key.toString(16).padStart(13, '0')}`;
const seqKey = (station: string) => `s!${station}`;

/**
 * A spool on disk in LevelDB (classic-level). Writes go to LevelDB's log before they resolve, so
 * a killed edge process loses nothing it spooled (an OS crash may lose the last unsynced writes).
 */
export class LevelSpool implements Spool {
  #opened: ClassicLevel<string, unknown> | undefined;

  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  get #db(): ClassicLevel<string, unknown> {
    if (!this.#opened) throw new Error(`spool ${this.dir} is not open; call open() first`);
    return this.#opened;
  }

  async open(): Promise<SpoolContents> {
    await makeDirectory(this.dir);
    // Imported here, not at the top: an edge without a spool directory never loads LevelDB (its
    // modules and native addon cost some 0.5 MB of heap and a few MB of resident memory).
    const { ClassicLevel } = await import('classic-level');
    // A small write buffer: the log file LevelDB appends to stays small between truncations.
    const db = new ClassicLevel<string, unknown>(this.dir, {
      valueEncoding: 'utf8',
      writeBufferSize: WRITE_BUFFER_BYTES,
    });
    await db.open();
    this.#opened = db;
    const entries: SpoolEntryMeta[] = [];
    for await (const [key, value] of db.iterator({ gte: 'm!', lt: 'm"' })) {
      const message = decodeMessage(value as string);
      entries.push({
        key: Number.parseInt(key.slice(2), 16),
        station: message.station,
        ts: message.ts,
        bytes: spoolEntryBytes(message),
      });
    }
    const lastSeq: Record<string, number> = {};
    for await (const [key, value] of db.iterator({ gte: 's!', lt: 's"' })) {
      lastSeq[key.slice(2)] = Number(value);
    }
    return { entries, lastSeq };
  }

  async append(key: number, message: SpooledMessage, seq: number): Promise<void> {
    await this.appendMany([{ key, message, seq }]);
  }

  async appendMany(entries: readonly QueuedMessage[]): Promise<void> {
    const lastSeq = new Map<string, number>();
    const ops: Array<{ type: 'put'; key: string; value: string }> = [];
    for (const { key, message, seq } of entries) {
      ops.push({ type: 'put', key: messageKey(key), value: encodeMessage(message) });
      lastSeq.set(message.station, seq);
    }
    for (const [station, seq] of lastSeq) ops.push({ type: 'put', key: seqKey(station), value: String(seq) });
    await this.#db.batch(ops);
  }

  async read(keys: readonly number[]): Promise<Array<SpooledMessage | undefined>> {
    if (keys.length === 0) return [];
    const values = (await this.#db.getMany(keys.map(messageKey))) as Array<string | undefined>;
    return values.map((value) => (value === undefined ? undefined : decodeMessage(value)));
  }

  async remove(keys: readonly number[]): Promise<void> {
    // Closed (being reopened or truncated): the keys go with it or are found again as garbage.
    if (keys.length === 0 || this.#opened?.status !== 'open') return;
    await this.#db.batch(keys.map((key) => ({ type: 'del' as const, key: messageKey(key) })));
  }

  async reopen(): Promise<SpoolContents> {
    await this.close().catch(() => undefined);
    return await this.open();
  }

  async probe(): Promise<void> {
    await this.#db.put(PROBE_KEY, PROBE_VALUE);
    await this.#db.del(PROBE_KEY);
  }

  async truncate(lastSeq: Readonly<Record<string, number>>): Promise<void> {
    await this.close();
    // LevelDB keeps deleted records (and its own logs) until compactions it runs when it likes: with
    // nothing waiting, the directory itself is the cheapest thing to drop.
    await rm(this.dir, { recursive: true, force: true });
    await this.open();
    const seqs = Object.entries(lastSeq);
    if (seqs.length > 0)
      await this.#db.batch(
        seqs.map(([station, seq]) => ({ type: 'put' as const, key: seqKey(station), value: String(seq) })),
      );
  }

  async close(): Promise<void> {
    const db = this.#opened;
    this.#opened = undefined;
    await db?.close();
  }
}

/**
 * A spooled message as one line of text: station, source timestamp and topic, then the payload as
 * it is. The JSON value encoding used before escaped the whole payload (itself JSON) once more on
 * every write and parsed it back on every read. Values in that older form (a JSON object) still read.
 */
export function encodeMessage(message: SpooledMessage): string {
  return `${message.station}\t${message.ts}\t${message.topic}\t${message.payload}`;
}

export function decodeMessage(value: string): SpooledMessage {
  if (value.startsWith('{')) return JSON.parse(value) as SpooledMessage;
  const a = value.indexOf('\t');
  const b = value.indexOf('\t', a + 1);
  const c = value.indexOf('\t', b + 1);
  return {
    station: value.slice(0, a),
    ts: Number(value.slice(a + 1, b)),
    topic: value.slice(b + 1, c),
    payload: value.slice(c + 1),
  };
}

const WRITE_BUFFER_BYTES = 256 * 1024;
const PROBE_KEY = 'p!probe';
const PROBE_VALUE = 'x'.repeat(512);

async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    // Node's recursive mkdir answers ENOENT on a read-only file system; a plain one names the cause.
    await mkdir(dir).catch((plain: NodeJS.ErrnoException) => {
      throw plain.code === 'EEXIST' ? error : plain;
    });
  }
}
