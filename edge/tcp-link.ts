import type { Logger } from '../core/log.ts';
import { classifyModbusError, ModbusConnectionError, ModbusTimeoutError } from './modbus-source.ts';
import { ModbusTcpConnection } from './modbus-tcp-connection.ts';

export interface TcpLinkOptions {
  host: string;
  port: number;
  /** Reply timeout, also the connect timeout. */
  timeoutMs: number;
  /** First wait before a reconnect; doubles per failed attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Timeouts in a row, with no reply of any unit between them, after which the socket is reopened. Default 3. */
  timeoutsBeforeReconnect?: number;
  /** Requests on the wire at once. */
  maxConcurrent: number;
  logger?: Logger;
}

/**
 * One Modbus TCP endpoint kept connected: opens a ModbusTcpConnection on first use, reopens it with
 * exponential backoff, and fails requests at once while a reconnect waits out its backoff (a dead
 * endpoint costs no time). One station's, or every unit's behind a gateway when stations share it:
 * a unit that does not answer does not drop the others' connection, since any reply between two
 * timeouts shows the connection alive.
 */
export class TcpLink {
  readonly #o: TcpLinkOptions;
  readonly #where: string;
  #connection: ModbusTcpConnection | undefined;
  #connecting: Promise<ModbusTcpConnection> | undefined;
  #nextAttemptAt = 0;
  #backoff: number;
  #timeoutsInRow = 0;
  #closed = false;

  constructor(options: TcpLinkOptions) {
    this.#o = options;
    this.#where = `${options.host}:${options.port}`;
    this.#backoff = options.backoffMs;
  }

  /** Sends one request PDU to `unitId` and resolves with its reply PDU; errors as classifyModbusError gives them. */
  async request(unitId: number, pdu: Buffer, what: string): Promise<Buffer> {
    try {
      const reply = await (await this.#ready(what)).request(unitId, pdu, what);
      this.#timeoutsInRow = 0;
      return reply;
    } catch (raw) {
      const error = classifyModbusError(raw, what);
      if (error instanceof ModbusTimeoutError) {
        this.#timeoutsInRow += 1;
        const limit = this.#o.timeoutsBeforeReconnect ?? 3;
        if (this.#timeoutsInRow >= limit) {
          this.#timeoutsInRow = 0;
          this.drop(`${limit} timeouts in a row`);
        }
      } else {
        // An exception reply is an answer: the connection is alive.
        this.#timeoutsInRow = 0;
        if (error instanceof ModbusConnectionError) this.drop(error.message);
      }
      throw error;
    }
  }

  /** Closes the current connection (a reply that made no sense); the next request reconnects. */
  drop(why: string): void {
    const old = this.#connection;
    this.#connection = undefined;
    if (old?.isOpen) {
      this.#o.logger?.info({ where: this.#where, why }, 'modbus tcp connection dropped');
      old.close(why);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.drop('closed by the edge');
    await this.#connecting?.catch(() => undefined);
    this.drop('closed by the edge');
  }

  #ready(what: string): ModbusTcpConnection | Promise<ModbusTcpConnection> {
    if (this.#closed) throw new ModbusConnectionError(`${what}: source closed`);
    if (this.#connection?.isOpen) return this.#connection;
    if (Date.now() < this.#nextAttemptAt) {
      throw new ModbusConnectionError(
        `${what}: not connected, next attempt in ${this.#nextAttemptAt - Date.now()} ms`,
      );
    }
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<ModbusTcpConnection> {
    const o = this.#o;
    let next: ModbusTcpConnection;
    try {
      next = await ModbusTcpConnection.open({
        host: o.host,
        port: o.port,
        timeoutMs: o.timeoutMs,
        maxConcurrent: o.maxConcurrent,
        onClose: (why) => {
          if (this.#connection === next) {
            this.#connection = undefined;
            o.logger?.info({ where: this.#where, why }, 'modbus tcp connection dropped');
          }
        },
      });
    } catch (error) {
      this.#nextAttemptAt = Date.now() + this.#backoff;
      this.#backoff = Math.min(this.#backoff * 2, o.maxBackoffMs);
      throw error;
    }
    if (this.#closed) {
      next.close('source closed');
      throw new ModbusConnectionError(`${this.#where}: source closed`);
    }
    this.#backoff = o.backoffMs;
    this.#timeoutsInRow = 0;
    this.#connection = next;
    o.logger?.info({ where: this.#where }, 'modbus tcp connected');
    return next;
  }
}
