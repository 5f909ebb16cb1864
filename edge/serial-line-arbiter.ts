import type { RegisterArea } from '../core/profile/schema.ts';
import {
  isNoAnswer,
  ModbusConnectionError,
  type ModbusSource,
  ModbusTimeoutError,
  type WritableArea,
} from './modbus-source.ts';

export type LineRequest =
  | { kind: 'read'; area: RegisterArea; address: number; count: number }
  | { kind: 'write'; area: WritableArea; address: number; values: number[] | boolean[] };

/**
 * Sends one request to one unit on the line and settles with its reply: data for a read, nothing
 * for a write; rejects with ModbusExceptionError, ModbusTimeoutError or ModbusConnectionError.
 */
export type LineTransport = (
  unitId: number,
  request: LineRequest,
) => Promise<number[] | boolean[] | undefined>;

export interface SerialLineArbiterOptions {
  transport: LineTransport;
  /** How long the line waits for one reply before it moves on to the next unit. */
  timeoutMs: number;
  /** Consecutive unanswered requests after which a unit is put in backoff. Default 2. */
  failuresBeforeBackoff?: number;
  /** First backoff of a unit; doubles on each further unanswered probe, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Requests one unit may have waiting; more are refused at once (counted). Default 64. */
  maxQueuePerUnit?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface UnitStats {
  /** Requests put on the line for this unit. */
  sent: number;
  answered: number;
  exceptions: number;
  timeouts: number;
  /** Requests refused without touching the line (unit in backoff, queue full, line closed). */
  refused: number;
  queued: number;
  /** Epoch ms until which the unit is in backoff; 0 once it answers again. */
  backoffUntil: number;
}

interface Job {
  request: LineRequest;
  resolve: (value: number[] | boolean[] | undefined) => void;
  reject: (error: Error) => void;
}

interface Unit {
  id: number;
  queue: Job[];
  failuresInRow: number;
  backoffMs: number;
  stats: UnitStats;
}

/**
 * One RS-485 line carries one request at a time. The arbiter keeps a queue per unit id and takes
 * the units in turn (round robin), so a busy unit cannot starve the others. A unit that stops
 * answering is put in backoff: while it lasts its requests are refused at once instead of holding
 * the line for a full timeout each, which is how one dead slave stalls a whole bus.
 */
export class SerialLineArbiter {
  readonly #options: Required<Omit<SerialLineArbiterOptions, 'now'>> & { now: () => number };
  readonly #units = new Map<number, Unit>();
  #order: number[] = [];
  /** The unit served last; the turn passes to the one after it in #order. */
  #lastServed: number | undefined;
  #busy: Promise<void> | undefined;
  #closed = false;

  constructor(options: SerialLineArbiterOptions) {
    this.#options = {
      failuresBeforeBackoff: 2,
      maxQueuePerUnit: 64,
      now: Date.now,
      ...options,
    };
  }

  submit(unitId: number, request: LineRequest): Promise<number[] | boolean[] | undefined> {
    const unit = this.#unit(unitId);
    if (this.#closed) return this.#refuse(unit, 'the serial line is closed');
    const waitMs = unit.stats.backoffUntil - this.#options.now();
    if (waitMs > 0)
      return this.#refuse(unit, `unit ${unitId} is in backoff for ${waitMs} ms after no replies`);
    if (unit.queue.length >= this.#options.maxQueuePerUnit) {
      return this.#refuse(unit, `unit ${unitId} has ${unit.queue.length} requests waiting`);
    }
    return new Promise((resolve, reject) => {
      unit.queue.push({ request, resolve, reject });
      unit.stats.queued = unit.queue.length;
      this.#pump();
    });
  }

  /** A ModbusSource for one unit on this line. Closing it does not close the line. */
  sourceFor(unitId: number): ModbusSource {
    this.#unit(unitId);
    return {
      read: async (area, address, count) =>
        (await this.submit(unitId, { kind: 'read', area, address, count })) as number[] | boolean[],
      write: async (area, address, values) => {
        await this.submit(unitId, { kind: 'write', area, address, values });
      },
      close: async () => undefined,
    };
  }

  stats(): Record<number, UnitStats> {
    return Object.fromEntries([...this.#units.values()].map((u) => [u.id, { ...u.stats }]));
  }

  /** Refuses what waits, lets the request on the line finish (bounded by the timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const unit of this.#units.values()) {
      for (const job of unit.queue.splice(0)) {
        unit.stats.refused += 1;
        job.reject(new ModbusConnectionError('the serial line is closed'));
      }
      unit.stats.queued = 0;
    }
    await this.#busy;
  }

  #unit(id: number): Unit {
    let unit = this.#units.get(id);
    if (!unit) {
      unit = {
        id,
        queue: [],
        failuresInRow: 0,
        backoffMs: this.#options.backoffMs,
        stats: { sent: 0, answered: 0, exceptions: 0, timeouts: 0, refused: 0, queued: 0, backoffUntil: 0 },
      };
      this.#units.set(id, unit);
      this.#order.push(id);
    }
    return unit;
  }

  #refuse(unit: Unit, why: string): Promise<never> {
    unit.stats.refused += 1;
    return Promise.reject(new ModbusConnectionError(why));
  }

  /** Starts the next request if the line is free: the next unit in turn that has one waiting. */
  #pump(): void {
    if (this.#busy || this.#closed) return;
    const now = this.#options.now();
    const start = this.#lastServed === undefined ? 0 : this.#order.indexOf(this.#lastServed) + 1;
    for (let step = 0; step < this.#order.length; step++) {
      const index = (start + step) % this.#order.length;
      const unit = this.#units.get(this.#order[index]!)!;
      if (unit.queue.length === 0) continue;
      if (unit.stats.backoffUntil > now) {
        // Went into backoff while these waited: refuse them rather than hold them.
        for (const job of unit.queue.splice(0)) {
          unit.stats.refused += 1;
          job.reject(new ModbusConnectionError(`unit ${unit.id} is in backoff after no replies`));
        }
        unit.stats.queued = 0;
        continue;
      }
      const job = unit.queue.shift()!;
      unit.stats.queued = unit.queue.length;
      this.#lastServed = unit.id;
      this.#busy = this.#run(unit, job).finally(() => {
        this.#busy = undefined;
        this.#pump();
      });
      return;
    }
  }

  async #run(unit: Unit, job: Job): Promise<void> {
    unit.stats.sent += 1;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new ModbusTimeoutError(`unit ${unit.id}: no reply within ${this.#options.timeoutMs} ms`)),
        this.#options.timeoutMs,
      );
    });
    try {
      const reply = await Promise.race([this.#options.transport(unit.id, job.request), deadline]);
      unit.stats.answered += 1;
      unit.failuresInRow = 0;
      unit.backoffMs = this.#options.backoffMs;
      unit.stats.backoffUntil = 0;
      job.resolve(reply);
    } catch (raw) {
      const error = raw instanceof Error ? raw : new ModbusConnectionError(String(raw));
      if (isNoAnswer(error)) {
        unit.stats.timeouts += 1;
        unit.failuresInRow += 1;
        if (unit.failuresInRow >= this.#options.failuresBeforeBackoff) {
          unit.stats.backoffUntil = this.#options.now() + unit.backoffMs;
          unit.backoffMs = Math.min(unit.backoffMs * 2, this.#options.maxBackoffMs);
        }
      } else {
        // An exception reply (or a bad frame) proves the unit is alive.
        unit.stats.exceptions += 1;
        unit.failuresInRow = 0;
      }
      job.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
