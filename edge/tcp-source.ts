import ModbusSerial from 'modbus-serial';
import type { Logger } from '../core/log.ts';
import type { RegisterArea } from '../core/profile/schema.ts';
import { forgetSettledTransactions } from './modbus-serial-transactions.ts';
import {
  classifyModbusError,
  ModbusConnectionError,
  type ModbusSource,
  ModbusTimeoutError,
  SerialQueue,
  type WritableArea,
} from './modbus-source.ts';

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
  logger?: Logger;
}

// modbus-serial is CommonJS: its module object is the client class and carries itself as `default`.
const ModbusRTU = ModbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

/**
 * Modbus TCP device over modbus-serial: one client and socket per station, requests serialised,
 * reconnects with exponential backoff. While a reconnect waits out its backoff, requests fail at
 * once with ModbusConnectionError instead of queueing, so a dead station costs no time.
 */
export function createTcpSource(options: TcpSourceOptions): ModbusSource {
  const queue = new SerialQueue();
  const where = `${options.host}:${options.port} unit ${options.unitId}`;
  let client: Client | undefined;
  let connecting: Promise<Client> | undefined;
  let nextAttemptAt = 0;
  let backoff = options.backoffMs;
  let timeoutsInRow = 0;
  let closed = false;

  const drop = (why: string) => {
    const old = client;
    client = undefined;
    if (old) {
      options.logger?.info({ where, why }, 'modbus tcp connection dropped');
      old.destroy(() => undefined);
    }
  };

  const connect = async (): Promise<Client> => {
    const next = new ModbusRTU();
    next.on('error', (error: unknown) =>
      options.logger?.warn({ where, err: String(error) }, 'modbus tcp error'),
    );
    next.setTimeout(options.timeoutMs);
    next.setID(options.unitId);
    try {
      await next.connectTCP(options.host, { port: options.port });
    } catch (error) {
      next.destroy(() => undefined);
      nextAttemptAt = Date.now() + backoff;
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
      throw new ModbusConnectionError(`cannot connect to ${where}: ${(error as Error)?.message ?? error}`);
    }
    if (closed) {
      next.destroy(() => undefined);
      throw new ModbusConnectionError(`${where}: source closed`);
    }
    next.on('close', () => {
      if (client === next) drop('closed by peer');
    });
    backoff = options.backoffMs;
    timeoutsInRow = 0;
    client = next;
    options.logger?.info({ where }, 'modbus tcp connected');
    return next;
  };

  const ready = async (): Promise<Client> => {
    if (closed) throw new ModbusConnectionError(`${where}: source closed`);
    if (client?.isOpen) return client;
    if (client) drop('socket not open');
    if (Date.now() < nextAttemptAt) {
      throw new ModbusConnectionError(
        `${where}: not connected, next attempt in ${nextAttemptAt - Date.now()} ms`,
      );
    }
    connecting ??= connect().finally(() => {
      connecting = undefined;
    });
    return await connecting;
  };

  const call = <T>(what: string, request: (c: Client) => Promise<T>): Promise<T> =>
    queue.run(async () => {
      const c = await ready();
      try {
        // modbus-serial cancels a pending request's timer when its socket is destroyed and then never
        // settles it; this guard keeps the queue moving whatever the library does.
        const result = await withDeadline(request(c), options.timeoutMs + 200, what);
        timeoutsInRow = 0;
        return result;
      } catch (raw) {
        const error = classifyModbusError(raw, `${what} from ${where}`);
        if (error instanceof ModbusTimeoutError) {
          timeoutsInRow += 1;
          if (timeoutsInRow >= (options.timeoutsBeforeReconnect ?? 3)) {
            timeoutsInRow = 0;
            drop(`${options.timeoutsBeforeReconnect ?? 3} timeouts in a row`);
          }
        } else if (error instanceof ModbusConnectionError) {
          drop(error.message);
        }
        throw error;
      } finally {
        forgetSettledTransactions(c);
      }
    });

  return {
    read(area: RegisterArea, address: number, count: number) {
      return call(`read ${area} ${address}+${count}`, async (c) => {
        switch (area) {
          case 'coil':
            return (await c.readCoils(address, count)).data.slice(0, count);
          case 'discrete':
            return (await c.readDiscreteInputs(address, count)).data.slice(0, count);
          case 'input':
            return (await c.readInputRegisters(address, count)).data;
          case 'holding':
            return (await c.readHoldingRegisters(address, count)).data;
        }
      });
    },
    async write(area: WritableArea, address: number, values: number[] | boolean[]) {
      await call(`write ${area} ${address}+${values.length}`, async (c) => {
        if (area === 'coil') {
          const bits = values.map(Boolean);
          if (bits.length === 1) await c.writeCoil(address, bits[0]!);
          else await c.writeCoils(address, bits);
        } else {
          const words = values.map(Number);
          if (words.length === 1) await c.writeRegister(address, words[0]!);
          else await c.writeRegisters(address, words);
        }
      });
    },
    async close() {
      closed = true;
      await queue.run(async () => drop('closed by the edge')).catch(() => undefined);
    },
  };
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ModbusTimeoutError(`${what}: no reply within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
