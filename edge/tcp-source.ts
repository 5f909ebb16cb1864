import type { Logger } from '../core/log.ts';
import type { RegisterArea } from '../core/profile/schema.ts';
import { readRequest, replyBits, replyWords, writeRequest } from './modbus-pdu.ts';
import { ModbusConnectionError, type ModbusSource, type WritableArea } from './modbus-source.ts';
import { TcpLink } from './tcp-link.ts';

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
  /**
   * The connection of a gateway this station shares with others (see TcpGateways); the source then
   * neither opens nor closes one of its own. Default: a connection of its own.
   */
  link?: TcpLink;
  logger?: Logger;
}

/**
 * Modbus TCP device: one unit id on a TcpLink, its own connection or one a gateway's stations share.
 * While a reconnect waits out its backoff, requests fail at once with ModbusConnectionError instead
 * of queueing, so a dead station costs no time.
 */
export function createTcpSource(options: TcpSourceOptions): ModbusSource {
  const where = `${options.host}:${options.port} unit ${options.unitId}`;
  const maxConcurrent = options.maxConcurrentRequests ?? 1;
  const owned = options.link === undefined;
  const link =
    options.link ??
    new TcpLink({
      host: options.host,
      port: options.port,
      timeoutMs: options.timeoutMs,
      backoffMs: options.backoffMs,
      maxBackoffMs: options.maxBackoffMs,
      maxConcurrent,
      ...(options.timeoutsBeforeReconnect === undefined
        ? {}
        : { timeoutsBeforeReconnect: options.timeoutsBeforeReconnect }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  let closed = false;

  const call = (what: string, pdu: Buffer): Promise<Buffer> => {
    if (closed) return Promise.reject(new ModbusConnectionError(`${what} from ${where}: source closed`));
    return link.request(options.unitId, pdu, `${what} from ${where}`);
  };

  return {
    concurrentReads: maxConcurrent > 1,
    async read(area: RegisterArea, address: number, count: number) {
      const what = `read ${area} ${address}+${count}`;
      const reply = await call(what, readRequest(area, address, count));
      const decoded =
        area === 'coil' || area === 'discrete' ? replyBits(reply, count) : replyWords(reply, count);
      if (typeof decoded === 'string') {
        link.drop(`malformed reply to ${what} from ${where}`);
        throw new ModbusConnectionError(`${what} from ${where}: ${decoded}`);
      }
      return decoded;
    },
    async write(area: WritableArea, address: number, values: number[] | boolean[]) {
      await call(`write ${area} ${address}+${values.length}`, writeRequest(area, address, values));
    },
    async close() {
      closed = true;
      if (owned) await link.close();
    },
  };
}
