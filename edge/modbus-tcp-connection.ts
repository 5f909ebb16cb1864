import { connect, type Socket } from 'node:net';
import { ModbusConnectionError, ModbusExceptionError, ModbusTimeoutError } from './modbus-source.ts';

/** Longest MBAP length field a frame carries: unit id + a 253-byte PDU (Modbus TCP v1.0b §3.1.3). */
const MAX_MBAP_LENGTH = 254;
const MBAP_BYTES = 7;

export interface ModbusTcpConnectionOptions {
  host: string;
  port: number;
  /** Connect timeout, and each request's reply timeout from the moment it is sent. */
  timeoutMs: number;
  /**
   * Requests on the wire at once (Modbus TCP's transaction id exists for this). 1 waits for each
   * reply before the next request, as devices that serve one request at a time need; gateways and
   * most PLCs take several. Requests beyond it wait in order.
   */
  maxConcurrent: number;
  /** Called once when the connection ends, for whatever reason. */
  onClose?: (why: string) => void;
}

interface Pending {
  id: number;
  fc: number;
  frame: Buffer;
  what: string;
  deadline: number;
  resolve: (pdu: Buffer) => void;
  reject: (error: Error) => void;
}

/** Connections with frames to send: written together once per turn of the event loop. */
const toFlush = new Set<ModbusTcpConnection>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  for (const connection of toFlush) connection.flush();
  toFlush.clear();
}

/**
 * One Modbus TCP connection that frames requests itself (MBAP header, transaction ids 1..65535),
 * keeps up to `maxConcurrent` of them on the wire and matches replies by transaction id. Requests
 * made in one turn of the event loop leave in one socket write: a station's cycle of reads is one
 * packet, not one per read. One timer per connection serves every pending request's timeout.
 *
 * Written for the edge's fleet path, where modbus-serial spent most of the edge's CPU (a write per
 * request, a copied reply with a CRC computed for the RTU code path, a debug record per frame, two
 * timers per request, and a transaction table it never empties). modbus-serial still drives RTU lines.
 */
export class ModbusTcpConnection {
  readonly #socket: Socket;
  readonly #o: ModbusTcpConnectionOptions;
  /** On the wire, oldest first (Map keeps insertion order: the first entry has the nearest deadline). */
  readonly #sent = new Map<number, Pending>();
  readonly #waiting: Pending[] = [];
  #out: Buffer[] = [];
  #held: Buffer | undefined;
  #nextId = 1;
  #timer: NodeJS.Timeout | undefined;
  #timerArmed = false;
  #closedWhy: string | undefined;
  /** Replies that matched no pending request (late after a timeout, or forged). */
  unmatched = 0;

  private constructor(socket: Socket, options: ModbusTcpConnectionOptions) {
    this.#socket = socket;
    this.#o = options;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.close(error.message));
    socket.on('close', () => this.close('closed by peer'));
  }

  static open(options: ModbusTcpConnectionOptions): Promise<ModbusTcpConnection> {
    const where = `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const timer = setTimeout(
        () => fail(new Error(`no connection within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      function fail(error: Error) {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.destroy();
        reject(new ModbusConnectionError(`cannot connect to ${where}: ${error.message}`));
      }
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', fail);
        resolve(new ModbusTcpConnection(socket, options));
      });
    });
  }

  get isOpen(): boolean {
    return this.#closedWhy === undefined;
  }

  /** Requests on the wire and waiting to be sent. */
  get pending(): number {
    return this.#sent.size + this.#waiting.length;
  }

  /**
   * Sends one request PDU (function code first) to `unitId`; resolves with the reply PDU (function
   * code first). An exception reply rejects with ModbusExceptionError, no reply in time with
   * ModbusTimeoutError, a closed connection or a reply that does not fit with ModbusConnectionError.
   */
  request(unitId: number, pdu: Buffer, what: string): Promise<Buffer> {
    if (this.#closedWhy !== undefined) {
      return Promise.reject(new ModbusConnectionError(`${what}: connection closed (${this.#closedWhy})`));
    }
    const frame = Buffer.allocUnsafe(MBAP_BYTES + pdu.length);
    frame.writeUInt16BE(0, 2);
    frame.writeUInt16BE(pdu.length + 1, 4);
    frame[6] = unitId;
    pdu.copy(frame, MBAP_BYTES);
    return new Promise<Buffer>((resolve, reject) => {
      const pending: Pending = { id: 0, fc: pdu[0]!, frame, what, deadline: 0, resolve, reject };
      if (this.#waiting.length === 0 && this.#sent.size < this.#o.maxConcurrent) this.#send(pending);
      else this.#waiting.push(pending);
    });
  }

  #send(pending: Pending): void {
    pending.id = this.#takeId();
    pending.frame.writeUInt16BE(pending.id, 0);
    pending.deadline = Date.now() + this.#o.timeoutMs;
    this.#sent.set(pending.id, pending);
    this.#out.push(pending.frame);
    toFlush.add(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
    if (!this.#timerArmed) this.#armTimer(this.#o.timeoutMs);
  }

  /** One timer per connection, re-armed in place (refresh) when its delay is the usual one. */
  #armTimer(delayMs: number): void {
    this.#timerArmed = true;
    if (this.#timer && delayMs === this.#o.timeoutMs) {
      this.#timer.refresh();
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#expire(), delayMs);
  }

  #takeId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === 0xffff ? 1 : id + 1;
      if (!this.#sent.has(id)) return id;
    }
  }

  /** Writes the frames of this turn in one go (called by the shared flush). */
  flush(): void {
    const out = this.#out;
    if (out.length === 0 || this.#closedWhy !== undefined) return;
    this.#out = [];
    this.#socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  #receive(chunk: Buffer): void {
    const data = this.#held ? Buffer.concat([this.#held, chunk]) : chunk;
    this.#held = undefined;
    let at = 0;
    while (data.length - at >= MBAP_BYTES + 1) {
      const length = data.readUInt16BE(at + 4);
      if (length < 2 || length > MAX_MBAP_LENGTH || data.readUInt16BE(at + 2) !== 0) {
        this.close(`not a Modbus TCP reply (protocol ${data.readUInt16BE(at + 2)}, length ${length})`);
        return;
      }
      if (data.length - at < 6 + length) break;
      const id = data.readUInt16BE(at);
      const pdu = data.subarray(at + MBAP_BYTES, at + 6 + length);
      at += 6 + length;
      this.#settle(id, pdu);
      if (this.#closedWhy !== undefined) return;
    }
    if (at < data.length) this.#held = Buffer.from(data.subarray(at));
    this.#sendWaiting();
  }

  #settle(id: number, pdu: Buffer): void {
    const pending = this.#sent.get(id);
    if (!pending) {
      this.unmatched += 1;
      return;
    }
    this.#sent.delete(id);
    const fc = pdu[0]!;
    if (fc === pending.fc) pending.resolve(pdu);
    else if (fc === (pending.fc | 0x80)) pending.reject(new ModbusExceptionError(pdu[1] ?? 0, pending.what));
    else {
      pending.reject(
        new ModbusConnectionError(`${pending.what}: reply with function ${fc} to function ${pending.fc}`),
      );
      this.close('reply out of step with its request');
    }
  }

  #sendWaiting(): void {
    while (this.#waiting.length > 0 && this.#sent.size < this.#o.maxConcurrent) {
      this.#send(this.#waiting.shift()!);
    }
  }

  #expire(): void {
    this.#timerArmed = false;
    const now = Date.now();
    for (const pending of this.#sent.values()) {
      if (pending.deadline > now) break;
      this.#sent.delete(pending.id);
      pending.reject(new ModbusTimeoutError(`${pending.what}: no reply within ${this.#o.timeoutMs} ms`));
    }
    this.#sendWaiting();
    const oldest = this.#sent.values().next().value;
    if (oldest && this.#closedWhy === undefined) this.#armTimer(Math.max(1, oldest.deadline - now));
  }

  /** Ends the connection; every request not yet answered rejects with ModbusConnectionError. */
  close(why: string): void {
    if (this.#closedWhy !== undefined) return;
    this.#closedWhy = why;
    clearTimeout(this.#timer);
    this.#timerArmed = false;
    toFlush.delete(this);
    this.#out = [];
    this.#socket.destroy();
    const unsettled = [...this.#sent.values(), ...this.#waiting.splice(0)];
    this.#sent.clear();
    for (const pending of unsettled) {
      pending.reject(new ModbusConnectionError(`${pending.what}: connection closed (${why})`));
    }
    this.#o.onClose?.(why);
  }
}
