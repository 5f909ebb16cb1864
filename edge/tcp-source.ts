import type { Logger } from '../core/log.ts';
import type { RegisterArea } from '../core/profile/schema.ts';
import { readRequest, replyBits, replyWords, writeRequest } from './modbus-pdu.ts';
import {
  classifyModbusError,
  ModbusConnectionError,
  type ModbusSource,
  ModbusTimeoutError,
  type WritableArea,
} from './modbus-source.ts';
import { ModbusTcpConnection } from './modbus-tcp-connection.ts';

export interface TcpSourceOptions {
  host: string;
  port: number;
  /** Unit id sent in the MBAP header. */
  unitId: number;
  /** Reply timeout, also the connect timeout. */
  timeoutMs: number;
  /** First wait before a reconnect; doubles per failed attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Consecutive timeouts after which the socket is dropped and reopened. Default 3. */
  timeoutsBeforeReconnect?: number;
  /**
   * Requests on the wire at once. Default 1 (each reply awaited before the next request); above 1 a
   * cycle's reads go out together and the poller issues them at once.
   */
  maxConcurrentRequests?: number;
  logger?: Logger;
}

/**
 * Modbus TCP device: one connection per station (ModbusTcpConnection), reconnects with exponential
 * backoff. While a reconnect waits out its backoff, requests fail at once with ModbusConnectionError
 * instead of queueing, so a dead station costs no time.
 */
export function createTcpSource(options: TcpSourceOptions): ModbusSource {
  const where = `${options.host}:${options.port} unit ${options.unitId}`;
  const maxConcurrent = options.maxConcurrentRequests ?? 1;
  const timeoutsBeforeReconnect = options.timeoutsBeforeReconnect ?? 3;
  let connection: ModbusTcpConnection | undefined;
  let connecting: Promise<ModbusTcpConnection> | undefined;
  let nextAttemptAt = 0;
  let backoff = options.backoffMs;
  let timeoutsInRow = 0;
  let closed = false;

  const drop = (why: string) => {
    const old = connection;
    connection = undefined;
    if (old?.isOpen) {
      options.logger?.info({ where, why }, 'modbus tcp connection dropped');
      old.close(why);
    }
  };

  const connect = async (): Promise<ModbusTcpConnection> => {
    let next: ModbusTcpConnection;
    try {
      next = await ModbusTcpConnection.open({
        host: options.host,
        port: options.port,
        timeoutMs: options.timeoutMs,
        maxConcurrent,
        onClose: (why) => {
          if (connection === next) {
            connection = undefined;
            options.logger?.info({ where, why }, 'modbus tcp connection dropped');
          }
        },
      });
    } catch (error) {
      nextAttemptAt = Date.now() + backoff;
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
      throw error;
    }
    if (closed) {
      next.close('source closed');
      throw new ModbusConnectionError(`${where}: source closed`);
    }
    backoff = options.backoffMs;
    timeoutsInRow = 0;
    connection = next;
    options.logger?.info({ where }, 'modbus tcp connected');
    return next;
  };

  const ready = (): ModbusTcpConnection | Promise<ModbusTcpConnection> => {
    if (closed) throw new ModbusConnectionError(`${where}: source closed`);
    if (connection?.isOpen) return connection;
    if (Date.now() < nextAttemptAt) {
      throw new ModbusConnectionError(
        `${where}: not connected, next attempt in ${nextAttemptAt - Date.now()} ms`,
      );
    }
    connecting ??= connect().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const call = async (what: string, pdu: Buffer): Promise<Buffer> => {
    try {
      const reply = await (await ready()).request(options.unitId, pdu, `${what} from ${where}`);
      timeoutsInRow = 0;
      return reply;
    } catch (raw) {
      const error = classifyModbusError(raw, `${what} from ${where}`);
      if (error instanceof ModbusTimeoutError) {
        timeoutsInRow += 1;
        if (timeoutsInRow >= timeoutsBeforeReconnect) {
          timeoutsInRow = 0;
          drop(`${timeoutsBeforeReconnect} timeouts in a row`);
        }
      } else if (error instanceof ModbusConnectionError) {
        drop(error.message);
      }
      throw error;
    }
  };

  return {
    concurrentReads: maxConcurrent > 1,
    async read(area: RegisterArea, address: number, count: number) {
      const what = `read ${area} ${address}+${count}`;
      const reply = await call(what, readRequest(area, address, count));
      const decoded =
        area === 'coil' || area === 'discrete' ? replyBits(reply, count) : replyWords(reply, count);
      if (typeof decoded === 'string') {
        drop(`malformed reply to ${what}`);
        throw new ModbusConnectionError(`${what} from ${where}: ${decoded}`);
      }
      return decoded;
    },
    async write(area: WritableArea, address: number, values: number[] | boolean[]) {
      await call(`write ${area} ${address}+${values.length}`, writeRequest(area, address, values));
    },
    async close() {
      closed = true;
      drop('closed by the edge');
      await connecting?.catch(() => undefined);
      drop('closed by the edge');
    },
  };
}
